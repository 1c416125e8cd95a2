import type { PDFFont, PDFPage } from '@pdfme/pdf-lib';
import type { ReportContent } from './reports.ts';

/**
 * The PDF form of a compliance report ([INF] nodeloom-api.md 3.10 #5 "PDF/JSON file"): A4 pages
 * with the report's header, summary, chain verification and one line per entry, oldest first,
 * and "Page i of n" footers. Made with @pdfme/pdf-lib (pure JavaScript, no Node APIs, so it runs
 * in a browser service worker too), imported on first use so hosts that never serve a PDF never
 * load it. Byte-identical for the same content: every date in the file is the report's.
 */

type PdfFont = PDFFont;
type PdfPage = PDFPage;

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
/** Entry table columns: x offset from the margin and width, pt. */
const COLUMNS = [
  { title: 'Time (UTC)', x: 0, width: 92 },
  { title: 'Action', x: 95, width: 135 },
  { title: 'User', x: 233, width: 90 },
  { title: 'Resource', x: 326, width: 84 },
  { title: 'IP address', x: 413, width: 82 },
] as const;

/**
 * Renders a completed report as PDF bytes.
 * @param content what the JSON download holds (reports.ts `reportContent`)
 */
export async function reportPdf(content: ReportContent): Promise<Uint8Array<ArrayBuffer>> {
  const { PDFDocument, StandardFonts, rgb } = await import('@pdfme/pdf-lib');
  const { report, summary, chainVerification: chain, entries } = content;
  const doc = await PDFDocument.create({ updateMetadata: false });
  const at = new Date(report.completedAt);
  doc.setTitle(`Audit report: ${report.name}`);
  doc.setSubject(`${report.framework} audit trail report for ${report.teamName}`);
  doc.setAuthor('NodeLoom sandbox');
  doc.setCreator('nodeloom-sandbox');
  doc.setProducer('nodeloom-sandbox with @pdfme/pdf-lib');
  doc.setCreationDate(at);
  doc.setModificationDate(at);
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const grey = rgb(0.35, 0.35, 0.35);

  let page: PdfPage = doc.addPage(A4);
  let y = A4[1] - MARGIN;
  const newPage = () => {
    page = doc.addPage(A4);
    y = A4[1] - MARGIN;
  };
  /** Starts a new page unless `height` pt still fit above the footer. */
  const room = (height: number) => {
    if (y - height < MARGIN + 20) newPage();
  };
  const text = (value: string, options: { size?: number; font?: PdfFont; x?: number; width?: number; color?: ReturnType<typeof rgb> } = {}) => {
    const font = options.font ?? regular;
    const size = options.size ?? 10;
    const fitted = fit(winAnsi(value, font), font, size, options.width ?? A4[0] - 2 * MARGIN - (options.x ?? 0));
    page.drawText(fitted, { x: MARGIN + (options.x ?? 0), y, size, font, color: options.color ?? rgb(0, 0, 0) });
  };
  const line = (value: string, options: Parameters<typeof text>[1] & { gap?: number } = {}) => {
    const size = options.size ?? 10;
    room(size + 4);
    text(value, options);
    y -= size + (options.gap ?? 4);
  };

  line(`Audit report: ${report.name}`, { size: 18, font: bold, gap: 10 });
  for (const [label, value] of [
    ['Team', `${report.teamName} (${report.teamId})`],
    ['Framework', `${report.framework}: ${report.controls}`],
    ['Period', `${report.periodFrom} to ${report.periodTo}`],
    ['Requested', `${report.createdAt}${report.requestedBy ? ` by ${report.requestedBy.name}` : ''}`],
    ['Completed', report.completedAt],
    ['Report id', report.id],
  ] as const) {
    room(14);
    text(label, { font: bold, width: 80 });
    text(value, { x: 85 });
    y -= 14;
  }

  y -= 8;
  line('Summary', { size: 13, font: bold, gap: 6 });
  line(`${summary.totalEntries} entries by ${summary.distinctUsers} users in the period.`);
  for (const [action, count] of Object.entries(summary.countsByAction)) {
    room(14);
    text(action, { x: 10, width: 200 });
    text(String(count), { x: 215 });
    y -= 14;
  }

  y -= 8;
  line('Chain verification', { size: 13, font: bold, gap: 6 });
  if (chain.valid) {
    line(`Intact: ${chain.entriesVerified} entries verified at ${chain.verifiedAt} (SHA-256 hash chain).`);
    if (chain.firstEntry && chain.lastEntry) line(`First entry ${chain.firstEntry.id} (${chain.firstEntry.createdAt}); last ${chain.lastEntry.id} (${chain.lastEntry.createdAt}).`, { color: grey, size: 9 });
  } else {
    line(`BROKEN at entry ${chain.brokenEntryId} (${chain.brokenAtTimestamp}): ${chain.entriesVerified} entries verified before it, at ${chain.verifiedAt}.`, { font: bold, color: rgb(0.7, 0, 0) });
  }

  y -= 8;
  line('Entries (oldest first)', { size: 13, font: bold, gap: 6 });
  const header = () => {
    room(12);
    for (const column of COLUMNS) text(column.title, { x: column.x, width: column.width, font: bold, size: 8 });
    y -= 12;
  };
  header();
  if (entries.length === 0) line('No entries in this period.', { color: grey, size: 9 });
  for (const entry of entries) {
    if (y - 11 < MARGIN + 20) {
      newPage();
      header();
    }
    const cells = [entry.createdAt.replace('T', ' ').slice(0, 19), entry.action, entry.userName ?? 'system', `${entry.resourceType} ${entry.resourceId ?? ''}`.trim(), entry.ipAddress];
    COLUMNS.forEach((column, index) => text(cells[index]!, { x: column.x, width: column.width, size: 8 }));
    y -= 11;
  }

  const pages = doc.getPages();
  pages.forEach((p, index) => {
    const footer = `${report.name} | page ${index + 1} of ${pages.length}`;
    p.drawText(winAnsi(footer, regular), { x: MARGIN, y: MARGIN - 20, size: 8, font: regular, color: grey });
  });
  // A copy typed over a plain ArrayBuffer, which `new Response(...)` takes.
  return new Uint8Array(await doc.save({ useObjectStreams: false }));
}

const charsets = new WeakMap<PdfFont, Set<number>>();

/** Replaces characters the standard (WinAnsi) fonts cannot draw with `?`, so any name renders. */
function winAnsi(value: string, font: PdfFont): string {
  let supported = charsets.get(font);
  if (!supported) charsets.set(font, (supported = new Set(font.getCharacterSet())));
  let out = '';
  for (const char of value.replace(/[\r\n\t]+/g, ' ')) out += supported.has(char.codePointAt(0)!) ? char : '?';
  return out;
}

/** The longest start of a text that fits `width` pt with "..." after it (binary search on the length). */
function fit(value: string, font: PdfFont, size: number, width: number): string {
  if (font.widthOfTextAtSize(value, size) <= width) return value;
  let low = 0;
  let high = value.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (font.widthOfTextAtSize(`${value.slice(0, mid)}...`, size) <= width) low = mid;
    else high = mid - 1;
  }
  return `${value.slice(0, low)}...`;
}
