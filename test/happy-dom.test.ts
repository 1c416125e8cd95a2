// @vitest-environment happy-dom
import { describeDomEnvironment } from './dom-environment-cases.ts';

describeDomEnvironment('happy-dom', { setCookieVisible: false });
