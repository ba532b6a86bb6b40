/** The scheme of each backend and the package that implements it (`file:` needs none). */
import { SignerUriError } from './signer-uri-error.js';

export const SIGNER_SCHEMES = {
  'file:': undefined,
  'awskms:': '@a1/signer-aws',
  'gcpkms:': '@a1/signer-gcp',
  'hashivault:': '@a1/signer-vault',
  'azurekms:': '@a1/signer-azure',
  'pkcs11:': '@a1/signer-pkcs11',
} as const;

export type SignerScheme = keyof typeof SIGNER_SCHEMES;

const KNOWN = Object.keys(SIGNER_SCHEMES).join(' ');

/** The scheme of a signer URI. The URI itself is never echoed: a pasted key or token may be in it. */
export function signerScheme(uri: string): SignerScheme {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1]?.toLowerCase();
  if (!scheme) {
    if (/^(0x)?[0-9a-fA-F]{16,}$/.test(uri.trim())) {
      throw new SignerUriError('NotAUri', 'the signer looks like a raw key, not a URI (not shown)', {
        hint: 'never pass a key on the command line: save the seed in a file (mode 0600) and use file:./root.key',
      });
    }
    throw new SignerUriError('NotAUri', 'the signer is not a URI', { hint: `start it with one of: ${KNOWN} (e.g. file:./root.key)` });
  }
  const key = `${scheme}:`;
  // A scheme name is not secret; a long one is cut so nothing after it can leak.
  if (!(key in SIGNER_SCHEMES)) throw new SignerUriError('UnknownScheme', `unknown signer scheme "${scheme.slice(0, 20)}:"`, { hint: `known schemes: ${KNOWN}` });
  return key as SignerScheme;
}

/** The provider package a URI needs, or undefined for `file:`. */
export function providerPackageFor(uri: string): string | undefined {
  return SIGNER_SCHEMES[signerScheme(uri)];
}
