/**
 * No credential material reaches a SignerError message, even when the auth library's own
 * error would quote it.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSignerError } from '../src/errors.js';
import { startFixture, type Fixture } from './helpers.js';

const SECRET = 'SECRET-PRIVATE-KEY-MATERIAL-1234567890';
let fx: Fixture;

beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => {
  await fx?.close();
});

function messagesOf(err: unknown): string {
  return err instanceof Error ? `${err.message}\n${err.stack}` : String(err);
}

describe('GcpKmsSigner: redaction', () => {
  it('does not quote a local failure that may carry credential text', () => {
    // e.g. JSON.parse of a broken credentials file quotes the bytes around the error.
    const local = new SyntaxError(`Unexpected token in JSON at "-----BEGIN PRIVATE KEY-----${SECRET}"`);
    const err = toSignerError(local, 'projects/p/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1', 'GetPublicKey');
    expect(err).toMatchObject({ code: 'BackendError', retryable: false });
    expect(err.cause).toBe(local);
    expect(err.message).toContain('SyntaxError');
    expect(err.message).not.toContain(SECRET);
    expect(err.message).not.toContain('PRIVATE KEY');
  });

  it('names missing credentials without quoting the auth library', () => {
    const err = toSignerError(new Error(`Could not load the default credentials. ${SECRET}`), 'k', 'AsymmetricSign');
    expect(err.code).toBe('AccessDenied');
    expect(err.message).toMatch(/GOOGLE_APPLICATION_CREDENTIALS/);
    expect(err.message).not.toContain(SECRET);
  });

  it('keeps key material out of every fault message', async () => {
    const kinds = ['throttle', 'unavailable', 'corrupt-crc', 'truncated-body', 'garbage-signature'] as const;
    let checked = 0;
    for (const kind of kinds) {
      for (const operation of ['GetPublicKey', 'AsymmetricSign']) {
        fx.emulator.faults.clear();
        fx.emulator.faults.inject({ fault: { kind }, operation });
        const signer = fx.signer({ retry: { maxAttempts: 1 } });
        const err = await signer.signMessage(randomBytes(32)).then(
          () => undefined, // a garbage signature passes here; CertBuilder refuses it
          (e: unknown) => e,
        );
        if (err === undefined) continue;
        checked++;
        const text = messagesOf(err);
        const pemBody = fx.ed25519.publicKeyPem.split('\n')[1]!;
        expect(text).not.toContain(pemBody);
        expect(text).not.toMatch(/BEGIN (PUBLIC|PRIVATE) KEY/);
      }
    }
    fx.emulator.faults.clear();
    expect(checked).toBe(kinds.length * 2 - 1);
  });
});
