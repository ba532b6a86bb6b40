/**
 * failover() over two Vault emulators holding the same key (and a third holding another): the
 * group refuses to start on a key mismatch; a primary that is down, throttled or slow (hedged) is
 * passed over, and every cert is still verified by CertBuilder and offline by authorize().
 */
import { authorize, CertBuilder, intentHash, LocalSigner, SignerError, type AsyncSigner, type SignOptions } from '@a1/core';
import type { VaultTransitEmulator } from '@a1/emulators';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failover, type OpsEvent } from '../src/index.js';
import { plainSigner, signerRejection } from './support/third-party-signer.js';
import { restoreKey, startVault, vaultSigner } from './support/vault-pair.js';

const scope = intentHash('trade.equity');
let primary: VaultTransitEmulator;
let replica: VaultTransitEmulator;
let stranger: VaultTransitEmulator;
const opened: AsyncSigner[] = [];

function track<T extends AsyncSigner>(s: T): T {
  opened.push(s);
  return s;
}

async function issueAndVerify(signer: AsyncSigner): Promise<void> {
  const agent = LocalSigner.generate();
  const now = BigInt(Math.floor(Date.now() / 1000));
  const cert = await new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 600n }).buildAsync(signer);
  await authorize({ principalPk: await signer.verifyingKey(), principalScope: scope, certs: [cert] }, { agentPk: agent.verifyingKey(), intent: scope, now });
}

beforeAll(async () => {
  [primary, replica, stranger] = await Promise.all([startVault(), startVault(), startVault()]);
  restoreKey(primary, replica);
});
afterEach(async () => {
  for (const v of [primary, replica, stranger]) {
    v.faults.clear();
    v.calls.reset();
  }
  await Promise.all(opened.splice(0).map((s) => s.close?.()));
});
afterAll(async () => {
  await Promise.all([primary, replica, stranger].map((v) => v?.close()));
});

