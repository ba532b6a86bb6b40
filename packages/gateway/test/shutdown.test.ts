// Graceful shutdown: a request in flight when close() starts is answered; new ones are refused.
import { LocalSigner, toHex, type AsyncSigner } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { startTestGateway } from './support/gateway.js';

/** An in-process key that answers only when released, like a slow KMS. */
function gatedSigner(): { signer: AsyncSigner; started: Promise<void>; release(): void } {
  const key = LocalSigner.generate();
  let release!: () => void;
  let markStarted!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const started = new Promise<void>((r) => (markStarted = r));
  const signer: AsyncSigner = {
    verifyingKey: async () => key.verifyingKey(),
    signMessage: async (message) => {
      markStarted();
      await gate;
      return key.signMessage(message);
    },
  };
  return { signer, started, release };
}

describe('graceful shutdown', () => {
  it('drains the request in flight, then stops accepting', async () => {
    const { signer, started, release } = gatedSigner();
    const gw = await startTestGateway({ signer });
    const agent = LocalSigner.generate();
    const inFlight = gw.admin.issueCert({ delegate_pk_hex: toHex(agent.verifyingKey()), intents: [{ name: 'x' }] });
    await started;
    const closing = gw.close();
    // New requests are not served while the old one finishes (refused, or 503 while closing).
    const late = await Promise.race([
      fetch(`${gw.url}/health`).then((r) => r.status, () => 'refused'),
      new Promise((r) => setTimeout(() => r('pending'), 5_000)),
    ]);
    expect(late).not.toBe('pending');
    release();
    const answer = await inFlight;
    expect(answer.status).toBe(201);
    await closing;
  });
});
