// Deno and Bun (and Node): run the bench and print its result on one marked stdout line.
import { runBench } from './bench-suite.js';

const result = await runBench();
console.log(`A1-MATRIX-BENCH ${JSON.stringify(result)}`);
