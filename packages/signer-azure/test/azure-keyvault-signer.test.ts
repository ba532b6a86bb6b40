import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import {
  A1Error,
  CertBuilder,
  LocalSigner,
  SignerError,
  authorize,
  intentHash,
  issuePassport,
  verifyEd25519,
  type DelegationCert,
  type SignedChain,
} from '@a1/core';
import type { AzureKeyVaultEmulator } from '@a1/emulators';
import { AzureKeyVaultSigner, NO_ED25519_ON_GA } from '../src/index.js';
import { emulatorClientOptions, everyRendering, rejection, signerFor, startVault } from './fixtures.js';

const message = new Uint8Array(32).map((_, i) => 255 - i);
const now = () => BigInt(Math.floor(Date.now() / 1000));

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe('AzureKeyVaultSigner against the Key Vault emulator (real @azure/keyvault-keys over HTTPS)', () => {
  let emu: AzureKeyVaultEmulator;
  let rootPk: Uint8Array;
  beforeAll(async () => {
    emu = await startVault();
    rootPk = emu.createKey('root').publicKey;
    emu.createKey({ name: 'hsm', kty: 'OKP-HSM' });
    emu.createKey({ name: 'ec', kty: 'EC' });
    emu.createKey({ name: 'rsa', kty: 'RSA' });
    emu.createKey({ name: 'verify-only', keyOps: ['verify'] });
    emu.grant('reader-token-1234', ['get']);
  });
  afterAll(() => emu.close());

  it('reads the OKP Ed25519 key once and signs with EdDSA; signatures verify', async () => {
    const signer = signerFor(emu, 'root');
    emu.calls.reset();
    expect(await signer.verifyingKey()).toEqual(rootPk);
    const signature = await signer.signMessage(message);
    expect(signature).toHaveLength(64);
    expect(verifyEd25519(rootPk, message, signature)).toBe(true);
    expect(verifyEd25519(rootPk, new Uint8Array(32), signature)).toBe(false);
    expect(emu.calls.get('GetKey')).toBe(1);
    expect(signer.keyId).toMatch(new RegExp(`^${emu.endpoint}/keys/root/[0-9a-f]{32}$`));
    expect(signer.provider).toBe('azure-keyvault');
  });

  it('issues a passport and a 2-hop chain that @a1/core verifies offline', async () => {
    const kms = signerFor(emu, 'root');
    const agent1 = LocalSigner.generate();
    const agent2 = LocalSigner.generate();
    const passport = await issuePassport({ namespace: 'acme', capabilities: ['trade.equity', 'audit.read'], ttlSeconds: 3600, signer: kms });
    expect(passport.holderPk).toEqual(rootPk);
    const sub = await passport.issueSub({ delegatePk: agent1.verifyingKey(), capabilities: ['trade.equity'], ttlSeconds: 600, signer: kms });
    const hop2 = new CertBuilder({
      delegatePk: agent2.verifyingKey(),
      scopeRoot: sub.scopeRoot,
      issuedAt: now(),
      expirationUnix: sub.expirationUnix,
    }).build(agent1);
    const chain = passport.newChain();
    chain.certs.push(sub, hop2);
    const receipt = await passport.guard(chain, { agentPk: agent2.verifyingKey(), intent: { action: 'trade.equity' }, now: now() });
    expect(receipt.passportNamespace).toBe('acme');
    // Outside the sub-cert's capabilities, the same chain is refused.
    await expect(
      passport.guard(passport.newChain(), { agentPk: agent2.verifyingKey(), intent: { action: 'trade.equity' }, now: now() }),
    ).rejects.toBeInstanceOf(A1Error);
    await expect(
      passport.guard(chain, { agentPk: agent2.verifyingKey(), intent: { action: 'audit.read' }, now: now() }),
    ).rejects.toBeInstanceOf(A1Error);
  });

  it('signs plain CertBuilder chains that authorize() accepts', async () => {
    const kms = signerFor(emu, 'root');
    const agent = LocalSigner.generate();
    const scope = intentHash('trade.equity');
    const cert = await new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now(), expirationUnix: now() + 3600n })
      .maxDepth(4)
      .buildAsync(kms);
    const chain: SignedChain = { principalPk: await kms.verifyingKey(), principalScope: scope, certs: [cert] };
    const receipt = await authorize(chain, { agentPk: agent.verifyingKey(), intent: scope, now: now() });
    expect(receipt).toBeDefined();
  });

  it('accepts OKP-HSM Ed25519 keys (Managed HSM)', async () => {
    const signer = signerFor(emu, 'hsm');
    const pk = await signer.verifyingKey();
    expect(verifyEd25519(pk, message, await signer.signMessage(message))).toBe(true);
  });

  it('shares one key read among concurrent first calls', async () => {
    const signer = signerFor(emu, 'root');
    emu.calls.reset();
    const signatures = await Promise.all(Array.from({ length: 24 }, () => signer.signMessage(message)));
    expect(signatures.every((s) => verifyEd25519(rootPk, message, s))).toBe(true);
    expect(emu.calls.get('GetKey')).toBe(1);
    expect(emu.calls.get('Sign')).toBe(24);
  });

  for (const [keyName, kind] of [
    ['ec', 'EC P-256'],
    ['rsa', 'RSA 2048'],
  ] as const) {
    it(`refuses the ${kind} key, saying what it is and what to use instead`, async () => {
      const signer = signerFor(emu, keyName);
      emu.calls.reset();
      const error = await rejection(signer.verifyingKey());
      expect(error).toBeInstanceOf(SignerError);
      const e = error as SignerError;
      expect(e.code).toBe('WrongKeyType');
      expect(e.retryable).toBe(false);
      expect(e.provider).toBe('azure-keyvault');
      expect(e.message).toContain(kind);
      expect(e.message).toContain(keyName);
      expect(e.message).toContain('generally available Azure Key Vault offers no Ed25519 keys');
      expect(e.message).toContain('Azure Cloud HSM through @a1/signer-pkcs11');
      expect(e.message).toContain(NO_ED25519_ON_GA);
      // Refused before any signing, and not re-read on the next attempt.
      expect((await rejection(signer.signMessage(message)) as SignerError).code).toBe('WrongKeyType');
      expect(emu.calls.get('Sign')).toBe(0);
      expect(emu.calls.get('GetKey')).toBe(1);
    });
  }

  it('refuses an Ed25519 key whose key_ops exclude sign', async () => {
    const error = (await rejection(signerFor(emu, 'verify-only').verifyingKey())) as SignerError;
    expect(error.code).toBe('WrongKeyType');
    expect(error.message).toContain('do not include sign');
  });

  it('pins the version it read: a rotation on the server does not change the signing key', async () => {
    const v1 = emu.createKey('rotating');
    const signer = signerFor(emu, 'rotating');
    expect(await signer.verifyingKey()).toEqual(v1.publicKey);
    const v2 = emu.rotateKey('rotating');
    const start = emu.history.length;
    const signature = await signer.signMessage(message);
    expect(verifyEd25519(v1.publicKey, message, signature)).toBe(true);
    expect(emu.history.slice(start).filter((r) => r.operation === 'Sign').map((r) => r.version)).toEqual([v1.version]);
    expect(signer.keyId).toBe(v1.kid);
    // A new signer picks up the new current version.
    const fresh = signerFor(emu, 'rotating');
    expect(await fresh.verifyingKey()).toEqual(v2.publicKey);
  });

  it('uses keyVersion when given', async () => {
    const v1 = emu.createKey('versioned');
    emu.rotateKey('versioned');
    const signer = signerFor(emu, 'versioned', { keyVersion: v1.version });
    expect(signer.keyId).toBe(v1.kid);
    expect(await signer.verifyingKey()).toEqual(v1.publicKey);
    expect(verifyEd25519(v1.publicKey, message, await signer.signMessage(message))).toBe(true);
  });

  it('answers the bearer challenge: tokens are asked for the vault scope and the challenge tenant', async () => {
    const signer = signerFor(emu, 'root');
    const start = emu.history.length;
    const requests = emu.tokenRequests.length;
    await signer.signMessage(message);
    await signer.signMessage(message);
    // KeyClient and CryptographyClient each answer the challenge once, then reuse the token.
    expect(emu.history.slice(start).map((r) => `${r.operation}:${r.status}`)).toEqual([
      'Challenge:401',
      'GetKey:200',
      'Challenge:401',
      'Sign:200',
      'Sign:200',
    ]);
    const asked = emu.tokenRequests.slice(requests);
    expect(asked.length).toBeGreaterThan(0);
    for (const request of asked) expect(request).toEqual({ scopes: ['https://vault.azure.net/.default'], tenantId: emu.tenantId });
  });

  it('without disableChallengeResourceVerification the SDK refuses the loopback host (why the option is needed)', async () => {
    const signer = signerFor(emu, 'root', { clientOptions: { tlsOptions: { ca: emu.ca }, retryOptions: { maxRetries: 0 } } });
    const error = (await rejection(signer.verifyingKey())) as SignerError;
    expect(error.code).toBe('Misconfigured');
    expect(error.message).toContain('disableChallengeResourceVerification');
  });

  it('without the emulator CA, TLS fails as Misconfigured (no verification bypass)', async () => {
    const signer = signerFor(emu, 'root', {
      clientOptions: { disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } },
    });
    const error = (await rejection(signer.verifyingKey())) as SignerError;
    expect(error.code).toBe('Misconfigured');
    expect(error.message).toMatch(/TLS/);
  });

  it('honours 429 Retry-After: no retry before the delay, then the same sign succeeds', async () => {
    emu.createKey('marker');
    const signer = signerFor(emu, 'root', { retryDeadlineMs: 30_000 });
    await signer.verifyingKey();
    emu.faults.inject({ operation: 'Sign', key: 'root', fault: { kind: 'throttle', retryAfterSeconds: 2 }, times: 1 });
    const start = emu.history.length;
    const signing = signer.signMessage(message);
    await waitFor(() => emu.history.slice(start).some((r) => r.status === 429));
    // While the Retry-After window is open, another client reads a key: it must land before the retry.
    await signerFor(emu, 'marker').verifyingKey();
    const signature = await signing;
    expect(verifyEd25519(rootPk, message, signature)).toBe(true);
    const seen = emu.history.slice(start).filter((r) => r.operation !== 'Challenge');
    expect(seen.map((r) => `${r.operation}:${r.key}:${r.status}`)).toEqual(['Sign:root:429', 'GetKey:marker:200', 'Sign:root:200']);
  });

  it('a throttle that outlasts the retry deadline ends in a retryable Throttled error', async () => {
    const signer = signerFor(emu, 'root', { retryDeadlineMs: 1_500 });
    await signer.verifyingKey();
    emu.calls.reset();
    emu.faults.inject({ operation: 'Sign', fault: { kind: 'throttle', retryAfterSeconds: 0 } });
    try {
      const error = (await rejection(signer.signMessage(message))) as SignerError;
      expect(error).toBeInstanceOf(SignerError);
      expect(error.code).toBe('Throttled');
      expect(error.retryable).toBe(true);
      expect(error.message).toContain('429');
      expect(error.message).toContain('retryDeadlineMs');
      // Retry-After 0: the signer backed off with jitter and tried again before giving up.
      expect(emu.calls.get('Sign')).toBeGreaterThan(1);
    } finally {
      emu.faults.clear();
    }
  });

  describe('every fault ends in a typed SignerError and no cert', () => {
    const cases: Array<{
      name: string;
      arrange: () => void;
      code: SignerError['code'];
      retryable: boolean;
      options?: () => Parameters<typeof signerFor>[2];
    }> = [
      { name: 'unavailable (503)', arrange: () => emu.faults.inject({ operation: 'Sign', fault: { kind: 'unavailable' } }), code: 'Unavailable', retryable: true },
      {
        name: 'hang',
        arrange: () => emu.faults.inject({ operation: 'Sign', fault: { kind: 'hang' } }),
        code: 'Timeout',
        retryable: true,
        options: () => ({ timeoutMs: 300 }),
      },
      { name: 'garbage signature', arrange: () => emu.faults.inject({ operation: 'Sign', fault: { kind: 'garbage-signature' } }), code: 'SignatureMismatch', retryable: false },
      { name: 'wrong-key signature', arrange: () => emu.faults.inject({ operation: 'Sign', fault: { kind: 'wrong-key-signature' } }), code: 'SignatureMismatch', retryable: false },
      { name: 'truncated body', arrange: () => emu.faults.inject({ operation: 'Sign', fault: { kind: 'truncated-body' } }), code: 'InvalidResponse', retryable: true },
      {
        name: 'token without the sign permission (403)',
        arrange: () => undefined,
        code: 'AccessDenied',
        retryable: false,
        options: () => ({ credential: emu.credential('reader-token-1234') }),
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const signer = signerFor(emu, 'root', c.options?.());
        await signer.verifyingKey();
        c.arrange();
        let cert: DelegationCert | undefined;
        try {
          const error = await rejection(
            new CertBuilder({ delegatePk: LocalSigner.generate().verifyingKey(), scopeRoot: intentHash('x'), issuedAt: now(), expirationUnix: now() + 60n })
              .buildAsync(signer)
              .then((built) => (cert = built)),
          );
          expect(error).toBeInstanceOf(SignerError);
          expect({ code: (error as SignerError).code, retryable: (error as SignerError).retryable }).toEqual({ code: c.code, retryable: c.retryable });
          expect((error as SignerError).provider).toBe('azure-keyvault');
          expect(cert).toBeUndefined();
          for (const text of everyRendering(error)) {
            expect(text).not.toContain(emu.token);
            expect(text).not.toContain('reader-token-1234');
          }
        } finally {
          emu.faults.clear();
        }
      });
    }
  });

  it('a disabled key is refused at first use, and a key disabled later fails its signs as AccessDenied', async () => {
    emu.createKey('switchable');
    emu.setKeyEnabled('switchable', false);
    const refused = (await rejection(signerFor(emu, 'switchable').verifyingKey())) as SignerError;
    expect(refused.code).toBe('AccessDenied');
    expect(refused.message).toContain('disabled');
    emu.setKeyEnabled('switchable', true);
    const signer = signerFor(emu, 'switchable');
    await signer.verifyingKey();
    emu.setKeyEnabled('switchable', false);
    const error = (await rejection(signer.signMessage(message))) as SignerError;
    expect(error.code).toBe('AccessDenied');
    expect(error.message).toContain('the key is disabled');
    expect(error.message).not.toContain('Crypto User');
  });

  it('refuses a key id that points to another vault, before any token could go there', async () => {
    const { startAzureKeyVault } = await import('@a1/emulators');
    const foreign = await startAzureKeyVault({ kidBaseUrl: 'https://elsewhere.vault.azure.net' });
    try {
      foreign.createKey('root');
      const signer = signerFor(foreign, 'root');
      const error = (await rejection(signer.verifyingKey())) as SignerError;
      expect(error.code).toBe('InvalidResponse');
      expect(error.message).toContain('points to another vault (https://elsewhere.vault.azure.net)');
      expect(foreign.calls.get('Sign')).toBe(0);
    } finally {
      await foreign.close();
    }
  });

  it('a missing key is KeyNotFound on first use', async () => {
    const error = (await rejection(signerFor(emu, 'nope').verifyingKey())) as SignerError;
    expect(error.code).toBe('KeyNotFound');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('nope');
  });

  it('a rejected token is AccessDenied, and neither token appears anywhere', async () => {
    const signer = signerFor(emu, 'root', { credential: emu.credential('wrong-token-5f9e2b') });
    const error = (await rejection(signer.verifyingKey())) as SignerError;
    expect(error.code).toBe('AccessDenied');
    for (const text of [...everyRendering(error), inspect(signer, { depth: 10 }), JSON.stringify(signer)]) {
      expect(text).not.toContain('wrong-token-5f9e2b');
      expect(text).not.toContain(emu.token);
    }
  });

  it('a caller abort ends the sign with Aborted', async () => {
    const signer = signerFor(emu, 'root');
    await signer.verifyingKey();
    emu.faults.inject({ operation: 'Sign', fault: { kind: 'hang' }, times: 1 });
    const controller = new AbortController();
    const signing = rejection(signer.signMessage(message, { signal: controller.signal }));
    await waitFor(() => emu.history.at(-1)?.operation === 'Sign');
    controller.abort();
    const error = (await signing) as SignerError;
    expect(error.code).toBe('Aborted');
    expect(error.retryable).toBe(false);
    expect((await rejection(signer.signMessage(message, { signal: AbortSignal.abort() })) as SignerError).code).toBe('Aborted');
  });

  it('a first-use failure is not cached: the next call reads the key again', async () => {
    const signer = signerFor(emu, 'root');
    emu.faults.inject({ operation: 'GetKey', fault: { kind: 'unavailable' }, times: 1 });
    expect(((await rejection(signer.verifyingKey())) as SignerError).code).toBe('Unavailable');
    expect(await signer.verifyingKey()).toEqual(rootPk);
  });

  it('refuses bad options with Misconfigured before any network call', () => {
    const credential = emu.credential();
    const bad: Array<Record<string, unknown>> = [
      { vaultUrl: 'not a url', keyName: 'root', credential },
      { vaultUrl: 'http://vault.example', keyName: 'root', credential },
      { vaultUrl: emu.endpoint, keyName: 'bad/name', credential },
      { vaultUrl: emu.endpoint, keyName: 'root', keyVersion: 'v/1', credential },
      { vaultUrl: emu.endpoint, keyName: 'root', credential: {} },
      { vaultUrl: emu.endpoint, keyName: 'root', credential, timeoutMs: 0 },
    ];
    for (const options of bad) {
      expect(() => new AzureKeyVaultSigner(options as never)).toThrow(SignerError);
      try {
        new AzureKeyVaultSigner(options as never);
      } catch (e) {
        expect((e as SignerError).code).toBe('Misconfigured');
      }
    }
  });

  it('refuses a non-bytes message', async () => {
    const error = (await rejection(signerFor(emu, 'root').signMessage('hello' as never))) as SignerError;
    expect(error.code).toBe('Misconfigured');
  });

  it('fromUri reaches the same key', async () => {
    const uri = `azurekms://${new URL(emu.endpoint).host}/root`;
    const signer = AzureKeyVaultSigner.fromUri(uri, { credential: emu.credential(), clientOptions: emulatorClientOptions(emu) });
    expect(await signer.verifyingKey()).toEqual(rootPk);
  });
});
