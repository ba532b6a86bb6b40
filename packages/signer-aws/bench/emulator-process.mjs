/**
 * The AWS KMS emulator in its own process for the bench, as a real KMS would be: its CPU time
 * (SigV4 check, Ed25519 signing) does not compete with the signer being measured. Talks to the
 * parent over IPC: sends `{ ready: describe() }`, answers `calls` with the counters.
 */
import { startAwsKms } from '@a1/emulators';

const latencyMs = Number(process.argv[2] ?? '20');
const kms = await startAwsKms({ keys: [{ alias: 'alias/a1-bench' }] });
if (latencyMs > 0) kms.faults.inject({ fault: { kind: 'latency', ms: latencyMs } });

process.on('message', async (message) => {
  if (message === 'calls') process.send({ calls: kms.calls.snapshot() });
  if (message === 'close') {
    await kms.close();
    process.disconnect();
  }
});
process.send({ ready: kms.describe() });
