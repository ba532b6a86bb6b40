/**
 * Certs and passports issued through GcpKmsSigner (real client, emulator) verify in @a1/core,
 * and every backend fault ends in a typed SignerError with no cert emitted.
 */
import {
  A1Error,
  authorize,
  CertBuilder,
  intentHash,
  issuePassport,
  LocalSigner,
  signableBytes,
  SignerError,
  verifyEd25519,
  type DelegationCert,
  type SignedChain,
} from '@a1/core';
import type { Fault } from '@a1/emulators';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFixture, type Fixture } from './helpers.js';

let fx: Fixture;
const now = () => BigInt(Math.floor(Date.now() / 1000));

beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.close();
});
beforeEach(() => {
  fx.emulator.faults.clear();
  fx.emulator.calls.reset();
});

describe('GcpKmsSigner with @a1/core', () => {
  it('builds a cert whose signature verifies and which authorizes', async () => {
    const signer = fx.signer();
    const agent = LocalSigner.generate();
    const scope = intentHash('trade.equity');
    const issuedAt = now();
    const cert = await new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt, expirationUnix: issuedAt + 3600n })
      .maxDepth(4)
      .buildAsync(signer);
    expect(Buffer.from(cert.delegatorPk).equals(Buffer.from(fx.ed25519.publicKey))).toBe(true);
    expect(verifyEd25519(fx.ed25519.publicKey, signableBytes(cert), cert.signature)).toBe(true);
    const chain: SignedChain = { principalPk: await signer.verifyingKey(), principalScope: scope, certs: [cert] };
    const receipt = await authorize(chain, { agentPk: agent.verifyingKey(), intent: scope, now: issuedAt });
    expect(receipt).toBeDefined();
  });

  it('roots a 2-hop chain that verifies, and refuses the wrong agent', async () => {
    const signer = fx.signer();
    const [agent1, agent2] = [LocalSigner.generate(), LocalSigner.generate()];
    const scope = intentHash('trade.equity');
    const t = now();
    const hop1 = await new CertBuilder({ delegatePk: agent1.verifyingKey(), scopeRoot: scope, issuedAt: t, expirationUnix: t + 3600n }).buildAsync(signer);
    const hop2 = new CertBuilder({ delegatePk: agent2.verifyingKey(), scopeRoot: scope, issuedAt: t, expirationUnix: t + 600n }).build(agent1);
    const chain: SignedChain = { principalPk: await signer.verifyingKey(), principalScope: scope, certs: [hop1, hop2] };
    await authorize(chain, { agentPk: agent2.verifyingKey(), intent: scope, now: t });
    await expect(authorize(chain, { agentPk: agent1.verifyingKey(), intent: scope, now: t })).rejects.toBeInstanceOf(A1Error);
    expect(fx.emulator.calls.snapshot()).toEqual({ GetPublicKey: 1, AsymmetricSign: 1 });
  });

  it('issues a passport and a sub-cert that pass guard', async () => {
    const signer = fx.signer();
    const agent = LocalSigner.generate();
    const passport = await issuePassport({ namespace: 'acme', capabilities: ['trade.equity', 'audit.read'], ttlSeconds: 3600, signer });
    const sub = await passport.issueSub({ delegatePk: agent.verifyingKey(), capabilities: ['trade.equity'], ttlSeconds: 600, signer });
    const chain = passport.newChain();
    chain.certs.push(sub);
    const receipt = await passport.guard(chain, { agentPk: agent.verifyingKey(), intent: { action: 'trade.equity' } });
    expect(receipt.passportNamespace).toBe('acme');
    await expect(
      passport.guard(chain, { agentPk: agent.verifyingKey(), intent: { action: 'audit.read' } }),
    ).rejects.toBeInstanceOf(A1Error);
    expect(fx.emulator.calls.get('GetPublicKey')).toBe(1);
    expect(fx.emulator.calls.get('AsymmetricSign')).toBe(2);
  });
});

describe('GcpKmsSigner faults through CertBuilder: typed error, no cert', () => {
  const cases: { fault: Fault; operation: string; code: string; retryable: boolean; timeoutMs?: number }[] = [
    { fault: { kind: 'throttle' }, operation: 'AsymmetricSign', code: 'Throttled', retryable: true },
    { fault: { kind: 'unavailable' }, operation: 'AsymmetricSign', code: 'Unavailable', retryable: true },
    { fault: { kind: 'hang' }, operation: 'AsymmetricSign', code: 'Timeout', retryable: true, timeoutMs: 200 },
    { fault: { kind: 'garbage-signature' }, operation: 'AsymmetricSign', code: 'SignatureMismatch', retryable: false },
    { fault: { kind: 'wrong-key-signature' }, operation: 'AsymmetricSign', code: 'SignatureMismatch', retryable: false },
    { fault: { kind: 'corrupt-crc' }, operation: 'AsymmetricSign', code: 'InvalidResponse', retryable: true },
    { fault: { kind: 'truncated-body' }, operation: 'AsymmetricSign', code: 'InvalidResponse', retryable: true },
    { fault: { kind: 'throttle' }, operation: 'GetPublicKey', code: 'Throttled', retryable: true },
    { fault: { kind: 'corrupt-crc' }, operation: 'GetPublicKey', code: 'InvalidResponse', retryable: true },
    { fault: { kind: 'truncated-body' }, operation: 'GetPublicKey', code: 'InvalidResponse', retryable: true },
    { fault: { kind: 'garbage-signature' }, operation: 'GetPublicKey', code: 'InvalidResponse', retryable: true },
    // A well-formed PEM of another key: only the signature check in CertBuilder can catch it.
    { fault: { kind: 'wrong-key-signature' }, operation: 'GetPublicKey', code: 'SignatureMismatch', retryable: false },
  ];

  it.each(cases)('$fault.kind on $operation -> $code', async ({ fault, operation, code, retryable, timeoutMs }) => {
    fx.emulator.faults.inject({ fault, operation });
    const signer = fx.signer({ retry: { maxAttempts: 2, baseDelayMs: 1 }, ...(timeoutMs ? { timeoutMs } : {}) });
    const t = now();
    let cert: DelegationCert | undefined;
    let error: unknown;
    try {
      cert = await new CertBuilder({
        delegatePk: LocalSigner.generate().verifyingKey(),
        scopeRoot: intentHash('trade.equity'),
        issuedAt: t,
        expirationUnix: t + 60n,
      }).buildAsync(signer);
    } catch (err) {
      error = err;
    }
    expect(cert).toBeUndefined();
    expect(error).toBeInstanceOf(SignerError);
    expect(error).toMatchObject({ code, retryable, provider: 'gcp-kms', keyId: fx.ed25519.name });
  });
});
