#!/usr/bin/env node
// The `nodeloom-sandbox` command: runs the built CLI (dist/cli.mjs, from src/hosts/cli.ts; see that
// file for the options). `npm install` builds dist/ (the `prepare` script); `npm run build` rebuilds.
// `npm start` adds the node flag --max-semi-space-size=32 (package.json); a plain `#!/usr/bin/env
// node` line keeps the installed command working where `env -S` does not exist (busybox, Alpine).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.mjs', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('nodeloom-sandbox: dist/ is missing: run `npm run build` (npm install does it) first.\n');
  process.exit(1);
}
const { main } = await import(cli.href);
await main(process.argv.slice(2));
