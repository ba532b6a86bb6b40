/**
 * `awskms://alias/a1-root` (two slashes) is the commonest AWS KMS URI mistake: "alias" becomes
 * the endpoint host. Said before any package is loaded, with the URI that was meant.
 */
import { SignerError } from '@a1/core';

// A host named like a key reference: `alias`, an ARN, or a key id (UUID or mrk-…).
const KEY_AS_HOST = /^awskms:\/\/(alias|arn:aws[a-z-]*:kms:[^/]*|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})(\/[^?#]*)?([?#].*)?$/i;

/** A `Misconfigured` error when the key was written where the endpoint goes; undefined otherwise. */
export function awsKeyAsHostProblem(uri: string): SignerError | undefined {
  const match = KEY_AS_HOST.exec(uri);
  if (!match) return undefined;
  const host = match[1]!;
  const meant = `awskms:///${host}${match[2] ?? ''}${match[3] ?? ''}`;
  const what = host.toLowerCase() === 'alias' ? '"alias"' : host.toLowerCase().startsWith('arn:') ? 'the key ARN' : 'the key id';
  return new SignerError({
    provider: 'aws-kms',
    code: 'Misconfigured',
    message: `${what} was read as a host name (awskms://HOST:PORT/KEY names a custom endpoint); did you mean ${meant} (three slashes)?`,
  });
}
