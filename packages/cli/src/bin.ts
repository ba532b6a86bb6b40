/** The `a1` executable. */
import { main } from './main.js';
import { printProcessWarnings } from './process-warnings.js';

// The AWS SDK prints a Node 22 notice on every run under Node 20; a command-line tool keeps
// stderr for its own messages. Setting the variable to anything else shows it again.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const args = process.argv.slice(2);
printProcessWarnings(process.stderr, args.includes('--json'));
const code = await main(args);
// Exit once stdout and stderr are flushed (pipes included), whatever sockets a backend SDK left open.
const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
