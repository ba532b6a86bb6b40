/**
 * GcpKmsSigner through the real @google-cloud/kms client against the Cloud KMS emulator.
 */
import { randomBytes } from 'node:crypto';
import { SignerError } from '@a1/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GcpKmsSigner } from '../src/index.js';
import { ed25519Verifies, rejectionOf, startFixture, type Fixture } from './helpers.js';

let fx: Fixture;

beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.close();
});
beforeEach(() => {
  fx.emulator.faults.clear();
  fx.emulator.calls.reset();
  fx.emulator.quirks.ignoreDataCrc32c = false;
  fx.emulator.quirks.answerName = undefined;
});

async function signerError(promise: Promise<unknown>): Promise<SignerError> {
  const err = await rejectionOf(promise);
  expect(err).toBeInstanceOf(SignerError);
  const signerErr = err as SignerError;
  expect(signerErr.provider).toBe('gcp-kms');
  return signerErr;
}

describe('GcpKmsSigner: signing', () => {
  it('fetches the Ed25519 key and signs messages that verify', async () => {
    const signer = fx.signer();
    expect(signer.keyId).toBe(fx.ed25519.name);
    expect(signer.provider).toBe('gcp-kms');
    const publicKey = await signer.verifyingKey();
    expect(Buffer.from(publicKey).equals(Buffer.from(fx.ed25519.publicKey))).toBe(true);
    for (let i = 0; i < 5; i++) {
      const message = randomBytes(32);
      const signature = await signer.signMessage(message);
      expect(signature).toHaveLength(64);
      expect(ed25519Verifies(publicKey, message, signature)).toBe(true);
    }
  });

  it('asks GetPublicKey once across many signs', async () => {
    const signer = fx.signer();
    for (let i = 0; i < 10; i++) await signer.signMessage(randomBytes(32));
    await signer.verifyingKey();
    expect(fx.emulator.calls.get('GetPublicKey')).toBe(1);
    expect(fx.emulator.calls.get('AsymmetricSign')).toBe(10);
  });

  it('shares one GetPublicKey between concurrent first callers', async () => {
    fx.emulator.faults.inject({ fault: { kind: 'latency', ms: 50 }, operation: 'GetPublicKey', times: 1 });
    const signer = fx.signer();
    const messages = Array.from({ length: 20 }, () => randomBytes(32));
    const [keys, signatures] = await Promise.all([
      Promise.all(Array.from({ length: 5 }, () => signer.verifyingKey())),
      Promise.all(messages.map((m) => signer.signMessage(m))),
    ]);
    expect(fx.emulator.calls.get('GetPublicKey')).toBe(1);
    for (const key of keys) expect(Buffer.from(key).equals(Buffer.from(fx.ed25519.publicKey))).toBe(true);
    messages.forEach((m, i) => expect(ed25519Verifies(fx.ed25519.publicKey, m, signatures[i]!)).toBe(true));
  });

  it('hands out copies of the cached key', async () => {
    const signer = fx.signer();
    const first = await signer.verifyingKey();
    first.fill(0);
    expect(Buffer.from(await signer.verifyingKey()).equals(Buffer.from(fx.ed25519.publicKey))).toBe(true);
  });

  it('accepts the key as parts instead of a full name', async () => {
    const signer = fx.signer({
      name: undefined,
      project: 'a1-emulator',
      location: 'global',
      keyRing: 'a1',
      key: 'a1-root',
      keyVersion: 1,
    });
    expect(signer.keyId).toBe(fx.ed25519.name);
    const message = randomBytes(32);
    expect(ed25519Verifies(fx.ed25519.publicKey, message, await signer.signMessage(message))).toBe(true);
  });

  it('works from the environment and from a gcpkms:// URI', async () => {
    const env = {
      A1_GCP_PROJECT: 'a1-emulator',
      A1_GCP_LOCATION: 'global',
      A1_GCP_KEY_RING: 'a1',
      A1_GCP_KEY: 'a1-root',
      A1_GCP_KEY_VERSION: '1',
      A1_GCP_KMS_ENDPOINT: fx.emulator.endpoint,
    };
    const fromEnv = GcpKmsSigner.fromEnv(env);
    const fromUri = GcpKmsSigner.fromUri(`gcpkms://${fx.ed25519.name}?endpoint=${encodeURIComponent(fx.emulator.endpoint)}`);
    try {
      for (const signer of [fromEnv, fromUri]) {
        const message = randomBytes(32);
        expect(ed25519Verifies(fx.ed25519.publicKey, message, await signer.signMessage(message))).toBe(true);
      }
    } finally {
      await fromEnv.close();
      await fromUri.close();
    }
  });

  it('leaves an injected client open on close()', async () => {
    const owner = fx.signer();
    const { KeyManagementServiceClient } = await import('@google-cloud/kms');
    const { clientOptionsForEndpoint } = await import('../src/index.js');
    const client = new KeyManagementServiceClient(clientOptionsForEndpoint(fx.emulator.endpoint));
    try {
      const borrowed = new GcpKmsSigner({ name: fx.ed25519.name, client });
      await borrowed.signMessage(randomBytes(32));
      await borrowed.close();
      const [answer] = await client.getPublicKey({ name: fx.ed25519.name });
      expect(answer.algorithm).toBe('EC_SIGN_ED25519');
    } finally {
      await client.close();
      await owner.close();
    }
  });
});

