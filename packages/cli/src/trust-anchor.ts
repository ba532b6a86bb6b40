/**
 * What `a1 verify` trusts as the root of a chain. A chain carries its own principal key, so
 * anyone can mint one that verifies; only a key the verifier already holds — `--root HEX`, a
 * file of pinned keys, or a passport — makes "authorized" mean something.
 */
import { A1Error, equalBytes, toHex, type Passport } from '@a1/core';
import { CliError } from './cli-error.js';
import type { ParsedValues } from './command-spec.js';
import { MAX_LINES_FILE_BYTES, readTextFile } from './files.js';
import { parsePublicKey } from './inputs.js';

export type TrustAnchor =
  | { kind: 'pinned'; keys: Uint8Array[]; source: string }
  | { kind: 'passport'; passport: Passport; source: string }
  | { kind: 'none' };

export const NO_ANCHOR_HINT =
  'pin the root: --root HEX (the principal key, e.g. from a1 pubkey --signer URI), --roots FILE (pinned keys, one hex per line), or --passport FILE; --insecure-no-root checks the chain against its own principal, for inspection only';

/** Keys from a pinned-roots file: one hex public key per line, `#` comments. */
export async function readPinnedRoots(path: string): Promise<Uint8Array[]> {
  const keys: Uint8Array[] = [];
  (await readTextFile(path, MAX_LINES_FILE_BYTES)).split(/\r?\n/).forEach((line, i) => {
    const entry = line.replace(/#.*/, '').trim();
    if (entry === '') return;
    try {
      keys.push(parsePublicKey(entry, 'the key'));
    } catch (error) {
      throw new CliError('BadInput', `${path}:${i + 1}: ${(error as Error).message}`, { exitCode: 2 });
    }
  });
  if (keys.length === 0) throw new CliError('BadInput', `${path} pins no key (one hex public key per line)`, { exitCode: 2 });
  return keys;
}

/** The anchor the flags give; a usage error (exit 2) when there is none and no explicit opt-out. */
export async function trustAnchorFrom(values: ParsedValues, resolvePath: (p: string) => string, passport: Passport | undefined): Promise<TrustAnchor> {
  const rootFlags = ((values.root ?? []) as string[]).filter((r) => r.trim() !== '');
  const keys = rootFlags.map((r) => parsePublicKey(r, '--root'));
  const rootsFile = typeof values.roots === 'string' && values.roots.trim() !== '' ? resolvePath(values.roots.trim()) : undefined;
  if (rootsFile) keys.push(...(await readPinnedRoots(rootsFile)));
  if (keys.length > 0 && passport) {
    if (!keys.some((k) => equalBytes(k, passport.holderPk))) {
      throw new CliError('Usage', `the passport's holder ${toHex(passport.holderPk)} is not among the pinned roots`, { hint: 'pin the key that issued the passport, or drop --root/--roots' });
    }
  }
  if (passport) return { kind: 'passport', passport, source: '--passport' };
  if (keys.length > 0) return { kind: 'pinned', keys, source: rootsFile ? (rootFlags.length ? '--root and --roots' : '--roots') : '--root' };
  if (values['insecure-no-root'] === true) return { kind: 'none' };
  throw new CliError('Usage', 'no trust anchor: a1 verify will not trust the root key a chain brings with it (anyone can make a chain that verifies against its own key)', { hint: NO_ANCHOR_HINT });
}

/** RootMismatch (exit 1) when the chain's principal is not a pinned key. */
export function checkPinned(anchor: TrustAnchor, principalPk: Uint8Array): void {
  if (anchor.kind !== 'pinned') return;
  if (!anchor.keys.some((k) => equalBytes(k, principalPk))) {
    throw new A1Error('RootMismatch', { reason: `the chain's principal ${toHex(principalPk)} is not a pinned root (${anchor.source})` });
  }
}
