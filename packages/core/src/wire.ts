/** Parsing and writing certs and chains as JSON text (both forms; u64 exact). */
import { fromHex, toHex } from './bytes.js';
import type { DelegationCert } from './cert.js';
import { certToJson, readCert, type JsonForm } from './cert-json.js';
import type { SignedChain } from './chain.js';
import { publicKeyProblem } from './ed25519.js';
import { A1Error } from './errors.js';
import { join, readArray, readObject, readString, readUnsigned, requireField } from './json-read.js';
import { orderedObject, parseJson, writeJson, type JsonLimits, type JsonValue } from './json-text.js';

export interface ParseOptions extends JsonLimits {
  /** Most certs a chain may hold when parsed (default 1024; `authorize` refuses more than 255). */
  maxCerts?: number;
}

export interface SerializeOptions {
  /** `reference` (default): what Rust agents parse. `schema`: the published all-hex form. */
  format?: JsonForm;
  /** Two-space indented, like serde_json's pretty printer. */
  pretty?: boolean;
}

const DEFAULT_MAX_CERTS = 1024;

export function parseCert(json: string, options: ParseOptions = {}): DelegationCert {
  return readCert(parseJson(json, options), '');
}

export function serializeCert(cert: DelegationCert, options: SerializeOptions = {}): string {
  return writeJson(certToJson(cert, options.format), options.pretty);
}

/**
 * Parses a `SignedChain` (`{"version":1,"principal_pk":"<hex>","principal_scope":"<hex>","certs":[…]}`).
 * `namespace` is attached as given, without re-deriving the scope (the JSON carries none).
 */
export function parseSignedChain(json: string, options: ParseOptions & { namespace?: string } = {}): SignedChain {
  return readSignedChain(parseJson(json, options), options);
}

export function readSignedChain(value: JsonValue, options: ParseOptions & { namespace?: string } = {}): SignedChain {
  const obj = readObject(value, '');
  const version = readUnsigned(requireField(obj, 'version', ''), 'version', 255n);
  const certsValue = readArray(requireField(obj, 'certs', ''), 'certs', options.maxCerts ?? DEFAULT_MAX_CERTS);
  const principalPkHex = readString(requireField(obj, 'principal_pk', ''), 'principal_pk');
  const principalScopeHex = readString(requireField(obj, 'principal_scope', ''), 'principal_scope');
  const certs = certsValue.map((c, i) => readCert(c, join('certs', i)));
  if (version !== 1n) throw new A1Error('UnsupportedVersion', { expected: 1, got: Number(version) });
  const principalPk = fromHex(principalPkHex, 'principal_pk');
  if (principalPk.length !== 32) throw A1Error.wire('principal_pk must be 32 bytes');
  // The reference refuses a principal that is not a curve point here, at parse time.
  const problem = publicKeyProblem(principalPk);
  if (problem) throw A1Error.wire(`invalid principal_pk: ${problem}`);
  const principalScope = fromHex(principalScopeHex, 'principal_scope');
  if (principalScope.length !== 32) throw A1Error.wire('principal_scope must be 32 bytes');
  return { principalPk, principalScope, certs, namespace: options.namespace };
}

export function serializeSignedChain(chain: SignedChain, options: SerializeOptions = {}): string {
  const value = orderedObject([
    ['version', 1],
    ['principal_pk', toHex(chain.principalPk)],
    ['principal_scope', toHex(chain.principalScope)],
    ['certs', chain.certs.map((c) => certToJson(c, options.format))],
  ]);
  return writeJson(value, options.pretty);
}
