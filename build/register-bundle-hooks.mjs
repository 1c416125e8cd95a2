import { register } from 'node:module';

// `node --import ./build/register-bundle-hooks.mjs` (or `tsx --import …`): see build/bundle-hooks.mjs.
register('./bundle-hooks.mjs', import.meta.url);
