/** The shared signer conformance suite, against the Vault emulator through the real node-vault client. */
import { startVaultTransit, type VaultTransitEmulator } from '@a1/emulators';
import { describeSignerConformance } from '@a1/signer-testkit';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { VaultTransitSigner, type VaultTransitSignerOptions } from '../src/index.js';

const ROOT_TOKEN = 'hvs.conformance-root-8b1f2d';
const SECRET_ID = 'approle-secret-4e7c19';
const K8S_JWT = 'eyJhbGciOiJSUzI1NiJ9.conformance-sa-token.c0ffee';
const UNBOUND_JWT = 'eyJhbGciOiJSUzI1NiJ9.unbound-sa-token.deadbeef';
const dir = mkdtempSync(join(tmpdir(), 'a1-vault-conformance-'));
const jwtFile = (jwt: string) => {
  const file = join(dir, `${jwt.slice(-8)}.jwt`);
  writeFileSync(file, jwt);
  return file;
};

let vault: VaultTransitEmulator;
let roleId: string;
beforeAll(async () => {
  vault = await startVaultTransit({ rootToken: ROOT_TOKEN });
  vault.createKey({ name: 'a1-root' });
  vault.createKey({ name: 'p256-key', type: 'ecdsa-p256' });
  roleId = vault.addAppRole({ secretId: SECRET_ID, tokenTtlSeconds: 3600 }).roleId;
  vault.addKubernetesRole({ role: 'a1-signer', jwts: [K8S_JWT] });
});
afterAll(async () => {
  await vault.close();
  rmSync(dir, { recursive: true, force: true });
});

const signer = (extra: Partial<VaultTransitSignerOptions> = {}) =>
  new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'a1-root', roleId, secretId: SECRET_ID, retryBaseDelayMs: 5, ...extra });
// Retries would cure a one-off fault; these signers retry once and the faults outlast that.
const impatient = () => signer({ maxRetries: 1, timeoutMs: 300 });
const clear = () => {
  vault.faults.clear();
  vault.quirks.ignoreKeyVersion = false;
};

describeSignerConformance('vault-transit', {
  create: () => signer(),
  publicKeyFetches: () => vault.calls.get('ReadKey'),
  wrongKeyType: { create: () => signer({ keyName: 'p256-key' }), keyName: 'p256-key' },
  secrets: [ROOT_TOKEN, SECRET_ID, K8S_JWT, UNBOUND_JWT],
  faults: {
    'throttled (429)': {
      create: impatient,
      arrange: () => void vault.faults.inject({ fault: { kind: 'throttle', retryAfterSeconds: 1 }, operation: 'Sign' }),
      cleanup: clear,
      expect: { code: 'Throttled', retryable: true },
    },
    'sealed (503)': {
      create: impatient,
      arrange: () => void vault.faults.inject({ fault: { kind: 'unavailable' }, operation: 'Sign' }),
      cleanup: clear,
      expect: { code: 'Unavailable', retryable: true },
    },
    'internal error (500)': {
      create: impatient,
      arrange: () => vault.injectStatus({ status: 500, errors: ['internal error'], operation: 'Sign', times: 2 }),
      expect: { code: 'Unavailable', retryable: true },
    },
    'hang -> timeout': {
      create: impatient,
      arrange: () => void vault.faults.inject({ fault: { kind: 'hang' }, operation: 'Sign' }),
      cleanup: clear,
      expect: { code: 'Timeout', retryable: true },
    },
    'truncated body': {
      create: impatient,
      arrange: () => void vault.faults.inject({ fault: { kind: 'truncated-body' }, operation: 'Sign' }),
      cleanup: clear,
      expect: { code: 'Unavailable', retryable: true },
    },
    'garbage signature': {
      arrange: () => void vault.faults.inject({ fault: { kind: 'garbage-signature' }, operation: 'Sign' }),
      cleanup: clear,
      expect: { code: 'SignatureMismatch', retryable: false },
    },
    'signature by another key': {
      arrange: () => void vault.faults.inject({ fault: { kind: 'wrong-key-signature' }, operation: 'Sign' }),
      cleanup: clear,
      expect: { code: 'SignatureMismatch', retryable: false },
    },
    'malformed signature envelope': {
      arrange: () => void vault.faults.inject({ fault: { kind: 'corrupt-crc' }, operation: 'Sign' }),
      cleanup: clear,
      expect: { code: 'InvalidResponse', retryable: true },
    },
    'signature from another key version': {
      arrange: () => {
        vault.rotateKey('a1-root');
        vault.quirks.ignoreKeyVersion = true;
      },
      cleanup: clear,
      expect: { code: 'InvalidResponse', retryable: false },
    },
    'revoked token (403)': {
      create: () => new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'a1-root', token: vault.createToken({ ttlSeconds: 3600 }) }),
      arrange: () => vault.tokens.expireAll(),
      expect: { code: 'AccessDenied', retryable: false },
    },
    'wrong AppRole secret': {
      create: () => signer({ secretId: `${SECRET_ID}-wrong` }),
      phase: 'first-use',
      arrange: () => undefined,
      expect: { code: 'AccessDenied', retryable: false },
    },
    'Kubernetes service-account token not bound to the role': {
      create: () => new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'a1-root', kubernetes: { role: 'a1-signer', jwtFile: jwtFile(UNBOUND_JWT) } }),
      phase: 'first-use',
      arrange: () => undefined,
      expect: { code: 'AccessDenied', retryable: false },
    },
    'missing key': {
      create: () => signer({ keyName: 'no-such-key' }),
      phase: 'first-use',
      arrange: () => undefined,
      expect: { code: 'KeyNotFound', retryable: false },
    },
    'aborted mid-call': {
      arrange: () => void vault.faults.inject({ fault: { kind: 'hang' }, operation: 'Sign' }),
      cleanup: clear,
      signal: () => AbortSignal.timeout(100),
      expect: { code: 'Aborted', retryable: false },
    },
  },
});