describe('GcpKmsSigner: refusals', () => {
  it('refuses a non-Ed25519 key at first use, naming the key and its algorithm', async () => {
    const signer = fx.signer({ name: fx.p256.name });
    const err = await signerError(signer.signMessage(randomBytes(32)));
    expect(err.code).toBe('WrongKeyType');
    expect(err.retryable).toBe(false);
    expect(err.keyId).toBe(fx.p256.name);
    expect(err.message).toContain(fx.p256.name);
    expect(err.message).toContain('EC_SIGN_P256_SHA256');
    expect(fx.emulator.calls.get('AsymmetricSign')).toBe(0);
    expect((await signerError(signer.verifyingKey())).code).toBe('WrongKeyType');
  });

  it('reports an unknown key as KeyNotFound', async () => {
    const name = fx.ed25519.name.replace(/\/1$/, '/7');
    const err = await signerError(fx.signer({ name }).signMessage(randomBytes(32)));
    expect(err.code).toBe('KeyNotFound');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain('NOT_FOUND');
    expect(fx.emulator.calls.get('GetPublicKey')).toBe(1);
  });

  it('refuses messages that are empty, too long or not bytes', async () => {
    const signer = fx.signer();
    for (const bad of [new Uint8Array(0), new Uint8Array(64 * 1024 + 1), 'text' as unknown as Uint8Array]) {
      expect((await signerError(signer.signMessage(bad))).code).toBe('Misconfigured');
    }
    expect(fx.emulator.calls.snapshot()).toEqual({});
  });

  it('refuses bad options with Misconfigured naming the option', () => {
    const attempt = (options: object) => {
      try {
        new GcpKmsSigner(options);
      } catch (err) {
        return err as SignerError;
      }
      throw new Error('expected a throw');
    };
    expect(attempt({ name: 'projects/p/locations/l' }).code).toBe('Misconfigured');
    expect(attempt({ project: 'p', location: 'l', keyRing: 'r', key: 'k' }).message).toMatch(/keyVersion is required/);
    expect(attempt({ name: fx.ed25519.name, timeoutMs: 0 }).message).toMatch(/timeoutMs/);
    expect(attempt({ name: fx.ed25519.name, retry: { maxAttempts: 0 } }).message).toMatch(/maxAttempts/);
    expect(attempt({ name: fx.ed25519.name, endpoint: 'ftp://x' }).message).toMatch(/scheme/);
  });
});

