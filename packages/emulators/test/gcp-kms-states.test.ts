/**
 * Cloud KMS key management through the real @google-cloud/kms client: key rings, keys, version
 * states and the answers each state gets, and IAM / API-enablement denials.
 */
import * as grpc from '@grpc/grpc-js';
import { KeyManagementServiceClient } from '@google-cloud/kms';
import { crc32c } from '@node-rs/crc32';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGcpKms, type GcpKmsEmulator } from '../src/gcp/index.js';

let emulator: GcpKmsEmulator;
let client: KeyManagementServiceClient;
const once = { retry: null, timeout: 10_000 };
const location = 'projects/acme/locations/europe-west1';

interface GaxError {
  code?: number;
  details?: string;
  reason?: string;
  statusDetails?: { violations?: { type?: string; subject?: string }[] }[];
}

async function rejection(promise: Promise<unknown>): Promise<GaxError> {
  try {
    await promise;
  } catch (err) {
    return err as GaxError;
  }
  throw new Error('expected the call to fail');
}

function sign(name: string) {
  const data = Buffer.from('a1 states');
  return client.asymmetricSign({ name, data, dataCrc32c: { value: crc32c(data) } }, once);
}

/** Polls GetCryptoKeyVersion until the version leaves PENDING_GENERATION. */
async function untilGenerated(name: string): Promise<string> {
  for (;;) {
    const [version] = await client.getCryptoKeyVersion({ name }, once);
    if (version.state !== 'PENDING_GENERATION') return String(version.state);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  emulator = await startGcpKms({ generationDelayMs: 200 });
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
  emulator.access.clear();
});

