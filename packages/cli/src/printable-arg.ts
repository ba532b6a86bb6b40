/**
 * An argument as it may appear in a message. A key or token pasted in the wrong place (a seed
 * as a positional, `a1 <hex>`) must not be echoed back to a terminal or a CI log, even partly.
 */
import { looksLikeKeyMaterial } from '@a1/signer-uri';

/** Long base64-ish runs (cloud secrets, JWTs) and Vault token prefixes. */
const TOKEN_LIKE = /[A-Za-z0-9+/_-]{32,}|^(hvs|hvb|s)\.[A-Za-z0-9]/;

export function printableArg(arg: string): string {
  if (looksLikeKeyMaterial(arg)) return '(not shown: it looks like key material)';
  return TOKEN_LIKE.test(arg) ? '(not shown: it looks like a token)' : `"${arg.slice(0, 60)}"`;
}

/** A file path as it may appear in a message: `a1 inspect <seed>` must not print the seed back. */
export function printablePath(path: string): string {
  return looksLikeKeyMaterial(path) ? 'the file (not shown: its name looks like key material)' : path;
}
