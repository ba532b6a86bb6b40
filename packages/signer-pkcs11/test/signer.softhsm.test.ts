// Pkcs11Signer against a real SoftHSM2 token: certs and passports that verify in @a1/core,
// the session pool under load, recovery from sessions closed underneath, module sharing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkcs11js from 'pkcs11js';
import {
  CertBuilder,
  LocalSigner,
  authorize,
  intentHash,
  issuePassport,
  parseSignedChain,
  serializeSignedChain,
  verifyEd25519,
  type SignedChain,
} from '@a1/core';
import { Pkcs11Signer } from '../src/signer.js';
import { generateEd25519KeyPair } from '../src/keygen.js';
import { acquireModule, loadedModules, type ModuleLease } from '../src/module-registry.js';
import { findTokenSlot } from '../src/token.js';
import { createTokens, describeWithSoftHsm, USER_PIN, type TestToken } from './softhsm.js';

/** Wraps one method of the shared pkcs11js object to count real calls (the call still happens). */
function countCalls(lease: ModuleLease, method: 'C_OpenSession' | 'C_Login' | 'C_GetAttributeValue', filter?: (args: unknown[]) => boolean) {
  const api = lease.api as unknown as Record<string, (...args: unknown[]) => unknown>;
  const original = api[method]!;
  const counter = { calls: 0, restore: () => void (api[method] = original) };
  api[method] = function (this: unknown, ...args: unknown[]) {
    if (!filter || filter(args)) counter.calls += 1;
    return original.apply(this, args);
  };
  return counter;
}

const readsEcPoint = (args: unknown[]) => (args[2] as Array<{ type: number }>).some((a) => a.type === pkcs11js.CKA_EC_POINT);