describe('failover over two Vault emulators holding one key', () => {
  it('keeps the primary’s provider and key id, and signs on the primary while it is healthy', async () => {
    const group = track(failover([vaultSigner(primary), vaultSigner(replica)]));
    expect(group.provider).toBe('vault-transit');
    expect(group.keyId).toBe(vaultSigner(primary).keyId);
    await issueAndVerify(group);
    expect(primary.calls.get('Sign')).toBe(1);
    expect(replica.calls.get('Sign')).toBe(0);
  });

  it('refuses to start when a replica holds a different key, and issues nothing', async () => {
    const group = track(failover([vaultSigner(primary), vaultSigner(stranger)]));
    const error = await signerRejection(issueAndVerify(group));
    expect(error.code).toBe('Misconfigured');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/member 1 .*holds public key [0-9a-f]{64}, not the group's/);
    expect(primary.calls.get('Sign') + stranger.calls.get('Sign')).toBe(0);
  });

  it('moves to the replica when the primary is unavailable, then skips it while its breaker is open', async () => {
    primary.faults.inject({ fault: { kind: 'unavailable' }, operation: 'Sign' });
    const events: OpsEvent[] = [];
    const group = track(failover([vaultSigner(primary), vaultSigner(replica)], { breaker: { failureThreshold: 2, cooldownMs: 600_000 } }));
    group.onOpsEvent?.((e) => events.push(e));
    for (let i = 0; i < 4; i++) await issueAndVerify(group);
    expect(replica.calls.get('Sign')).toBe(4);
    const primarySigns = primary.calls.get('Sign');
    expect(primarySigns).toBeGreaterThanOrEqual(2); // tried until the breaker opened…
    await issueAndVerify(group);
    expect(primary.calls.get('Sign')).toBe(primarySigns); // …then left alone
    expect(events.filter((e) => e.kind === 'retry' && e.reason === 'failover')).toHaveLength(2);
  });

  it('moves to the replica when the primary throttles', async () => {
    primary.faults.quota({ limit: 0, windowMs: 60_000, operation: 'Sign' });
    const group = track(failover([vaultSigner(primary), vaultSigner(replica)]));
    await issueAndVerify(group);
    await issueAndVerify(group);
    expect(replica.calls.get('Sign')).toBe(2);
  });

  it('a primary whose server is gone (connection refused) is passed over', async () => {
    const gone = await startVault();
    restoreKey(primary, gone);
    const downSigner = vaultSigner(gone);
    const group = track(failover([downSigner, vaultSigner(replica)]));
    await group.verifyingKey(); // both answered at first use
    await gone.close();
    await issueAndVerify(group);
    expect(replica.calls.get('Sign')).toBe(1);
  });

  it('a primary down at first use is checked against the group key before it ever signs', async () => {
    const late = await startVault(); // holds its own key, not the group's
    late.faults.inject({ fault: { kind: 'unavailable' }, operation: 'ReadKey', times: 50 });
    const group = track(failover([vaultSigner(late), vaultSigner(replica)]));
    await issueAndVerify(group); // the primary could not answer: the replica's key is the group's
    late.faults.clear();
    await issueAndVerify(group);
    expect(late.calls.get('Sign')).toBe(0); // its differing key was found before it could sign
    expect(replica.calls.get('Sign')).toBe(2);
    await late.close();
  });

  it('with hedgeAfterMs, a slow primary is raced by the replica; the first good answer wins and the loser is aborted', async () => {
    primary.faults.inject({ fault: { kind: 'latency', ms: 20_000 }, operation: 'Sign' });
    let primaryAborted = false;
    const inner = vaultSigner(primary);
    const watchedPrimary: AsyncSigner = {
      keyId: inner.keyId,
      verifyingKey: () => inner.verifyingKey(),
      signMessage(m: Uint8Array, o: SignOptions = {}) {
        o.signal?.addEventListener('abort', () => (primaryAborted = true));
        return inner.signMessage(m, o);
      },
      close: () => inner.close(),
    };
    const events: OpsEvent[] = [];
    const group = track(failover([watchedPrimary, vaultSigner(replica)], { hedgeAfterMs: 50 }));
    group.onOpsEvent?.((e) => events.push(e));
    await issueAndVerify(group);
    expect(replica.calls.get('Sign')).toBe(1);
    expect(primaryAborted).toBe(true);
    expect(events).toContainEqual({ kind: 'retry', reason: 'hedge', member: 1 });
  });

  it('a member answering a signature that does not verify is passed over', async () => {
    primary.faults.inject({ fault: { kind: 'garbage-signature' }, operation: 'Sign' });
    const group = track(failover([vaultSigner(primary, { maxRetries: 0 }), vaultSigner(replica)]));
    await issueAndVerify(group);
    expect(replica.calls.get('Sign')).toBe(1);
  });

  it('a non-retryable failure of the primary is not failed over (it would fail the same way)', async () => {
    const local = LocalSigner.generate();
    const denied = plainSigner(local);
    denied.signMessage = async () => {
      throw new SignerError({ provider: 'third-party', code: 'AccessDenied', message: 'no permission' });
    };
    const healthy = plainSigner(local);
    const group = failover([denied, healthy]);
    const error = await signerRejection(issueAndVerify(group));
    expect(error.code).toBe('AccessDenied');
    expect(healthy.calls).toBe(0);
  });

  it('the caller’s abort ends the call with Aborted, whatever the members are doing', async () => {
    primary.faults.inject({ fault: { kind: 'latency', ms: 20_000 }, operation: 'Sign' });
    const group = track(failover([vaultSigner(primary), vaultSigner(replica)]));
    await group.verifyingKey();
    const controller = new AbortController();
    const pending = group.signMessage(new Uint8Array(32), { signal: controller.signal });
    controller.abort();
    expect((await signerRejection(pending)).code).toBe('Aborted');
  });
});
