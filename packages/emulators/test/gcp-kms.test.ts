/**
 * The Cloud KMS emulator driven by the real @google-cloud/kms client over loopback gRPC.
 */
import { createPublicKey, verify } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { KeyManagementServiceClient } from '@google-cloud/kms';
import { crc32c } from '@node-rs/crc32';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGcpKms, type GcpKmsEmulator, type GcpKmsKey } from '../src/gcp/index.js';
import { startGcpKmsCommand } from '../src/gcp/command.js';

let emulator: GcpKmsEmulator;
let client: KeyManagementServiceClient;
let ed25519: GcpKmsKey;
let p256: GcpKmsKey;

/** No client-side retries, so each fault shows up as the status the emulator sent. */
const once = { retry: null, timeout: 5_000 };

function statusOf(err: unknown): number | undefined {
  return (err as { code?: number }).code;
}

async function rejection(promise: Promise<unknown>): Promise<{ code: number | undefined; details: string }> {
  try {
    await promise;
  } catch (err) {
    return { code: statusOf(err), details: String((err as { details?: string }).details ?? (err as Error).message) };
  }
  throw new Error('expected the call to fail');
}

function verifies(key: GcpKmsKey, data: Buffer, signature: Uint8Array): boolean {
  return verify(null, data, createPublicKey(key.publicKeyPem), signature);
}

beforeAll(async () => {
  emulator = await startGcpKms({ keys: [{ key: 'root' }] });
  ed25519 = emulator.keys()[0]!;
  p256 = emulator.createKey({ key: 'p256', algorithm: 'EC_SIGN_P256_SHA256' });
  // The loopback setup: plaintext channel credentials, and an explicit universe domain so the
  // auth library never looks for Application Default Credentials or a metadata server.
  client = new KeyManagementServiceClient({
    apiEndpoint: emulator.host,
    port: emulator.port,
    sslCreds: grpc.credentials.createInsecure(),
    universeDomain: 'googleapis.com',
  });
});

afterAll(async () => {
  await client?.close();
  await emulator?.close();
});

beforeEach(() => {
  emulator.faults.clear();
  emulator.calls.reset();
  emulator.quirks.ignoreDataCrc32c = false;
  emulator.quirks.answerName = undefined;
});

describe('Cloud KMS emulator: keys', () => {
  it('names keys as CryptoKeyVersions and numbers new versions of an existing key', () => {
    expect(ed25519.name).toBe('projects/a1-emulator/locations/global/keyRings/a1/cryptoKeys/root/cryptoKeyVersions/1');
    expect(ed25519.publicKey).toHaveLength(32);
    const second = emulator.createKey({ key: 'root' });
    expect(second.name).toBe(`${ed25519.cryptoKeyName}/cryptoKeyVersions/2`);
    expect(Buffer.from(second.publicKey).equals(Buffer.from(ed25519.publicKey))).toBe(false);
    expect(() => emulator.createKey({ key: 'root', algorithm: 'EC_SIGN_P256_SHA256' })).toThrow(/EC_SIGN_ED25519/);
    expect(() => emulator.createKey({ keyRing: 'bad/ring' })).toThrow(/keyRing/);
  });

  it('describes endpoint and keys as plain JSON without private material', () => {
    const described = emulator.describe();
    expect(described.endpoint).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(described.keys.map((k) => k.name)).toContain(ed25519.name);
    expect(JSON.stringify(described)).not.toMatch(/PRIVATE/);
  });
});

