// Pkcs11Signer.health() for readiness probes (issue 13): module loaded, token present, logged in,
// key found with the right type — never by signing, never by throwing. Real SoftHSM2 token.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Pkcs11Signer } from '../src/signer.js';
import { generateEd25519KeyPair } from '../src/keygen.js';
import { acquireModule } from '../src/module-registry.js';
import { findTokenSlot } from '../src/token.js';
import { createTokens, describeWithSoftHsm, destroyObjects, generateP256, USER_PIN, withTokenSession, type TestToken } from './softhsm.js';
import { expectNoSecret } from './secrets.js';

const WRONG_PIN = 'wrong-health-pin-51';

describeWithSoftHsm('Pkcs11Signer.health() on a real SoftHSM2 token', ({ modulePath }) => {
  let token: TestToken;
  const open: Pkcs11Signer[] = [];
  const signer = (options: Partial<ConstructorParameters<typeof Pkcs11Signer>[0]> = {}) => {
    const created = new Pkcs11Signer({ module: modulePath, tokenLabel: 'a1', pin: USER_PIN, label: 'root', ...options });
    open.push(created);
    return created;
  };
  /** Counts C_SignInit calls on the shared module object: health must never sign. */
  let signInits = 0;
  let restore = () => undefined as void;

  beforeAll(async () => {
    [token] = createTokens({ modulePath, util: 'softhsm2-util' }, ['a1']) as [TestToken];
    await generateEd25519KeyPair({ module: modulePath, token: 'a1', pin: USER_PIN, label: 'root', id: Uint8Array.of(1) });
    await generateEd25519KeyPair({ module: modulePath, token: 'a1', pin: USER_PIN, label: 'doomed', id: Uint8Array.of(2) });
    await withTokenSession(token, (api, session) => generateP256(api, session, 'p256', 3));
    const lease = acquireModule(modulePath); // held for the file, so the counter stays installed
    const api = lease.api as unknown as Record<string, (...args: unknown[]) => unknown>;
    const original = api.C_SignInit!;
    api.C_SignInit = function (this: unknown, ...args: unknown[]) {
      signInits += 1;
      return original.apply(this, args);
    };
    restore = () => {
      api.C_SignInit = original;
      lease.release();
    };
  });

  afterAll(async () => {
    await Promise.all(open.map((s) => s.close()));
    restore();
    token?.remove();
  });

  it('a usable key: ok, with what was checked, the keyId and a latency, without signing', async () => {
    const s = signer();
    const health = await s.health();
    expect(health).toMatchObject({ ok: true, keyId: s.keyId });
    expect(health.detail).toMatch(/logged in to token "a1"; key "root" is an Ed25519 signing key/);
    expect(health.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Object.keys(health).sort()).toEqual(['detail', 'keyId', 'latencyMs', 'ok']);
    expect(await s.health()).toMatchObject({ ok: true }); // again, on the established connection
    expect(signInits).toBe(0);
  });

  it('a missing token: ok false, naming the tokens present', async () => {
    const health = await signer({ tokenLabel: 'no-such-token' }).health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/^KeyNotFound: .*token "no-such-token" not found; initialized tokens present: "a1"/);
  });

  it('a wrong PIN: ok false, AccessDenied, tried once only (no lockout from a probe), no PIN shown', async () => {
    let pinReads = 0;
    const s = signer({ pin: () => (pinReads++, WRONG_PIN) });
    const first = await s.health();
    const second = await s.health();
    expect(first.ok).toBe(false);
    expect(first.detail).toMatch(/^AccessDenied: .*CKR_PIN_INCORRECT/);
    expect(second.detail).toBe(first.detail);
    expect(pinReads).toBe(1);
    expectNoSecret(first, [WRONG_PIN, USER_PIN]);
  });

  it('a missing key, and a key of the wrong type: ok false, saying which', async () => {
    const missing = await signer({ label: 'absent' }).health();
    expect(missing).toMatchObject({ ok: false });
    expect(missing.detail).toMatch(/^KeyNotFound: .*no private key "absent" on token "a1"/);
    const p256 = await signer({ label: 'p256' }).health();
    expect(p256.detail).toMatch(/^WrongKeyType: .*P-256/);
  });

  it('a key deleted after first use: ok false (found fresh each time, not from the cache)', async () => {
    const s = signer({ label: 'doomed' });
    expect((await s.health()).ok).toBe(true);
    await withTokenSession(token, (api, session) => destroyObjects(api, session, 'doomed'));
    const health = await s.health();
    expect(health.ok).toBe(false);
    expect(health.detail).toMatch(/^KeyNotFound: .*"doomed"/);
  });

  it('sessions the token dropped: recovered once, as a sign would, and ok', async () => {
    const s = signer();
    expect((await s.health()).ok).toBe(true);
    const lease = acquireModule(modulePath);
    lease.api.C_CloseAllSessions(findTokenSlot(lease.api, { tokenLabel: 'a1' }, undefined));
    lease.release();
    const health = await s.health();
    expect(health).toMatchObject({ ok: true });
    expect(s.sessionStats()?.resets).toBe(1);
  });

  it('a closed signer: ok false, no throw', async () => {
    const s = signer();
    await s.close();
    expect(await s.health()).toMatchObject({ ok: false, detail: expect.stringMatching(/signer is closed/) });
    expect(signInits).toBe(0);
  });
});
