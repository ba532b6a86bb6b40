/** The optional health() check passes a good probe and catches the broken ones. */
import { LocalSigner } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { checkHealthy, checkUnhealthy } from '../src/index.js';
import { expectCaught } from './support/expect-caught.js';

const TOKEN = 'probe-token-5e6f7a';

/** A local signer with a health() whose answer the test chooses; `broken` flips the backend. */
function probed(answer: (broken: boolean) => Promise<unknown>) {
  const state = { broken: false };
  const signer = Object.assign(LocalSigner.generate(), {
    keyId: 'local/probe',
    health: () => answer(state.broken),
  });
  return { signer, state };
}

const honest = (broken: boolean) =>
  Promise.resolve({ ok: !broken, latencyMs: 3, keyId: 'local/probe', detail: broken ? 'Unavailable: backend down' : 'key is an enabled Ed25519 signing key' });

const breakBackend = (state: { broken: boolean }) => ({
  arrange: () => void (state.broken = true),
  cleanup: () => void (state.broken = false),
});

describe('checkHealthy / checkUnhealthy', () => {
  it('pass an honest probe', async () => {
    const { signer, state } = probed(honest);
    expect(await checkHealthy({ create: () => signer, secrets: [TOKEN] })).toBe('checked');
    await checkUnhealthy('outage', breakBackend(state), { create: () => signer, secrets: [TOKEN] });
  });

  it('report a signer without health()', async () => {
    expect(await checkHealthy({ create: () => LocalSigner.generate() })).toBe('no-health');
  });

  it('catch a probe that throws for a backend fault', async () => {
    const { signer, state } = probed((broken) => (broken ? Promise.reject(new Error('backend down')) : honest(false)));
    await expectCaught(checkUnhealthy('outage', breakBackend(state), { create: () => signer }), /health\(\) threw/);
  });

  it('catch a probe that says ok while the key cannot be used', async () => {
    const { signer, state } = probed(() => honest(false));
    await expectCaught(checkUnhealthy('outage', breakBackend(state), { create: () => signer }), /ok: true although/);
  });

  it('catch a probe with the wrong shape, or one that is not ok on a working key', async () => {
    await expectCaught(checkHealthy({ create: () => probed(() => Promise.resolve({ ok: true })).signer }), /expected \{ ok: boolean/);
    await expectCaught(checkHealthy({ create: () => probed(() => honest(true)).signer }), /ok: false on a working key/);
  });

  it('catch a probe whose detail reveals a secret', async () => {
    const leaky = () => Promise.resolve({ ok: false, latencyMs: 1, keyId: 'local/probe', detail: `token ${TOKEN} rejected` });
    const { signer, state } = probed(leaky);
    await expectCaught(checkUnhealthy('rejected token', breakBackend(state), { create: () => signer, secrets: [TOKEN] }), /reveals a secret/);
  });
});
