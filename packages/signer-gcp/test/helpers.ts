/** Emulator + signer setup shared by the signer tests. */
import { createPublicKey, verify } from 'node:crypto';
import { startGcpKms, type GcpKmsEmulator, type GcpKmsKey } from '@a1/emulators';
import { GcpKmsSigner, type GcpKmsSignerOptions } from '../src/index.js';

export interface Fixture {
  emulator: GcpKmsEmulator;
  ed25519: GcpKmsKey;
  p256: GcpKmsKey;
  /** A signer on the Ed25519 key with fast retries; closed by `fixture.close()`. */
  signer(options?: Partial<GcpKmsSignerOptions>): GcpKmsSigner;
  close(): Promise<void>;
}

/** Where the fixture's P-256 key lives (the emulator's default project, location and ring). */
export const P256_NAME = 'projects/a1-emulator/locations/global/keyRings/a1/cryptoKeys/p256/cryptoKeyVersions/1';

export async function startFixture(): Promise<Fixture> {
  const emulator = await startGcpKms();
  const ed25519 = emulator.createKey({ key: 'a1-root' });
  const p256 = emulator.createKey({ key: 'p256', algorithm: 'EC_SIGN_P256_SHA256' });
  if (p256.name !== P256_NAME) throw new Error(`fixture P-256 key is ${p256.name}`);
  const signers: GcpKmsSigner[] = [];
  return {
    emulator,
    ed25519,
    p256,
    signer(options = {}) {
      const signer = new GcpKmsSigner({
        name: ed25519.name,
        endpoint: emulator.endpoint,
        retry: { baseDelayMs: 5, maxDelayMs: 20 },
        ...options,
      });
      signers.push(signer);
      return signer;
    },
    async close() {
      await Promise.all(signers.map((s) => s.close()));
      await emulator.close();
    },
  };
}

/** Pure Ed25519 verification with node:crypto, independent of the code under test. */
export function ed25519Verifies(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), publicKey]);
  return verify(null, message, createPublicKey({ key: spki, format: 'der', type: 'spki' }), signature);
}

/** The rejection of `promise`, failing the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}
