/** `node dist/demo.js`: the demo as a script (the README's main command runs this). */
import { runDemo } from './run-demo.js';
import { describeFailure, formatFailure } from '../failure.js';
import { printProcessWarnings } from '../process-warnings.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

printProcessWarnings(process.stderr, false);
let code: number;
try {
  code = await runDemo();
} catch (error) {
  process.stderr.write(formatFailure(describeFailure(error)));
  code = describeFailure(error).exitCode;
}
// Emulator and SDK sockets are closed by runDemo; exit without waiting on stray keep-alive timers.
process.exit(code);
