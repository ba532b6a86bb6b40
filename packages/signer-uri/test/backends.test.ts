// signerFromUri against the loopback emulators through the real vendor SDKs: the URI decides the
// provider, and the signer it returns signs verifiably with the key the backend holds.
import { verifyEd25519 } from '@a1/core';
import { startAwsKms, startVaultTransit } from '@a1/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSigner, signerFromUri } from '../src/index.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

let aws: Awaited<ReturnType<typeof startAwsKms>>;
let vault: Awaited<ReturnType<typeof startVaultTransit>>;

beforeAll(async () => {
  [aws, vault] = await Promise.all([startAwsKms(), startVaultTransit()]);
  aws.createKey({ alias: 'alias/a1-uri' });
  vault.createKey({ name: 'a1-root', type: 'ed25519' });
}, 60_000);
afterAll(async () => {
  await Promise.all([aws?.close(), vault?.close()]);
});

describe('signerFromUri on the emulators', () => {
  it('awskms://HOST:PORT/alias/… signs through @aws-sdk/client-kms', async () => {
    const { credentials } = aws.clientConfig();
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
    try {
      const signer = await signerFromUri(`awskms://${new URL(aws.endpoint).host}/alias/a1-uri?region=${aws.region}`);
      const message = new TextEncoder().encode('a1 signer-uri');
      const signature = await signer.signMessage(message);
      expect(verifyEd25519(await signer.verifyingKey(), message, signature)).toBe(true);
      await closeSigner(signer);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });

  it('hashivault:// reads VAULT_ADDR and VAULT_TOKEN from the env option, not process.env', async () => {
    const signer = await signerFromUri('hashivault://a1-root?mount=transit', { env: { VAULT_ADDR: vault.endpoint, VAULT_TOKEN: vault.rootToken } });
    const message = new TextEncoder().encode('a1 signer-uri vault');
    expect(verifyEd25519(await signer.verifyingKey(), message, await signer.signMessage(message))).toBe(true);
    await closeSigner(signer);
    await expect(signerFromUri('hashivault://a1-root', { env: {} })).rejects.toMatchObject({ code: 'Misconfigured', provider: 'vault-transit' });
  });
});
