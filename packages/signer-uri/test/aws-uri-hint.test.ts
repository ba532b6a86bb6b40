// `awskms://alias/a1-root` (two slashes): "alias" is read as a host; the message says so and
// gives the URI that was meant. Custom endpoints still parse as endpoints.
import { isSignerError } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { signerFromUri } from '../src/index.js';

// The SDK's Node 20 notice is not what this test is about.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

describe('awskms:// with the key where the endpoint goes', () => {
  it.each([
    ['awskms://alias/a1-root', 'awskms:///alias/a1-root', '"alias" was read as a host'],
    ['awskms://alias/a1-root?region=eu-west-1', 'awskms:///alias/a1-root?region=eu-west-1', '"alias" was read as a host'],
    ['awskms://arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'awskms:///arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', 'key ARN was read as a host'],
    ['awskms://1234abcd-12ab-34cd-56ef-1234567890ab', 'awskms:///1234abcd-12ab-34cd-56ef-1234567890ab', 'key id was read as a host'],
  ])('%s → suggests %s', async (uri, meant, said) => {
    const error = await signerFromUri(uri).catch((e: unknown) => e);
    expect(isSignerError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'Misconfigured', provider: 'aws-kms' });
    expect((error as Error).message).toContain(said);
    expect((error as Error).message).toContain(`did you mean ${meant}`);
  });

  it('a real endpoint (host:port) is not mistaken for a key', async () => {
    const signer = await signerFromUri('awskms://127.0.0.1:4566/alias/a1-root?region=us-east-1', { env: {} });
    expect(signer.keyId).toBe('alias/a1-root');
    await signer.close?.();
  });
});
