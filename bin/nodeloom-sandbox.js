#!/usr/bin/env -S node --max-semi-space-size=32
// --max-semi-space-size=32 (MB; Node 20's default is 16): a young generation twice as large halves
// the scavenges of a busy sandbox. The journal's last 500 answers live just long enough to be
// copied by each one. Measured over the bench page in process: 44-46 µs CPU per request against
// 60 µs, 53 scavenges per 50,000 requests against 106 (64 MB was no better: 50 µs). `npm start` and
// the bench (bench/targets.ts reads this line) pass the same flags; `node bin/...` alone runs without.
// The `nodeloom-sandbox` command: runs the built CLI (dist/cli.mjs, from src/hosts/cli.ts; see that
// file for the options). `npm install` builds dist/ (the `prepare` script); `npm run build` rebuilds.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.mjs', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('nodeloom-sandbox: dist/ is missing: run `npm run build` (npm install does it) first.\n');
  process.exit(1);
}
const { main } = await import(cli.href);
await main(process.argv.slice(2));
