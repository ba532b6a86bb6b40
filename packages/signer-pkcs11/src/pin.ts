/**
 * Getting the PIN when it is needed, and only then. Nothing here puts a PIN into a message.
 */
import { readFile } from 'node:fs/promises';
import { SignerError } from '@a1/core';
import type { PinSource } from './options.js';
import type { PinSourceRef } from './uri.js';
import { signerError } from './pkcs11-failure.js';

export async function resolvePin(source: PinSource, keyId: string | undefined): Promise<string> {
  let pin: unknown;
  try {
    pin = typeof source === 'function' ? await source() : source;
  } catch (e) {
    if (e instanceof SignerError) throw e; // our own env/file sources already say what is missing
    throw signerError(keyId, 'Misconfigured', 'the PIN callback failed', e, false);
  }
  if (typeof pin !== 'string' || pin.length === 0) {
    throw signerError(keyId, 'Misconfigured', 'the PIN is empty or not a string', undefined, false);
  }
  return pin;
}

/** A PIN source that reads an environment variable or a file at login time. */
export function pinFromRef(ref: PinSourceRef, env: NodeJS.ProcessEnv): PinSource {
  if (ref.kind === 'env') {
    return () => {
      const pin = env[ref.name];
      if (!pin) throw signerError(undefined, 'Misconfigured', `PIN variable ${ref.name} is not set`, undefined, false);
      return pin;
    };
  }
  return async () => {
    let text: string;
    try {
      text = await readFile(ref.path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      // The cause is dropped on purpose: a read error never holds the PIN, but keep it simple to audit.
      throw signerError(undefined, 'Misconfigured', `cannot read PIN file ${ref.path} (${code})`, undefined, false);
    }
    return text.replace(/\r?\n$/, '');
  };
}
