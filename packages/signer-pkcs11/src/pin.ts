/**
 * Getting the PIN when it is needed, and only then. Nothing here puts a PIN into a message.
 */
import { SignerError } from '@a1/core';
import type { PinSource } from './options.js';
import type { PinSourceRef } from './uri.js';
import { signerError } from './pkcs11-failure.js';
import { readPinFile } from './pin-file.js';

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
      if (!pin) throw signerError(undefined, 'Misconfigured', `PIN variable ${shownVariable(ref.name)} is not set`, undefined, false);
      return pin;
    };
  }
  return async () => {
    const read = await readPinFile(ref.path);
    // The path is not shown: `pin-source=/1234` (a PIN pasted as the path) must not be printed.
    if ('problem' in read) {
      throw signerError(undefined, 'Misconfigured', `the PIN file ${read.problem} (its path is not shown)`, undefined, false);
    }
    return read.text.replace(/\r?\n$/, '');
  };
}

/** A conventional variable name (A1_PKCS11_PIN) is shown; any other text may be a pasted PIN. */
function shownVariable(name: string): string {
  return /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(name) ? name : '(name not shown)';
}
