/** A parsed `pkcs11:` URI to signer options: where pin-source becomes a PIN callback. */
import type { Pkcs11SignerOptions } from './options.js';
import { signerError } from './pkcs11-failure.js';
import { pinFromRef } from './pin.js';
import { parsePkcs11Uri, type Pkcs11Uri } from './uri.js';

function misconfigured(reason: string): never {
  throw signerError(undefined, 'Misconfigured', `PKCS#11 URI: ${reason}`, undefined, false);
}

const MODULE_PATH_EXAMPLE =
  'e.g. pkcs11:token=a1;object=root?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=env:A1_PKCS11_PIN';

export interface UriOptionsContext {
  /** Where `pin-source=env:NAME` looks. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Used when the URI has no module-path (then `A1_PKCS11_MODULE` from `env`). */
  module?: string;
  /** Used when the URI has neither pin-source nor pin-value. */
  pin?: Pkcs11SignerOptions['pin'];
}

export function optionsFromUri(uri: string | Pkcs11Uri, context: UriOptionsContext = {}): Pkcs11SignerOptions {
  const parsed = typeof uri === 'string' ? parsePkcs11Uri(uri) : uri;
  const env = context.env ?? process.env;
  if (parsed.type !== undefined && parsed.type !== 'private') {
    misconfigured(`type=${parsed.type} cannot sign; point at the private key (type=private or no type)`);
  }
  const module =
    parsed.modulePath ??
    context.module ??
    (env.A1_PKCS11_MODULE || undefined) ??
    misconfigured(
      `${parsed.moduleName !== undefined ? 'module-name is not resolved by this signer' : 'no module-path'}: name the ` +
        `PKCS#11 library in the query, ${MODULE_PATH_EXAMPLE}, or set A1_PKCS11_MODULE=/path/lib.so`,
    );
  let pin: Pkcs11SignerOptions['pin'];
  if (parsed.pinValue !== undefined) {
    process.emitWarning('a PKCS#11 URI carries pin-value; prefer pin-source=env:NAME or file:/path', {
      code: 'A1_PKCS11_PIN_VALUE',
    });
    pin = parsed.pinValue;
  } else if (parsed.pinSource) pin = pinFromRef(parsed.pinSource, env);
  else pin = context.pin ?? misconfigured('no pin-source (e.g. pin-source=env:A1_PKCS11_PIN)');
  if (parsed.object === undefined && parsed.id === undefined) misconfigured('name the key with object= and/or id=');

  const options: Pkcs11SignerOptions = { module, pin };
  if (parsed.token !== undefined) options.tokenLabel = parsed.token;
  if (parsed.serial !== undefined) options.serial = parsed.serial;
  if (parsed.slotId !== undefined) options.slot = parsed.slotId;
  if (parsed.object !== undefined) options.label = parsed.object;
  if (parsed.id !== undefined) options.id = parsed.id;
  return options;
}
