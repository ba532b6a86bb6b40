/**
 * The Cloud KMS emulator on its own thread, so its gRPC server and signing do not share the
 * benchmark's event loop (a real KMS is another machine). Answers `calls`, `reset`, `close`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startGcpKms } from '@a1/emulators';

const emulator = await startGcpKms();
const key = emulator.createKey({ key: 'a1-bench' });
emulator.faults.inject({ fault: { kind: 'latency', ms: workerData.latencyMs } });

parentPort.on('message', async (request) => {
  if (request === 'calls') parentPort.postMessage({ calls: emulator.calls.snapshot() });
  if (request === 'reset') {
    emulator.calls.reset();
    parentPort.postMessage({ reset: true });
  }
  if (request === 'close') {
    await emulator.close();
    parentPort.close();
  }
});
parentPort.postMessage({ endpoint: emulator.endpoint, name: key.name });
