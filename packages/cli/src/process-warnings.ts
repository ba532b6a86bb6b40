/**
 * Warnings a library raises with `process.emitWarning` (the PKCS#11 `pin-value` one, say) are
 * printed like every other a1 message — `a1: warning: …` — instead of Node's
 * `(node:1234) Warning: …` with its `--trace-warnings` advice.
 */
import type { OutputStream } from './context.js';

export function printProcessWarnings(stderr: OutputStream, json: boolean): void {
  // Node prints warnings through its own 'warning' listener; replacing it changes only the format.
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    // Under --json, stderr stays one JSON document per line.
    stderr.write(json ? `${JSON.stringify({ warning: { message: warning.message, ...(warning.code ? { code: warning.code } : {}) } })}\n` : `a1: warning: ${warning.message}\n`);
  });
}
