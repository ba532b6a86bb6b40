/**
 * Cloud KMS throttling as the service answers it, read back through the real client (google-gax
 * decodes grpc-status-details-bin into statusDetails / reason / domain / errorInfoMetadata).
 */
import * as grpc from '@grpc/grpc-js';
import { KeyManagementServiceClient } from '@google-cloud/kms';
import { crc32c } from '@node-rs/crc32';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGcpKms, type GcpKmsEmulator, type GcpKmsKey } from '../src/gcp/index.js';

let emulator: GcpKmsEmulator;
let client: KeyManagementServiceClient;
let key: GcpKmsKey;
const once = { retry: null, timeout: 10_000 };

interface GaxError {
  code?: number;
  details?: string;
  reason?: string;
  domain?: string;
  errorInfoMetadata?: Record<string, string>;
  statusDetails?: { retryDelay?: { seconds?: unknown; nanos?: number } }[];
}

async function rejection(promise: Promise<unknown>): Promise<GaxError> {
  try {
    await promise;
  } catch (err) {
    return err as GaxError;
  }
  throw new Error('expected the call to fail');
}

const sign = () => {
  const data = Buffer.from('a1 quota');
  return client.asymmetricSign({ name: key.name, data, dataCrc32c: { value: crc32c(data) } }, once);
};

beforeAll(async () => {
  emulator = await startGcpKms({ keys: [{ project: 'acme', key: 'root' }] });
  key = emulator.keys()[0]!;
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
  emulator.quirks.retryInfoOnThrottle = false;
});

describe('Cloud KMS emulator: quota answers', () => {
  it('answers RESOURCE_EXHAUSTED with the quota text and ErrorInfo RATE_LIMIT_EXCEEDED, no RetryInfo by default', async () => {
    emulator.faults.quota({ limit: 0, windowMs: 60_000, operation: 'AsymmetricSign' });
    const err = await rejection(sign());
    expect(err.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(err.details).toBe(
      "Quota exceeded for quota metric 'Cryptographic requests' and limit 'Cryptographic requests per minute' of service 'cloudkms.googleapis.com' for consumer 'projects/acme'.",
    );
    expect(err.reason).toBe('RATE_LIMIT_EXCEEDED');
    expect(err.domain).toBe('googleapis.com');
    expect(err.errorInfoMetadata).toMatchObject({ service: 'cloudkms.googleapis.com', consumer: 'projects/acme' });
    expect(err.statusDetails?.some((d) => d.retryDelay !== undefined)).toBe(false);
  });

  it('adds a RetryInfo with the time left in the window when the quirk asks for it', async () => {
    emulator.quirks.retryInfoOnThrottle = true;
    emulator.faults.quota({ limit: 0, windowMs: 60_000 });
    const err = await rejection(client.getPublicKey({ name: key.name }, once));
    expect(err.details).toMatch(/quota metric 'Read requests'/);
    const retryInfo = err.statusDetails?.find((d) => d.retryDelay !== undefined);
    const seconds = Number(String(retryInfo?.retryDelay?.seconds));
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
  });
});