describe('GcpKmsSigner: faults', () => {
  const noRetry = { retry: { maxAttempts: 1 } };

  it('retries throttling with backoff and then signs', async () => {
    fx.emulator.faults.inject({ fault: { kind: 'throttle' }, operation: 'AsymmetricSign', times: 2 });
    const signer = fx.signer();
    const message = randomBytes(32);
    expect(ed25519Verifies(fx.ed25519.publicKey, message, await signer.signMessage(message))).toBe(true);
    expect(fx.emulator.calls.get('AsymmetricSign')).toBe(3);
  });

  it('gives up on persistent throttling with a retryable Throttled error', async () => {
    fx.emulator.faults.inject({ fault: { kind: 'throttle' }, operation: 'AsymmetricSign' });
    const signer = fx.signer({ retry: { maxAttempts: 3, baseDelayMs: 1 } });
    const err = await signerError(signer.signMessage(randomBytes(32)));
    expect(err).toMatchObject({ code: 'Throttled', retryable: true, keyId: fx.ed25519.name });
    expect(err.cause).toBeDefined();
    expect(fx.emulator.calls.get('AsymmetricSign')).toBe(3);
  });

  it('maps UNAVAILABLE to a retryable Unavailable error', async () => {
    fx.emulator.faults.inject({ fault: { kind: 'unavailable' } });
    const err = await signerError(fx.signer(noRetry).signMessage(randomBytes(32)));
    expect(err).toMatchObject({ code: 'Unavailable', retryable: true });
  });

  it('times out a hung call once, without retrying it', async () => {
    fx.emulator.faults.inject({ fault: { kind: 'hang' }, operation: 'AsymmetricSign' });
    const signer = fx.signer({ timeoutMs: 200 });
    const err = await signerError(signer.signMessage(randomBytes(32)));
    expect(err).toMatchObject({ code: 'Timeout', retryable: true });
    expect(fx.emulator.calls.get('AsymmetricSign')).toBe(1);
  });

  it('times out a hung GetPublicKey', async () => {
    fx.emulator.faults.inject({ fault: { kind: 'hang' }, operation: 'GetPublicKey' });
    const err = await signerError(fx.signer({ timeoutMs: 200 }).verifyingKey());
    expect(err.code).toBe('Timeout');
  });

  it('treats a corrupted signatureCrc32c as a retryable InvalidResponse and retries it', async () => {
    fx.emulator.faults.inject({ fault: { kind: 'corrupt-crc' }, operation: 'AsymmetricSign' });
    const err = await signerError(fx.signer({ retry: { maxAttempts: 2, baseDelayMs: 1 } }).signMessage(randomBytes(32)));
    expect(err).toMatchObject({ code: 'InvalidResponse', retryable: true });
    expect(err.message).toMatch(/signatureCrc32c/);
    expect(fx.emulator.calls.get('AsymmetricSign')).toBe(2);
  });

  it('recovers from one corrupted checksum', async () => {
    fx.emulator.faults.inject({ fault: { kind: 'corrupt-crc' }, operation: 'AsymmetricSign', times: 1 });
    const message = randomBytes(32);
    expect(ed25519Verifies(fx.ed25519.publicKey, message, await fx.signer().signMessage(message))).toBe(true);
  });

  it('treats a corrupted pemCrc32c as InvalidResponse', async () => {
    fx.emulator.faults.inject({ fault: { kind: 'corrupt-crc' }, operation: 'GetPublicKey' });
    const err = await signerError(fx.signer(noRetry).verifyingKey());
    expect(err).toMatchObject({ code: 'InvalidResponse', retryable: true });
    expect(err.message).toMatch(/pemCrc32c/);
  });

  it('refuses an answer whose dataCrc32c was not verified', async () => {
    fx.emulator.quirks.ignoreDataCrc32c = true;
    const err = await signerError(fx.signer(noRetry).signMessage(randomBytes(32)));
    expect(err).toMatchObject({ code: 'InvalidResponse', retryable: true });
    expect(err.message).toMatch(/dataCrc32c/);
  });

  it('refuses an answer for another key version', async () => {
    const signer = fx.signer();
    await signer.verifyingKey();
    fx.emulator.quirks.answerName = fx.p256.name;
    const err = await signerError(signer.signMessage(randomBytes(32)));
    expect(err).toMatchObject({ code: 'InvalidResponse', retryable: false });
    expect(err.message).toContain(fx.p256.name);
    expect(fx.emulator.calls.get('AsymmetricSign')).toBe(1);
  });

  it('refuses a truncated signature', async () => {
    fx.emulator.faults.inject({ fault: { kind: 'truncated-body' }, operation: 'AsymmetricSign' });
    const err = await signerError(fx.signer(noRetry).signMessage(randomBytes(32)));
    expect(err).toMatchObject({ code: 'InvalidResponse' });
    expect(err.message).toMatch(/32-byte signature/);
  });

  it('refuses a truncated or garbage PEM', async () => {
    fx.emulator.faults.inject({ fault: { kind: 'truncated-body' }, operation: 'GetPublicKey', times: 1 });
    expect((await signerError(fx.signer(noRetry).verifyingKey())).message).toMatch(/PEM/);
    fx.emulator.faults.inject({ fault: { kind: 'garbage-signature' }, operation: 'GetPublicKey', times: 1 });
    expect((await signerError(fx.signer(noRetry).verifyingKey())).message).toMatch(/SPKI/);
  });

  it('does not cache a failed GetPublicKey', async () => {
    fx.emulator.faults.inject({ fault: { kind: 'unavailable' }, operation: 'GetPublicKey', times: 1 });
    const signer = fx.signer(noRetry);
    expect((await signerError(signer.verifyingKey())).code).toBe('Unavailable');
    expect(await signer.verifyingKey()).toHaveLength(32);
    expect(fx.emulator.calls.get('GetPublicKey')).toBe(2);
  });

  it('passes garbage and wrong-key signatures on unverified (CertBuilder verifies them)', async () => {
    const signer = fx.signer();
    await signer.verifyingKey();
    for (const kind of ['garbage-signature', 'wrong-key-signature'] as const) {
      fx.emulator.faults.inject({ fault: { kind }, operation: 'AsymmetricSign', times: 1 });
      const message = randomBytes(32);
      const signature = await signer.signMessage(message);
      expect(signature).toHaveLength(64);
      expect(ed25519Verifies(fx.ed25519.publicKey, message, signature)).toBe(false);
    }
  });
});

