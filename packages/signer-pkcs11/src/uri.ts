/**
 * RFC 7512 `pkcs11:` URIs, parsed and written as pure functions (no env, no files).
 *
 *   pkcs11:token=a1;object=root;id=%01?module-path=/usr/lib/softhsm/libsofthsm2.so&pin-source=env:A1_PKCS11_PIN
 *
 * Path attributes name the token and the key; query attributes say how to reach them.
 * `slot-id` follows RFC 7512 section 2.3; `pin-source=env:NAME` is our extension next to the
 * RFC's file form. Unknown attributes are refused (a typo must not select another key), except
 * the RFC's vendor-specific `x-` ones, which are ignored.
 */
import { signerError } from './pkcs11-failure.js';

export type PinSourceRef = { kind: 'env'; name: string } | { kind: 'file'; path: string };

export interface Pkcs11Uri {
  token?: string;
  serial?: string;
  manufacturer?: string;
  model?: string;
  slotId?: number;
  /** `CKA_LABEL` of the key. */
  object?: string;
  /** `CKA_ID` of the key, decoded from its %-encoded bytes. */
  id?: Uint8Array;
  type?: 'private' | 'public' | 'cert' | 'secret-key' | 'data';
  modulePath?: string;
  moduleName?: string;
  pinSource?: PinSourceRef;
  /** Discouraged by RFC 7512 (the PIN ends up in logs and shell history), accepted. */
  pinValue?: string;
}

const PATH_ATTRIBUTES = new Set([
  'token', 'serial', 'manufacturer', 'model', 'slot-id', 'object', 'id', 'type',
  'library-manufacturer', 'library-description', 'library-version', 'slot-description', 'slot-manufacturer',
]);
const QUERY_ATTRIBUTES = new Set(['module-path', 'module-name', 'pin-source', 'pin-value']);
const OBJECT_TYPES = new Set(['private', 'public', 'cert', 'secret-key', 'data']);

function invalid(reason: string): never {
  throw signerError(undefined, 'Misconfigured', `invalid PKCS#11 URI: ${reason}`);
}

/** %XX-decoding to bytes; `attribute` names the part in errors (never the value: it may be a PIN). */
function percentDecode(text: string, attribute: string): Uint8Array {
  const bytes: number[] = [];
  const utf8 = new TextEncoder();
  for (let i = 0; i < text.length; ) {
    if (text[i] === '%') {
      const hex = text.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) invalid(`bad %-escape in ${attribute}`);
      bytes.push(parseInt(hex, 16));
      i += 3;
    } else {
      const codePoint = text.codePointAt(i)!;
      const char = String.fromCodePoint(codePoint);
      bytes.push(...utf8.encode(char));
      i += char.length;
    }
  }
  return Uint8Array.from(bytes);
}

function decodeText(text: string, attribute: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(percentDecode(text, attribute));
  } catch (e) {
    if (e instanceof TypeError) invalid(`${attribute} is not valid UTF-8 after %-decoding`);
    throw e;
  }
}

function parsePinSource(value: string): PinSourceRef {
  if (value.startsWith('env:')) {
    const name = value.slice(4);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) invalid('pin-source env: needs an environment variable name');
    return { kind: 'env', name };
  }
  if (value.startsWith('file:')) {
    // file:/path and file:///path both name /path.
    const path = value.slice(5).replace(/^\/\/(?=\/)/, '');
    if (!path.startsWith('/')) invalid('pin-source file: needs an absolute path');
    return { kind: 'file', path };
  }
  if (value.startsWith('/')) return { kind: 'file', path: value };
  return invalid('pin-source must be env:NAME, file:/path or an absolute path');
}

/**
 * An unknown attribute's name is not shown: a PIN pasted where a name goes (`?1234=x`, `;1234`)
 * would be printed. Only known names are ever echoed.
 */
function unknownAttribute(where: 'path' | 'query', known: ReadonlySet<string>): string {
  return `an unknown ${where} attribute (not shown: it may hold a secret); known ${where} attributes are ${[...known].join(', ')}, and vendor-specific x-… ones`;
}

function splitAttribute(part: string, where: 'path' | 'query'): [string, string] {
  const eq = part.indexOf('=');
  if (eq <= 0) invalid(`${where} attribute without a name=value form`);
  return [part.slice(0, eq).toLowerCase(), part.slice(eq + 1)];
}

