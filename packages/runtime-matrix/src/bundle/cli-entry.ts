// Node, Deno and Bun: run the suite and print the report on one marked stdout line.
import { runSuite } from './run-suite.js';

const report = await runSuite();
console.log(`A1-MATRIX-REPORT ${JSON.stringify(report)}`);