describe('GcpKmsSigner: abort', () => {
  it('refuses to start with an aborted signal', async () => {
    const err = await signerError(fx.signer().signMessage(randomBytes(32), { signal: AbortSignal.abort() }));
    expect(err).toMatchObject({ code: 'Aborted', retryable: false });
    expect(fx.emulator.calls.get('AsymmetricSign')).toBe(0);
  });

  it('stops waiting when the signal fires mid-call', async () => {
    const signer = fx.signer();
    await signer.verifyingKey();
    fx.emulator.faults.inject({ fault: { kind: 'hang' }, operation: 'AsymmetricSign', times: 1 });
    const controller = new AbortController();
    const pending = signer.signMessage(randomBytes(32), { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('user cancelled')), 50);
    const err = await signerError(pending);
    expect(err.code).toBe('Aborted');
  });

  it('stops backing off when the signal fires', async () => {
    fx.emulator.faults.inject({ fault: { kind: 'throttle' }, operation: 'AsymmetricSign' });
    const signer = fx.signer({ retry: { maxAttempts: 10, baseDelayMs: 60_000, maxDelayMs: 60_000, deadlineMs: 600_000 } });
    await signer.verifyingKey();
    const controller = new AbortController();
    const pending = signer.signMessage(randomBytes(32), { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect((await signerError(pending)).code).toBe('Aborted');
    expect(fx.emulator.calls.get('AsymmetricSign')).toBeLessThan(10);
  });
});
