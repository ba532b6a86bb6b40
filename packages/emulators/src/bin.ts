/**
 * `a1-emulators <backend> [--port N]`: start one emulator on loopback, print its endpoint and
 * keys as JSON, and run until stopped (SIGINT/SIGTERM).
 */
import { parseArgs } from 'node:util';
import { parseQuotaRule, type FaultPlan, type QuotaRule } from './faults.js';

type Command = (options: { port: number; host: string }) => Promise<{ describe(): unknown; close(): Promise<void>; faults: FaultPlan }>;

// One entry per emulator: name -> lazy loader of its start function.
const COMMANDS: Record<string, () => Promise<Command>> = {
  gcp: async () => (await import('./gcp/command.js')).startGcpKmsCommand,
  aws: async () => (await import('./aws/command.js')).startAwsKmsCommand,
  vault: async () => (await import('./vault/command.js')).startVaultCommand,
  azure: async () => (await import('./azure/command.js')).startAzureKeyVaultCommand,
};

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      // Time-based quotas (FaultPlan.quota), so benches and other packages can meter a running emulator.
      quota: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const backend = positionals[0];
  if (values.help || !backend || !(backend in COMMANDS)) {
    console.error(`usage: a1-emulators <${Object.keys(COMMANDS).join('|')}> [--port N] [--host 127.0.0.1] [--quota LIMIT/WINDOW_MS[:OPERATION[:KEY]]]…`);
    return values.help ? 0 : 2;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be an integer from 0 to 65535, got ${values.port}`);
    return 2;
  }
  let quotas: QuotaRule[];
  try {
    quotas = (values.quota ?? []).map(parseQuotaRule);
  } catch (err) {
    console.error(`--quota: ${(err as Error).message}`);
    return 2;
  }
  const start = await COMMANDS[backend]!();
  const running = await start({ port, host: values.host! });
  for (const quota of quotas) running.faults.quota(quota);
  console.log(JSON.stringify(running.describe(), null, 2));
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.close();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
