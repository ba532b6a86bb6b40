// Chromium: the page exposes the bench's promise; the bench script awaits it through page.evaluate.
import { runBench } from './bench-suite.js';

(globalThis as { a1Bench?: Promise<unknown> }).a1Bench = runBench();
