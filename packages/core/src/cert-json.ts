/**
 * Cert JSON in both forms. The reference (serde) form — byte arrays as arrays of numbers,
 * `extensions: {"fields": {…}}` — is what deployed Rust agents parse and what we write by
 * default. The published schema form writes hex strings and flat extensions. The reader picks
 * the form per cert from `delegator_pk` and is strict within it, so a cert the reference rejects
 * in its own form is rejected here too.
 */
import { toHex } from './bytes.js';
import type { DelegationCert } from './cert.js';
import { publicKeyProblem } from './ed25519.js';
import { CertExtensions, type ExtValue } from './extensions.js';
import {
  join,
  readArray,
  readBool,
  readByteArray,
  readHexBytes,
  readObject,
  readString,
  readU64Lenient,
  readU8,
  readUnsigned,
  requireField,
  wireError,
} from './json-read.js';
import { JsonNumber, JsonObject, orderedObject, parseJson, toWritable, writeJson, type JsonValue, type WritableJson } from './json-text.js';
import type { MerkleProof } from './merkle.js';
import { SubScopeProof } from './subscope.js';

export type JsonForm = 'reference' | 'schema';

/** Bounds that keep hostile input cheap to refuse; far above anything a real cert carries. */
export const MAX_PROOF_ENTRIES = 1024;
export const MAX_PROOF_SIBLINGS = 64;
export const MAX_EXTENSION_FIELDS = 1024;

export function readCert(value: JsonValue, path: string): DelegationCert {
  const obj = readObject(value, path);
  const form: JsonForm = typeof obj.get('delegator_pk') === 'string' ? 'schema' : 'reference';
  const bytes = (key: string, length: number): Uint8Array => {
    const p = join(path, key);
    const v = requireField(obj, key, path);
    return form === 'schema' ? readHexBytes(v, length, p) : readByteArray(v, length, p);
  };
  const publicKey = (key: string): Uint8Array => {
    const pk = bytes(key, 32);
    const problem = publicKeyProblem(pk);
    if (problem) throw wireError(join(path, key), problem);
    return pk;
  };
  return {
    version: readU8(requireField(obj, 'version', path), join(path, 'version')),
    delegatorPk: publicKey('delegator_pk'),
    delegatePk: publicKey('delegate_pk'),
    scopeRoot: bytes('scope_root', 32),
    scopeProof: readScopeProof(requireField(obj, 'scope_proof', path), join(path, 'scope_proof'), form),
    nonce: bytes('nonce', 16),
    issuedAt: readU64(obj, 'issued_at', path, form),
    expirationUnix: readU64(obj, 'expiration_unix', path, form),
    maxDepth: readU8(requireField(obj, 'max_depth', path), join(path, 'max_depth')),
    extensions: readExtensions(obj.get('extensions'), join(path, 'extensions'), form),
    signature: bytes('signature', 64),
  };
}

function readU64(obj: JsonObject, key: string, path: string, form: JsonForm): bigint {
  const v = requireField(obj, key, path);
  return form === 'schema' ? readU64Lenient(v, join(path, key)) : readUnsigned(v, join(path, key));
}

function readScopeProof(value: JsonValue, path: string, form: JsonForm): SubScopeProof {
  const obj = readObject(value, path);
  const hash = (v: JsonValue | undefined, p: string) => (form === 'schema' ? readHexBytes(v, 32, p) : readByteArray(v, 32, p));
  const intentsPath = join(path, 'subset_intents');
  const intents = readArray(requireField(obj, 'subset_intents', path), intentsPath, MAX_PROOF_ENTRIES).map((v, i) =>
    hash(v, join(intentsPath, i)),
  );
  const proofsPath = join(path, 'proofs');
  const proofs = readArray(requireField(obj, 'proofs', path), proofsPath, MAX_PROOF_ENTRIES).map((v, i): MerkleProof => {
    const p = join(proofsPath, i);
    // Reference: {"siblings": [...]}; schema: the sibling list itself.
    const list = form === 'schema' && Array.isArray(v) ? v : requireField(readObject(v, p), 'siblings', p);
    const listPath = Array.isArray(v) ? p : join(p, 'siblings');
    return {
      siblings: readArray(list, listPath, MAX_PROOF_SIBLINGS).map((s, j) => {
        const sp = join(listPath, j);
        const node = readObject(s, sp);
        return { hash: hash(requireField(node, 'hash', sp), join(sp, 'hash')), isLeft: readBool(requireField(node, 'is_left', sp), join(sp, 'is_left')) };
      }),
    };
  });
  return new SubScopeProof(intents, proofs);
}

