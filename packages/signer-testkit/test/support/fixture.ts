/** A backend with one Ed25519 key, one P-256 key and a distinctive token, for every test file. */
import { FakeBackend } from './fake-backend.js';
import { FakeKmsSigner, type Defect } from './fake-kms-signer.js';

export const TOKEN = 'tok-3f9a7c21e5';

export function fixture() {
  const backend = new FakeBackend(TOKEN).addKey('root').addKey('p256-root', 'p256');
  const signer = (defects: Defect[] = [], overrides: { keyName?: string; token?: string; timeoutMs?: number } = {}) =>
    new FakeKmsSigner({ backend, keyName: 'root', token: TOKEN, defects, ...overrides });
  return { backend, signer };
}
