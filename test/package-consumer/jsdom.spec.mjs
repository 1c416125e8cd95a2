// @vitest-environment jsdom
// A consumer's vitest test under jsdom (run with --globals, no config file).
import { describeDomEnvironment } from './dom-cases.mjs';

describeDomEnvironment('jsdom', { setCookieVisible: true });