function readExtensions(value: JsonValue | undefined, path: string, form: JsonForm): CertExtensions {
  if (value === undefined) return CertExtensions.fromParsed([]);
  let fields: JsonObject;
  if (form === 'reference') {
    fields = readObject(requireField(readObject(value, path), 'fields', path), join(path, 'fields'));
    path = join(path, 'fields');
  } else {
    fields = readObject(value, path);
  }
  if (fields.entries.size > MAX_EXTENSION_FIELDS) throw wireError(path, `more than ${MAX_EXTENSION_FIELDS} fields`);
  const entries: Array<[string, ExtValue]> = [];
  for (const [key, v] of fields.entries) entries.push([key, readExtValue(v, join(path, key))]);
  return CertExtensions.fromParsed(entries);
}

/** serde's untagged `ExtValue`: u64 number → U64, string → Str, array of strings → Strings. */
function readExtValue(v: JsonValue, path: string): ExtValue {
  if (typeof v === 'string') return { type: 'Str', value: v };
  if (v instanceof JsonNumber) return { type: 'U64', value: readUnsigned(v, path) };
  if (Array.isArray(v)) return { type: 'Strings', value: v.map((s, i) => readString(s, join(path, i))) };
  throw wireError(path, 'data did not match any variant of untagged enum ExtValue');
}

// ---- writing --------------------------------------------------------------------------------

const bytesJson = (b: Uint8Array): WritableJson => Array.from(b);

export function certToJson(cert: DelegationCert, form: JsonForm = 'reference'): WritableJson {
  const b = form === 'schema' ? (x: Uint8Array): WritableJson => toHex(x) : bytesJson;
  const proofs = cert.scopeProof.proofs.map((p) => {
    const siblings = p.siblings.map((s) => orderedObject([['hash', b(s.hash)], ['is_left', s.isLeft]]));
    return form === 'schema' ? siblings : orderedObject([['siblings', siblings]]);
  });
  const fields = orderedObject(cert.extensions.entries().map(([k, v]) => [k, extValueJson(v)]));
  return orderedObject([
    ['version', cert.version],
    ['delegator_pk', b(cert.delegatorPk)],
    ['delegate_pk', b(cert.delegatePk)],
    ['scope_root', b(cert.scopeRoot)],
    ['scope_proof', orderedObject([['subset_intents', cert.scopeProof.subsetIntents.map(b)], ['proofs', proofs]])],
    ['nonce', b(cert.nonce)],
    ['issued_at', cert.issuedAt],
    ['expiration_unix', cert.expirationUnix],
    ['max_depth', cert.maxDepth],
    ['extensions', form === 'schema' ? fields : orderedObject([['fields', fields]])],
    ['signature', b(cert.signature)],
  ]);
}

function extValueJson(v: ExtValue): WritableJson {
  return v.type === 'Strings' ? [...v.value] : v.value;
}

/**
 * The reference's `From<serde_json::Value> for ExtValue`, a lenient conversion for building
 * extensions from arbitrary JSON (unlike parsing, which is strict): a u64 becomes U64, a string
 * Str, an array Strings (non-strings as their JSON text), anything else Str of its JSON text.
 */
export function extValueFromJson(json: string): ExtValue {
  const v = parseJson(json);
  const text = (x: JsonValue) => (typeof x === 'string' ? x : writeJson(toWritable(x)));
  if (v instanceof JsonNumber && /^(0|[1-9][0-9]{0,19})$/.test(v.raw) && BigInt(v.raw) < 1n << 64n) {
    return { type: 'U64', value: BigInt(v.raw) };
  }
  if (Array.isArray(v)) return { type: 'Strings', value: v.map(text) };
  return { type: 'Str', value: text(v) };
}
