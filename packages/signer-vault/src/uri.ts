/**
 * `hashivault://KEY?mount=transit&version=N&namespace=NS`, the key reference form sigstore's
 * cosign uses for Vault, with our optional mount, version pin and namespace. Pure: no I/O.
 */
import { SignerError } from '@a1/core';
import { PROVIDER } from './errors.js';

export interface VaultKeyReference {
  keyName: string;
  mountPath?: string;
  keyVersion?: number;
  namespace?: string;
}

const FORM = /^hashivault:\/\/([^/?#]+)\/?(?:\?([^#]*))?$/;
const KNOWN_PARAMS = new Set(['mount', 'version', 'namespace']);

export function parseVaultUri(uri: string): VaultKeyReference {
  // The URI is never echoed: a token pasted into it (`?token=hvs.…`) would be printed. Name the part.
  const bad = (why: string) =>
    new SignerError({ provider: PROVIDER, code: 'Misconfigured', retryable: false, message: `bad Vault key URI: ${why}` });
  const m = FORM.exec(uri);
  if (!m) throw bad('expected hashivault://KEY[?mount=PATH&version=N&namespace=NS]');
  const keyName = safeDecode(m[1]!);
  if (keyName === undefined || !isKeyName(keyName)) throw bad('the key name may use letters, digits, "-", "_" and "."');
  // A token pasted where the key name, mount or namespace goes would become part of keyId, and be
  // printed in every message and log line about the signer: refuse it, without showing it.
  if (looksLikeVaultToken(keyName)) throw bad(TOKEN_IN_URI('the key name'));
  const ref: VaultKeyReference = { keyName };
  const params = new URLSearchParams(m[2] ?? '');
  for (const name of new Set(params.keys())) {
    if (!KNOWN_PARAMS.has(name)) throw bad(unknownParameter(name));
    if (params.getAll(name).length > 1) throw bad(`parameter "${name}" given twice`);
  }
  const mount = params.get('mount');
  if (mount !== null) {
    const trimmed = normalizePath(mount);
    if (!trimmed) throw bad('mount must not be empty');
    if (looksLikeVaultToken(trimmed)) throw bad(TOKEN_IN_URI('mount'));
    ref.mountPath = trimmed;
  }
  const version = params.get('version');
  if (version !== null) {
    const n = parseKeyVersion(version);
    if (n === undefined) throw bad('version must be a positive integer');
    ref.keyVersion = n;
  }
  const namespace = params.get('namespace');
  if (namespace !== null) {
    const trimmed = normalizePath(namespace);
    if (!trimmed) throw bad('namespace must not be empty');
    if (looksLikeVaultToken(trimmed)) throw bad(TOKEN_IN_URI('namespace'));
    ref.namespace = trimmed;
  }
  return ref;
}

const TOKEN_IN_URI = (part: string) =>
  `${part} looks like a Vault token (not shown); credentials come from VAULT_TOKEN or the auth options, never the key URI`;

/** Vault's token formats: `hvs.`/`hvb.`/`hvr.` (1.10+) and the legacy `s.`/`b.`/`r.` + 24 characters. */
export function looksLikeVaultToken(text: string): boolean {
  return text.split('/').some((segment) => /^hv[sbr]\.[A-Za-z0-9_-]{4,}/.test(segment) || /^[sbr]\.[A-Za-z0-9]{24}$/.test(segment));
}

/**
 * An unknown parameter's name is never shown, however word-like: a token or password pasted where
 * a name goes would be printed. Only names we know are echoed (credential names get a pointer).
 */
function unknownParameter(name: string): string {
  const known = 'known: mount, version, namespace';
  if (/^(token|vault_token|secret_id|role_id|password)$/i.test(name)) {
    return `parameter "${name.toLowerCase()}" does not belong in the key URI (credentials come from VAULT_TOKEN or the auth options; ${known})`;
  }
  return `an unknown parameter (not shown: it may hold a secret; ${known})`;
}

/** Vault key names: no slashes (they would change the API path). */
export function isKeyName(name: string): boolean {
  return /^[A-Za-z0-9._-]+$/.test(name) && name !== '.' && name !== '..';
}

export function parseKeyVersion(text: string): number | undefined {
  if (!/^[1-9]\d{0,9}$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function normalizePath(path: string): string {
  return path.trim().replace(/^\/+|\/+$/g, '');
}

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}
