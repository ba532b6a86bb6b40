// The bench's Vault: the emulator in its own process (as a real Vault would be), driven over IPC
// for setup and counters so its CPU does not share an event loop with the signer under test.
import { startVaultTransit } from '@a1/emulators';

const vault = await startVaultTransit();
const { publicKey } = vault.createKey({ name: 'a1-root' });
const role = vault.addAppRole({ tokenTtlSeconds: 3600 });

let cpuAtReset = process.cpuUsage();

process.on('message', async (msg) => {
  if (msg.type === 'latency') {
    vault.faults.clear();
    vault.faults.inject({ fault: { kind: 'latency', ms: msg.ms }, operation: 'Sign' });
    process.send({ type: 'ok' });
  } else if (msg.type === 'reset') {
    vault.calls.reset();
    cpuAtReset = process.cpuUsage();
    process.send({ type: 'ok' });
  } else if (msg.type === 'calls') {
    const cpu = process.cpuUsage(cpuAtReset);
    process.send({ type: 'calls', calls: vault.calls.snapshot(), cpuMs: (cpu.user + cpu.system) / 1000 });
  } else if (msg.type === 'close') {
    await vault.close();
    process.disconnect();
  }
});
process.send({ type: 'ready', endpoint: vault.endpoint, publicKey: Buffer.from(publicKey).toString('base64'), roleId: role.roleId, secretId: role.secretId });