export function parsePkcs11Uri(uri: string): Pkcs11Uri {
  if (typeof uri !== 'string' || !/^pkcs11:/i.test(uri)) invalid('it must start with "pkcs11:"');
  const body = uri.slice('pkcs11:'.length);
  const q = body.indexOf('?');
  const pathPart = q === -1 ? body : body.slice(0, q);
  const queryPart = q === -1 ? '' : body.slice(q + 1);
  if (pathPart.includes('#') || queryPart.includes('#')) invalid('fragments are not allowed');
  const result: Pkcs11Uri = {};
  const seen = new Set<string>();

  for (const part of pathPart.split(';')) {
    if (part === '') continue;
    const [name, raw] = splitAttribute(part, 'path');
    if (name.startsWith('x-')) continue;
    if (!PATH_ATTRIBUTES.has(name)) invalid(unknownAttribute('path', PATH_ATTRIBUTES));
    if (seen.has(name)) invalid(`path attribute "${name}" appears twice`);
    seen.add(name);
    switch (name) {
      case 'token': result.token = decodeText(raw, name); break;
      case 'serial': result.serial = decodeText(raw, name); break;
      case 'manufacturer': result.manufacturer = decodeText(raw, name); break;
      case 'model': result.model = decodeText(raw, name); break;
      case 'object': result.object = decodeText(raw, name); break;
      case 'id': {
        const id = percentDecode(raw, name);
        if (id.length === 0) invalid('id is empty');
        result.id = id;
        break;
      }
      case 'slot-id': {
        const text = decodeText(raw, name);
        if (!/^\d{1,15}$/.test(text)) invalid('slot-id must be a decimal number');
        result.slotId = Number(text);
        break;
      }
      case 'type': {
        const type = decodeText(raw, name);
        if (!OBJECT_TYPES.has(type)) invalid(`type must be one of ${[...OBJECT_TYPES].join(', ')}`);
        result.type = type as NonNullable<Pkcs11Uri['type']>;
        break;
      }
      default:
        break; // library-* and slot-* descriptions: accepted, not used for selection
    }
  }

  for (const part of queryPart.split('&')) {
    if (part === '') continue;
    const [name, raw] = splitAttribute(part, 'query');
    if (name.startsWith('x-')) continue;
    if (!QUERY_ATTRIBUTES.has(name)) invalid(unknownAttribute('query', QUERY_ATTRIBUTES));
    if (seen.has(name)) invalid(`query attribute "${name}" appears twice`);
    seen.add(name);
    switch (name) {
      case 'module-path': result.modulePath = decodeText(raw, name); break;
      case 'module-name': result.moduleName = decodeText(raw, name); break;
      case 'pin-source': result.pinSource = parsePinSource(decodeText(raw, name)); break;
      case 'pin-value': result.pinValue = decodeText(raw, name); break;
    }
  }
  if (result.pinSource && result.pinValue !== undefined) invalid('give pin-source or pin-value, not both');
  return result;
}

/** Characters RFC 7512 lets through unencoded in a path value (unreserved plus a few). */
const SAFE = /[A-Za-z0-9\-._~:[\]@!$'()*+,&]/;

function percentEncode(value: string | Uint8Array, everyByte = false): string {
  const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
  let out = '';
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    out += !everyByte && byte < 0x80 && SAFE.test(char) ? char : `%${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/**
 * Writes the identifying part of a URI (token, key, type; never a PIN): what `Pkcs11Signer.keyId`
 * shows for provenance.
 */
export function formatPkcs11Uri(parts: Pick<Pkcs11Uri, 'token' | 'serial' | 'slotId' | 'object' | 'id' | 'type'>): string {
  const attributes: string[] = [];
  if (parts.token !== undefined) attributes.push(`token=${percentEncode(parts.token)}`);
  if (parts.serial !== undefined) attributes.push(`serial=${percentEncode(parts.serial)}`);
  if (parts.slotId !== undefined) attributes.push(`slot-id=${parts.slotId}`);
  if (parts.object !== undefined) attributes.push(`object=${percentEncode(parts.object)}`);
  if (parts.id !== undefined) attributes.push(`id=${percentEncode(parts.id, true)}`);
  if (parts.type !== undefined) attributes.push(`type=${parts.type}`);
  return `pkcs11:${attributes.join(';')}`;
}
