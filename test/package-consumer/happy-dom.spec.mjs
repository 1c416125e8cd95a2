// @vitest-environment happy-dom
// A consumer's vitest test under happy-dom (run with --globals, no config file).
import { describeDomEnvironment } from './dom-cases.mjs';

describeDomEnvironment('happy-dom', { setCookieVisible: false });
