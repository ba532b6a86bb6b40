/** The `a1` executable. */

// The AWS SDK prints a Node 22 notice on every run under Node 20; a command-line tool keeps
// stderr for its own messages. Setting the variable to anything else shows it again.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Commands that never reach a key backend: served by the one-file offline bundle (src/offline.ts). */
const OFFLINE = new Set(['verify', 'inspect', 'convert', 'keygen', '--help', '-h', 'help', '--version', '-V']);

const args = process.argv.slice(2);
const offline = args.length === 0 || OFFLINE.has(args[0]!);
// A computed specifier: the offline bundle is built separately and must not be pulled into this one.
const { main } = offline ? ((await import(new URL('./offline.js', import.meta.url).href)) as typeof import('./main.js')) : await import('./main.js');
const { printProcessWarnings } = await import('./process-warnings.js');
printProcessWarnings(process.stderr, args.includes('--json'));
const code = await main(args);
// Exit once stdout and stderr are flushed (pipes included), whatever sockets a backend SDK left open.
const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(code);