describeWithSoftHsm('Pkcs11Signer on a real SoftHSM2 token', ({ modulePath }) => {
  let token: TestToken;
  let rootPk: Uint8Array;
  let opsPk: Uint8Array;
  const created: Pkcs11Signer[] = [];
  const signer = (options: Partial<ConstructorParameters<typeof Pkcs11Signer>[0]> = {}) => {
    const s = new Pkcs11Signer({ module: modulePath, tokenLabel: 'a1', pin: USER_PIN, label: 'root', ...options });
    created.push(s);
    return s;
  };
  const now = BigInt(Math.floor(Date.now() / 1000));
  const scope = intentHash('trade.equity');

  beforeAll(async () => {
    [token] = createTokens({ modulePath, util: 'softhsm2-util' }, ['a1']) as [TestToken];
    rootPk = (await generateEd25519KeyPair({ module: modulePath, token: 'a1', pin: USER_PIN, label: 'root', id: Uint8Array.of(1) })).publicKey;
    opsPk = (await generateEd25519KeyPair({ module: modulePath, token: 'a1', pin: USER_PIN, label: 'ops', id: Uint8Array.of(2) })).publicKey;
  });

  afterAll(async () => {
    await Promise.all(created.map((s) => s.close()));
    expect(loadedModules()).toEqual([]);
    token?.remove();
  });

  describe('signing', () => {
    it('returns the key generated on the token and signatures that verify', async () => {
      const root = signer();
      expect(await root.verifyingKey()).toEqual(rootPk);
      for (const length of [0, 1, 32, 100, 4096]) {
        const message = Uint8Array.from({ length }, (_, i) => (i * 7 + length) & 0xff);
        const signature = await root.signMessage(message);
        expect(signature).toHaveLength(64);
        expect(verifyEd25519(rootPk, message, signature)).toBe(true);
        expect(verifyEd25519(opsPk, message, signature)).toBe(false);
      }
    });

    it('finds the key by id alone, and by label and id together', async () => {
      expect(await signer({ label: undefined, id: Uint8Array.of(2) }).verifyingKey()).toEqual(opsPk);
      expect(await signer({ label: 'ops', id: Uint8Array.of(2) }).verifyingKey()).toEqual(opsPk);
    });

    it('reads the public key from the token once per signer, even on many simultaneous first uses', async () => {
      const lease = acquireModule(modulePath);
      const reads = countCalls(lease, 'C_GetAttributeValue', readsEcPoint);
      try {
        const s = signer();
        const keys = await Promise.all(Array.from({ length: 10 }, () => s.verifyingKey()));
        for (let i = 0; i < 10; i++) await s.signMessage(Uint8Array.of(i));
        expect(keys.every((k) => Buffer.from(k).equals(Buffer.from(rootPk)))).toBe(true);
        expect(reads.calls).toBe(1);
        // A copy each time: a caller mutating it cannot corrupt the cache.
        keys[0]!.fill(0);
        expect(await s.verifyingKey()).toEqual(rootPk);
      } finally {
        reads.restore();
        lease.release();
      }
    });
  });

  describe('certificates and passports verify in @a1/core', () => {
    it('a 2-hop chain, both hops signed inside SoftHSM2, survives JSON and authorizes', async () => {
      const root = signer();
      const ops = signer({ label: 'ops' });
      const agent = LocalSigner.generate();
      const hop1 = await new CertBuilder({ delegatePk: opsPk, scopeRoot: scope, issuedAt: now, expirationUnix: now + 3600n }).buildAsync(root);
      const hop2 = await new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 600n }).buildAsync(ops);
      const chain: SignedChain = { principalPk: await root.verifyingKey(), principalScope: scope, certs: [hop1, hop2] };
      const parsed = parseSignedChain(serializeSignedChain(chain));
      const receipt = await authorize(parsed, { agentPk: agent.verifyingKey(), intent: scope, now });
      expect(receipt).toBeDefined();
      // And the verifier is really checking: another agent is refused.
      await expect(authorize(parsed, { agentPk: LocalSigner.generate().verifyingKey(), intent: scope, now })).rejects.toMatchObject({ code: 'UnauthorizedLeaf' });
    });

    it('a passport issued by the HSM key, a sub-cert, and guard()', async () => {
      const root = signer();
      const agent = LocalSigner.generate();
      const passport = await issuePassport({ namespace: 'acme', capabilities: ['trade.equity', 'audit.read'], ttlSeconds: 3600, signer: root });
      const sub = await passport.issueSub({ delegatePk: agent.verifyingKey(), capabilities: ['trade.equity'], ttlSeconds: 600, signer: root });
      const chain = passport.newChain();
      chain.certs.push(sub);
      expect(chain.principalPk).toEqual(rootPk);
      await expect(passport.guard(chain, { agentPk: agent.verifyingKey(), intent: { action: 'trade.equity' }, now })).resolves.toBeDefined();
      await expect(passport.guard(chain, { agentPk: agent.verifyingKey(), intent: { action: 'audit.read' }, now })).rejects.toThrow();
    });
  });

  describe('session pool', () => {
    it('200 concurrent signs on a pool of 4: all verify, at most 4 C_OpenSession calls', async () => {
      const poolSize = 4;
      const lease = acquireModule(modulePath);
      const opens = countCalls(lease, 'C_OpenSession');
      try {
        const s = signer({ poolSize });
        const messages = Array.from({ length: 200 }, (_, i) => Uint8Array.of(i & 0xff, i >> 8, 0xa1));
        const signatures = await Promise.all(messages.map((m) => s.signMessage(m)));
        signatures.forEach((signature, i) => expect(verifyEd25519(rootPk, messages[i]!, signature)).toBe(true));
        expect(opens.calls).toBeLessThanOrEqual(poolSize);
        expect(opens.calls).toBeGreaterThan(1); // the signs really ran side by side
        expect(s.sessionStats()).toMatchObject({ opened: opens.calls, open: opens.calls, busy: 0, waiting: 0, resets: 0 });
      } finally {
        opens.restore();
        lease.release();
      }
    });

    it('sessions closed underneath (C_CloseAllSessions) → one reconnect, every sign retried once and verified', async () => {
      const s = signer();
      await s.signMessage(new Uint8Array(32));
      const lease = acquireModule(modulePath);
      const logins = countCalls(lease, 'C_Login');
      try {
        lease.api.C_CloseAllSessions(findTokenSlot(lease.api, { tokenLabel: 'a1' }, undefined));
        const messages = Array.from({ length: 20 }, (_, i) => Uint8Array.of(i, 0xc1));
        const signatures = await Promise.all(messages.map((m) => s.signMessage(m)));
        signatures.forEach((signature, i) => expect(verifyEd25519(rootPk, messages[i]!, signature)).toBe(true));
        expect(s.sessionStats()?.resets).toBe(1);
        expect(logins.calls).toBe(1); // one shared re-login, not one per failed sign
      } finally {
        logins.restore();
        lease.release();
      }
    });
  });

  describe('PIN changed underneath', () => {
    it('the failed re-login is remembered: later signs do not try the PIN again', async () => {
      const s = signer({ label: 'ops' });
      await s.signMessage(Uint8Array.of(1));
      const lease = acquireModule(modulePath);
      const slot = findTokenSlot(lease.api, { tokenLabel: 'a1' }, undefined);
      const changePin = (from: string, to: string) => {
        const session = lease.api.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
        try {
          lease.api.C_Login(session, pkcs11js.CKU_USER, from);
        } catch {
          // already logged in through the signer's sessions
        }
        lease.api.C_SetPIN(session, from, to);
        lease.api.C_CloseSession(session);
      };
      const logins = countCalls(lease, 'C_Login');
      try {
        changePin(USER_PIN, 'pin-rotated-19ab');
        lease.api.C_CloseAllSessions(slot);
        const before = logins.calls;
        await expect(s.signMessage(Uint8Array.of(2))).rejects.toMatchObject({ code: 'AccessDenied' });
        await expect(s.signMessage(Uint8Array.of(3))).rejects.toMatchObject({ code: 'AccessDenied' });
        expect(logins.calls - before).toBe(1);
      } finally {
        changePin('pin-rotated-19ab', USER_PIN);
        logins.restore();
        lease.release();
      }
    });
  });

  describe('module sharing and close()', () => {
    it('signers of one module share one initialized library; closing one leaves the other logged in', async () => {
      const a = signer();
      const b = signer({ label: 'ops' });
      await Promise.all([a.verifyingKey(), b.verifyingKey()]);
      const entry = loadedModules().find((m) => m.path === modulePath)!;
      expect(entry.leases).toBeGreaterThanOrEqual(2);
      await a.close();
      const message = Uint8Array.of(1, 2, 3);
      expect(verifyEd25519(opsPk, message, await b.signMessage(message))).toBe(true);
      await b.close();
    });

    it('close() waits for signs in flight', async () => {
      const s = signer({ poolSize: 2 });
      await s.verifyingKey();
      const pending = Array.from({ length: 10 }, (_, i) => s.signMessage(Uint8Array.of(i)));
      await s.close();
      const signatures = await Promise.all(pending);
      expect(signatures).toHaveLength(10);
      expect(s.sessionStats()).toMatchObject({ open: 0, busy: 0 });
    });

    it('a library someone else initialized (CKR_CRYPTOKI_ALREADY_INITIALIZED) is used and not finalized', async () => {
      // Let every signer of this file release the module first, so the outside instance is first.
      await Promise.all(created.map((s) => s.close()));
      expect(loadedModules()).toEqual([]);
      const outside = new pkcs11js.PKCS11();
      outside.load(modulePath);
      outside.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
      try {
        const s = signer();
        const message = Uint8Array.of(9, 9);
        expect(verifyEd25519(rootPk, message, await s.signMessage(message))).toBe(true);
        await s.close();
        expect(outside.C_GetSlotList(true).length).toBeGreaterThan(0); // still initialized
      } finally {
        outside.C_Finalize();
        outside.close();
      }
    });
  });

  describe('fromEnv and fromUri', () => {
    it('build working signers from A1_PKCS11_* and from a pkcs11: URI', async () => {
      const env = {
        A1_PKCS11_MODULE: modulePath,
        A1_PKCS11_TOKEN: 'a1',
        A1_PKCS11_PIN: USER_PIN,
        A1_PKCS11_KEY_LABEL: 'root',
        A1_PKCS11_KEY_ID: '01',
      };
      const fromEnv = Pkcs11Signer.fromEnv(env);
      created.push(fromEnv);
      expect(fromEnv.keyId).toBe('pkcs11:token=a1;object=root;id=%01;type=private');
      expect(await fromEnv.verifyingKey()).toEqual(rootPk);

      const fromUri = Pkcs11Signer.fromUri(`pkcs11:token=a1;object=ops?module-path=${modulePath}&pin-source=env:A1_PKCS11_PIN`, { env });
      created.push(fromUri);
      const message = Uint8Array.of(4, 5, 6);
      expect(verifyEd25519(opsPk, message, await fromUri.signMessage(message))).toBe(true);
    });
  });
});
