/** `a1 demo`: the end-to-end demo (needs @a1/emulators and the signer packages). */
import type { CommandRun } from '../command-spec.js';
import { toJsonText } from '../context.js';
import { runDemo } from '../demo/run-demo.js';

/** Under --json the narrative goes to stderr and the summary, as JSON, to stdout. */
export const runDemoCommand: CommandRun = async (ctx) =>
  runDemo({
    out: ctx.json ? ctx.stderr : ctx.stdout,
    ...(ctx.json ? { onSummary: (summary) => ctx.stdout.write(`${toJsonText(summary)}\n`) } : {}),
  });