describe('Cloud KMS emulator: key management through the SDK', () => {
  let versionName: string;

  it('creates a key ring and an Ed25519 key whose first version is PENDING_GENERATION, then ENABLED', async () => {
    const [ring] = await client.createKeyRing({ parent: location, keyRingId: 'ring', keyRing: {} }, once);
    expect(ring.name).toBe(`${location}/keyRings/ring`);
    const again = await rejection(client.createKeyRing({ parent: location, keyRingId: 'ring', keyRing: {} }, once));
    expect(again.code).toBe(grpc.status.ALREADY_EXISTS);

    const [key] = await client.createCryptoKey(
      { parent: ring.name, cryptoKeyId: 'root', cryptoKey: { purpose: 'ASYMMETRIC_SIGN', versionTemplate: { algorithm: 'EC_SIGN_ED25519', protectionLevel: 'HSM' } } },
      once,
    );
    expect(key).toMatchObject({ name: `${ring.name}/cryptoKeys/root`, purpose: 'ASYMMETRIC_SIGN', versionTemplate: { algorithm: 'EC_SIGN_ED25519', protectionLevel: 'HSM' } });
    versionName = `${key.name}/cryptoKeyVersions/1`;
    const [pending] = await client.getCryptoKeyVersion({ name: versionName }, once);
    expect(pending.state).toBe('PENDING_GENERATION');
    const early = await rejection(sign(versionName));
    expect(early.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(early.details).toBe(`${versionName} is not enabled, current state is: PENDING_GENERATION.`);
    expect(await untilGenerated(versionName)).toBe('ENABLED');
    const [signed] = await sign(versionName);
    expect(signed.signature).toHaveLength(64);
  });

  it('refuses a key in a ring that does not exist, and purposes it does not hold', async () => {
    const noRing = await rejection(
      client.createCryptoKey({ parent: `${location}/keyRings/nope`, cryptoKeyId: 'k', cryptoKey: { purpose: 'ASYMMETRIC_SIGN', versionTemplate: { algorithm: 'EC_SIGN_ED25519' } } }, once),
    );
    expect(noRing.code).toBe(grpc.status.NOT_FOUND);
  });

  it('disables and re-enables a version; a disabled one answers FAILED_PRECONDITION with KEY_DISABLED', async () => {
    const [disabled] = await client.updateCryptoKeyVersion({ cryptoKeyVersion: { name: versionName, state: 'DISABLED' }, updateMask: { paths: ['state'] } }, once);
    expect(disabled.state).toBe('DISABLED');
    const err = await rejection(sign(versionName));
    expect(err.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(err.details).toBe(`${versionName} is not enabled, current state is: DISABLED.`);
    expect(err.statusDetails?.[0]?.violations?.[0]).toMatchObject({ type: 'KEY_DISABLED', subject: versionName });
    expect((await rejection(client.getPublicKey({ name: versionName }, once))).code).toBe(grpc.status.FAILED_PRECONDITION);
    await client.updateCryptoKeyVersion({ cryptoKeyVersion: { name: versionName, state: 'ENABLED' }, updateMask: { paths: ['state'] } }, once);
    await sign(versionName);
    const bad = await rejection(client.updateCryptoKeyVersion({ cryptoKeyVersion: { name: versionName, state: 'DESTROYED' }, updateMask: { paths: ['state'] } }, once));
    expect(bad.code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('schedules destruction, restores to DISABLED, and refuses updates of a destroyed version', async () => {
    const [scheduled] = await client.destroyCryptoKeyVersion({ name: versionName }, once);
    expect(scheduled.state).toBe('DESTROY_SCHEDULED');
    expect(Number(scheduled.destroyTime?.seconds)).toBeGreaterThan(Date.now() / 1000 + 29 * 86_400);
    expect((await rejection(sign(versionName))).details).toContain('current state is: DESTROY_SCHEDULED.');
    const [restored] = await client.restoreCryptoKeyVersion({ name: versionName }, once);
    expect(restored.state).toBe('DISABLED');
    const twice = await rejection(client.restoreCryptoKeyVersion({ name: versionName }, once));
    expect(twice.code).toBe(grpc.status.FAILED_PRECONDITION);

    emulator.setVersionState(versionName, 'DESTROYED');
    expect(emulator.describe().keys.find((k) => k.name === versionName)?.state).toBe('DESTROYED');
    expect((await rejection(sign(versionName))).details).toBe(`${versionName} is not enabled, current state is: DESTROYED.`);
    const update = await rejection(client.updateCryptoKeyVersion({ cryptoKeyVersion: { name: versionName, state: 'ENABLED' }, updateMask: { paths: ['state'] } }, once));
    expect(update.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(update.details).toContain('has value DESTROYED');
  });
});

describe('Cloud KMS emulator: IAM and API enablement', () => {
  it('answers PERMISSION_DENIED "(or it may not exist)" alike for a key without access and a missing key', async () => {
    const allowed = emulator.createKey({ project: 'acme', keyRing: 'iam', key: 'allowed' });
    const other = emulator.createKey({ project: 'acme', keyRing: 'iam', key: 'other' });
    emulator.access.allowOnly([allowed.cryptoKeyName]);
    await sign(allowed.name);
    const denied = await rejection(sign(other.name));
    const missing = await rejection(sign(`${other.cryptoKeyName.replace('/other', '/ghost')}/cryptoKeyVersions/1`));
    for (const err of [denied, missing]) {
      expect(err.code).toBe(grpc.status.PERMISSION_DENIED);
      expect(err.details).toMatch(/^Permission 'cloudkms\.cryptoKeyVersions\.useToSign' denied on resource '.+' \(or it may not exist\)\.$/);
    }
    // With access, a missing version is NOT_FOUND.
    emulator.access.allowOnly(undefined);
    expect((await rejection(sign(`${allowed.cryptoKeyName}/cryptoKeyVersions/9`))).code).toBe(grpc.status.NOT_FOUND);
  });

  it('answers SERVICE_DISABLED when the API is not enabled in the project', async () => {
    const key = emulator.createKey({ project: 'fresh', key: 'k' });
    emulator.access.setApiEnabled('fresh', false);
    const err = await rejection(sign(key.name));
    expect(err.code).toBe(grpc.status.PERMISSION_DENIED);
    expect(err.reason).toBe('SERVICE_DISABLED');
    expect(err.details).toMatch(/Cloud Key Management Service \(KMS\) API has not been used in project fresh before or it is disabled/);
  });
});
