/** Entry point of `a1-pkcs11-keygen` (see keygen-command.ts). */
import { runKeygenCommand } from './keygen-command.js';

void runKeygenCommand(process.argv.slice(2), process.env).then((code) => {
  process.exitCode = code;
});