describe('Cloud KMS emulator: GetPublicKey', () => {
  it('answers the PEM SPKI with its CRC32C, algorithm and name', async () => {
    const [answer] = await client.getPublicKey({ name: ed25519.name });
    expect(answer.algorithm).toBe('EC_SIGN_ED25519');
    expect(answer.name).toBe(ed25519.name);
    expect(answer.pem).toBe(ed25519.publicKeyPem);
    expect(String(answer.pemCrc32c?.value)).toBe(String(crc32c(Buffer.from(answer.pem!, 'utf8'))));
    const der = createPublicKey(answer.pem!).export({ type: 'spki', format: 'der' });
    expect(der.subarray(0, 12).toString('hex')).toBe('302a300506032b6570032100');
    expect(Buffer.from(der.subarray(12)).equals(Buffer.from(ed25519.publicKey))).toBe(true);
    expect(emulator.calls.get('GetPublicKey')).toBe(1);
  });

  it('answers the P-256 key with its own algorithm', async () => {
    const [answer] = await client.getPublicKey({ name: p256.name });
    expect(answer.algorithm).toBe('EC_SIGN_P256_SHA256');
    expect(createPublicKey(answer.pem!).asymmetricKeyType).toBe('ec');
  });

  it('answers NOT_FOUND for an unknown version and INVALID_ARGUMENT for a malformed name', async () => {
    const missing = await rejection(client.getPublicKey({ name: `${ed25519.cryptoKeyName}/cryptoKeyVersions/99` }, once));
    expect(missing.code).toBe(grpc.status.NOT_FOUND);
    expect(missing.details).toContain('cryptoKeyVersions/99');
    const malformed = await rejection(client.getPublicKey({ name: ed25519.cryptoKeyName }, once));
    expect(malformed.code).toBe(grpc.status.INVALID_ARGUMENT);
  });
});

