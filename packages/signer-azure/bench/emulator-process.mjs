/**
 * The Key Vault emulator in its own process for the bench, as a real vault would be: its CPU time
 * (TLS, Ed25519 signing) does not compete with the signer being measured. Talks to the parent
 * over IPC: sends `{ ready: describe() }`, answers `calls` with the counters.
 */
import { startAzureKeyVault } from '@a1/emulators';

const latencyMs = Number(process.argv[2] ?? '20');
const vault = await startAzureKeyVault();
vault.createKey({ name: 'a1-bench', kty: 'OKP' });
// Every authenticated call (key read and sign) waits, like a round trip to a real region.
if (latencyMs > 0) vault.faults.inject({ fault: { kind: 'latency', ms: latencyMs } });

process.on('message', async (message) => {
  if (message === 'calls') process.send({ calls: vault.calls.snapshot() });
  if (message === 'close') {
    await vault.close();
    process.disconnect();
  }
});
process.send({ ready: vault.describe() });
