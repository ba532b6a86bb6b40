import { providerOf, type AsyncSigner, type SignerError } from '@a1/core';
import { ConformanceError } from '../conformance-error.js';
import { expectSignerError } from '../expect-signer-error.js';
import type { SignerConformanceOptions } from '../options.js';
import { randomMessage } from '../random-message.js';
import type { Secret } from '../secret-leaks.js';
import { withSigner } from '../signer-session.js';

/**
 * A signer on a non-Ed25519 key refuses at first use — whether that is `verifyingKey()` or
 * `signMessage()` — with `WrongKeyType`, not retryable, naming the key. Returns both errors.
 */
export async function checkWrongKeyType(
  wrongKeyType: NonNullable<SignerConformanceOptions['wrongKeyType']>,
  options: { secrets?: readonly Secret[] } = {},
): Promise<SignerError[]> {
  if (!wrongKeyType.keyName) throw new ConformanceError('wrongKeyType', 'keyName is empty');
  const firstUses = {
    'verifyingKey()': (s: AsyncSigner) => s.verifyingKey(),
    'signMessage()': (s: AsyncSigner) => s.signMessage(randomMessage()),
  };
  const errors: SignerError[] = [];
  for (const [firstUse, use] of Object.entries(firstUses)) {
    const check = `wrongKeyType, first use ${firstUse}`;
    errors.push(
      await withSigner(check, wrongKeyType.create, async ({ raw }) => {
        const signer = raw as AsyncSigner;
        return expectSignerError(
          Promise.resolve().then(() => use(signer)),
          {
            code: 'WrongKeyType',
            retryable: false,
            provider: providerOf(raw),
            messageIncludes: wrongKeyType.keyName,
            secrets: options.secrets ?? [],
          },
          check,
        ).then((error) => {
          // Read after first use: a signer may resolve its keyId (alias → ARN) lazily.
          if (signer.keyId !== undefined && error.keyId !== signer.keyId) {
            throw new ConformanceError(check, `expected keyId "${signer.keyId}", got ${error.keyId === undefined ? 'none' : `"${error.keyId}"`}`);
          }
          return error;
        });
      }),
    );
  }
  return errors;
}
