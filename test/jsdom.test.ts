// @vitest-environment jsdom
import { describeDomEnvironment } from './dom-environment-cases.ts';

describeDomEnvironment('jsdom', { setCookieVisible: true });