describe('Cloud KMS emulator: AsymmetricSign', () => {
  const data = Buffer.from('a1 signable message, 32 bytes..!');

  it('signs pure data with Ed25519 and checks the CRC32C both ways', async () => {
    const [answer] = await client.asymmetricSign({ name: ed25519.name, data, dataCrc32c: { value: crc32c(data) } });
    expect(answer.signature).toHaveLength(64);
    expect(verifies(ed25519, data, answer.signature as Uint8Array)).toBe(true);
    expect(String(answer.signatureCrc32c?.value)).toBe(String(crc32c(answer.signature as Uint8Array)));
    expect(answer.verifiedDataCrc32c).toBe(true);
    expect(answer.name).toBe(ed25519.name);
    expect(answer.protectionLevel).toBe('HSM');
    expect(emulator.calls.get('AsymmetricSign')).toBe(1);
  });

  it('reports verifiedDataCrc32c false when no checksum was sent', async () => {
    const [answer] = await client.asymmetricSign({ name: ed25519.name, data });
    expect(answer.verifiedDataCrc32c).toBe(false);
  });

  it('refuses a data_crc32c that does not match with INVALID_ARGUMENT', async () => {
    const wrong = (crc32c(data) ^ 0xff) >>> 0;
    const failure = await rejection(client.asymmetricSign({ name: ed25519.name, data, dataCrc32c: { value: wrong } }, once));
    expect(failure.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(failure.details).toMatch(/data_crc32c/);
  });

  it('refuses a digest for an Ed25519 key like the real service', async () => {
    const failure = await rejection(
      client.asymmetricSign({ name: ed25519.name, digest: { sha256: Buffer.alloc(32, 1) } }, once),
    );
    expect(failure.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(failure.details).toMatch(/EC_SIGN_ED25519/);
  });

  it('refuses empty and oversized data', async () => {
    expect((await rejection(client.asymmetricSign({ name: ed25519.name }, once))).code).toBe(grpc.status.INVALID_ARGUMENT);
    const big = Buffer.alloc(64 * 1024 + 1);
    expect((await rejection(client.asymmetricSign({ name: ed25519.name, data: big }, once))).code).toBe(
      grpc.status.INVALID_ARGUMENT,
    );
  });

  it('signs with the P-256 key as ECDSA over SHA-256', async () => {
    const [answer] = await client.asymmetricSign({ name: p256.name, data });
    expect(verify('sha256', data, createPublicKey(p256.publicKeyPem), answer.signature as Uint8Array)).toBe(true);
  });

  it('answers NOT_FOUND for an unknown key', async () => {
    const name = 'projects/a1-emulator/locations/global/keyRings/a1/cryptoKeys/nope/cryptoKeyVersions/1';
    expect((await rejection(client.asymmetricSign({ name, data }, once))).code).toBe(grpc.status.NOT_FOUND);
  });

  it('answers GetCryptoKeyVersion and UNIMPLEMENTED for RPCs it does not emulate', async () => {
    const [version] = await client.getCryptoKeyVersion({ name: ed25519.name });
    expect(version).toMatchObject({ name: ed25519.name, state: 'ENABLED', algorithm: 'EC_SIGN_ED25519' });
    const unimplemented = await rejection(client.getKeyRing({ name: 'projects/a1-emulator/locations/global/keyRings/a1' }, once));
    expect(unimplemented.code).toBe(grpc.status.UNIMPLEMENTED);
    expect(emulator.calls.snapshot()).toEqual({ GetCryptoKeyVersion: 1 });
  });
});

describe('Cloud KMS emulator: faults', () => {
  const data = Buffer.from('fault injection message');
  const sign = (name = ed25519.name) => client.asymmetricSign({ name, data, dataCrc32c: { value: crc32c(data) } }, once);

  it('throttles the next N calls with RESOURCE_EXHAUSTED, then answers', async () => {
    emulator.faults.inject({ fault: { kind: 'throttle' }, operation: 'AsymmetricSign', times: 2 });
    expect((await rejection(sign())).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect((await rejection(sign())).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    const [answer] = await sign();
    expect(verifies(ed25519, data, answer.signature as Uint8Array)).toBe(true);
    expect(emulator.calls.get('AsymmetricSign')).toBe(3);
  });

  it('answers UNAVAILABLE for an outage', async () => {
    emulator.faults.inject({ fault: { kind: 'unavailable' }, operation: 'GetPublicKey', times: 1 });
    expect((await rejection(client.getPublicKey({ name: ed25519.name }, once))).code).toBe(grpc.status.UNAVAILABLE);
  });

  it('hangs past the client deadline', async () => {
    emulator.faults.inject({ fault: { kind: 'hang' }, times: 1 });
    const failure = await rejection(client.asymmetricSign({ name: ed25519.name, data }, { retry: null, timeout: 200 }));
    expect(failure.code).toBe(grpc.status.DEADLINE_EXCEEDED);
  });

  it('adds latency and still answers correctly', async () => {
    emulator.faults.inject({ fault: { kind: 'latency', ms: 30 }, times: 1 });
    const [answer] = await sign();
    expect(verifies(ed25519, data, answer.signature as Uint8Array)).toBe(true);
  });

  it('answers a garbage signature with a matching CRC', async () => {
    emulator.faults.inject({ fault: { kind: 'garbage-signature' }, times: 1 });
    const [answer] = await sign();
    expect(answer.signature).toHaveLength(64);
    expect(String(answer.signatureCrc32c?.value)).toBe(String(crc32c(answer.signature as Uint8Array)));
    expect(verifies(ed25519, data, answer.signature as Uint8Array)).toBe(false);
  });

  it('answers a signature from another key', async () => {
    emulator.faults.inject({ fault: { kind: 'wrong-key-signature' }, times: 1 });
    const [answer] = await sign();
    expect(answer.signature).toHaveLength(64);
    expect(verifies(ed25519, data, answer.signature as Uint8Array)).toBe(false);
  });

  it('corrupts signatureCrc32c and pemCrc32c', async () => {
    emulator.faults.inject({ fault: { kind: 'corrupt-crc' }, times: 2 });
    const [signed] = await sign();
    expect(String(signed.signatureCrc32c?.value)).not.toBe(String(crc32c(signed.signature as Uint8Array)));
    expect(verifies(ed25519, data, signed.signature as Uint8Array)).toBe(true);
    const [pk] = await client.getPublicKey({ name: ed25519.name }, once);
    expect(String(pk.pemCrc32c?.value)).not.toBe(String(crc32c(Buffer.from(pk.pem!, 'utf8'))));
  });

  it('truncates the signature and the PEM (with checksums of what was sent)', async () => {
    emulator.faults.inject({ fault: { kind: 'truncated-body' }, times: 2 });
    const [signed] = await sign();
    expect(signed.signature).toHaveLength(32);
    expect(String(signed.signatureCrc32c?.value)).toBe(String(crc32c(signed.signature as Uint8Array)));
    const [pk] = await client.getPublicKey({ name: ed25519.name }, once);
    expect(pk.pem!.length).toBeLessThan(ed25519.publicKeyPem.length);
    expect(() => createPublicKey(pk.pem!)).toThrow();
  });

  it('scopes faults to one key by version name, CryptoKey name or key id', async () => {
    emulator.faults.inject({ fault: { kind: 'throttle' }, key: 'p256' });
    await sign(); // the Ed25519 key is untouched
    expect((await rejection(sign(p256.name))).code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    emulator.faults.clear();
    emulator.faults.inject({ fault: { kind: 'unavailable' }, key: ed25519.cryptoKeyName, times: 1 });
    expect((await rejection(sign())).code).toBe(grpc.status.UNAVAILABLE);
    await sign();
  });

  it('quirks: ignores the data checksum and answers another name when asked', async () => {
    emulator.quirks.ignoreDataCrc32c = true;
    emulator.quirks.answerName = p256.name;
    const [answer] = await sign();
    expect(answer.verifiedDataCrc32c).toBe(false);
    expect(answer.name).toBe(p256.name);
  });
});

describe('Cloud KMS emulator: raw gRPC edge cases', () => {
  const path = '/google.cloud.kms.v1.KeyManagementService/AsymmetricSign';
  const raw = (payload: Buffer) => {
    const channel = new grpc.Client(`${emulator.host}:${emulator.port}`, grpc.credentials.createInsecure());
    return new Promise<{ code: number; details: string }>((resolve) => {
      channel.makeUnaryRequest(
        path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        payload,
        (err) => {
          channel.close();
          resolve({ code: err?.code ?? grpc.status.OK, details: err?.details ?? '' });
        },
      );
    });
  };

  it('answers an undecodable request with an error status and keeps serving', async () => {
    // Field 1 (name) declared as a 100-byte string, but the frame ends after 3 bytes.
    const failure = await raw(Buffer.from([0x0a, 0x64, 0x61, 0x62, 0x63]));
    expect(failure.code).not.toBe(grpc.status.OK);
    const [answer] = await client.getPublicKey({ name: ed25519.name });
    expect(answer.algorithm).toBe('EC_SIGN_ED25519');
  });

  it('answers an empty request (no name) with INVALID_ARGUMENT', async () => {
    const failure = await raw(Buffer.alloc(0));
    expect(failure.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(failure.details).toMatch(/name/);
  });
});

describe('Cloud KMS emulator: lifecycle', () => {
  it('close() ends hung calls instead of leaving them open', async () => {
    const own = await startGcpKms({ keys: [{}] });
    const ownClient = new KeyManagementServiceClient({
      apiEndpoint: own.host,
      port: own.port,
      sslCreds: grpc.credentials.createInsecure(),
      universeDomain: 'googleapis.com',
    });
    try {
      own.faults.inject({ fault: { kind: 'hang' } });
      const pending = rejection(ownClient.getPublicKey({ name: own.keys()[0]!.name }, { retry: null, timeout: 60_000 }));
      await new Promise((r) => setTimeout(r, 100));
      expect(own.calls.get('GetPublicKey')).toBe(1);
      await own.close();
      const failure = await pending;
      expect([grpc.status.CANCELLED, grpc.status.UNAVAILABLE]).toContain(failure.code);
    } finally {
      await ownClient.close();
      await own.close();
    }
  });

  it('the command starts an Ed25519 demo key and a P-256 negative-test key', async () => {
    const running = await startGcpKmsCommand({ port: 0, host: '127.0.0.1' });
    try {
      const described = running.describe();
      expect(described.keys.map((k) => k.algorithm)).toEqual(['EC_SIGN_ED25519', 'EC_SIGN_P256_SHA256']);
      expect(described.keys[0]!.name).toMatch(/cryptoKeys\/a1-root\/cryptoKeyVersions\/1$/);
      expect(described.env).toEqual({
        A1_GCP_KMS_ENDPOINT: running.endpoint,
        A1_GCP_PROJECT: 'a1-emulator',
        A1_GCP_LOCATION: 'global',
        A1_GCP_KEY_RING: 'a1',
        A1_GCP_KEY: 'a1-root',
        A1_GCP_KEY_VERSION: '1',
      });
    } finally {
      await running.close();
    }
  });
});
