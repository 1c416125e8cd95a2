#!/usr/bin/env node
// The `nodeloom-sandbox` command. The package ships TypeScript sources, so this registers tsx's
// ESM loader (tsx/esm/api) in-process and then runs src/hosts/cli.ts; see that file for options.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/hosts/cli.ts');
await main(process.argv.slice(2));
