// Chromium: the page exposes the suite's promise; the test awaits it through page.evaluate.
import { runSuite } from './run-suite.js';

(globalThis as { a1Matrix?: Promise<unknown> }).a1Matrix = runSuite();
