/**
 * `fromEnv()`'s parsing half: environment variables to signer options, as a pure function.
 *
 *   A1_PKCS11_MODULE     library path (required)
 *   A1_PKCS11_TOKEN      token label, or `serial=<serial>` / `slot-id=<n>`
 *   A1_PKCS11_PIN        user PIN (read at login, not before)
 *   A1_PKCS11_KEY_LABEL  CKA_LABEL of the key  } at least one
 *   A1_PKCS11_KEY_ID     CKA_ID of the key, hex } of these two
 *   A1_PKCS11_POOL_SIZE  logged-in sessions to keep (default 4)
 */
import type { Pkcs11SignerOptions } from './options.js';
import { signerError } from './pkcs11-failure.js';
import { pinFromRef } from './pin.js';

function missing(name: string): never {
  throw signerError(undefined, 'Misconfigured', `${name} is not set`, undefined, false);
}

/** Hex with optional `:` or space separators (`01a2`, `01:a2`), as HSM tools print ids. */
export function parseKeyIdHex(text: string, name = 'A1_PKCS11_KEY_ID'): Uint8Array {
  const hex = text.replace(/[:\s]/g, '');
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex)) {
    throw signerError(undefined, 'Misconfigured', `${name} must be hex bytes, e.g. 01a2 or 01:a2`, undefined, false);
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

export function parsePoolSize(text: string, name = 'A1_PKCS11_POOL_SIZE'): number {
  if (!/^\d{1,3}$/.test(text) || Number(text) < 1) {
    throw signerError(undefined, 'Misconfigured', `${name} must be a whole number from 1 to 999`, undefined, false);
  }
  return Number(text);
}

export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): Pkcs11SignerOptions {
  const module = env.A1_PKCS11_MODULE || missing('A1_PKCS11_MODULE');
  if (!env.A1_PKCS11_PIN) missing('A1_PKCS11_PIN');
  const label = env.A1_PKCS11_KEY_LABEL || undefined;
  const id = env.A1_PKCS11_KEY_ID ? parseKeyIdHex(env.A1_PKCS11_KEY_ID) : undefined;
  if (label === undefined && id === undefined) missing('A1_PKCS11_KEY_LABEL or A1_PKCS11_KEY_ID');

  const options: Pkcs11SignerOptions = { module, pin: pinFromRef({ kind: 'env', name: 'A1_PKCS11_PIN' }, env) };
  if (label !== undefined) options.label = label;
  if (id !== undefined) options.id = id;
  const token = env.A1_PKCS11_TOKEN;
  if (token) {
    if (token.startsWith('serial=')) options.serial = token.slice('serial='.length);
    else if (token.startsWith('slot-id=')) {
      const slot = token.slice('slot-id='.length);
      if (!/^\d{1,15}$/.test(slot)) {
        throw signerError(undefined, 'Misconfigured', 'A1_PKCS11_TOKEN slot-id= must be a decimal number', undefined, false);
      }
      options.slot = Number(slot);
    } else options.tokenLabel = token;
  }
  if (env.A1_PKCS11_POOL_SIZE) options.poolSize = parsePoolSize(env.A1_PKCS11_POOL_SIZE);
  return options;
}
