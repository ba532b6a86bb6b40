/** Test helpers: load the reference vectors and turn their hex views into core values. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  A1Error,
  CertExtensions,
  fromHex,
  SubScopeProof,
  type DelegationCert,
  type ExtValue,
  type MerkleProof,
  type SignedChain,
  nobleBackend,
  nodeBackend,
  webCryptoBackend,
  type Ed25519Backend,
} from '../src/index.js';
import { libsodiumBackend, type SodiumNative } from '../src/ed25519-libsodium.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export function loadVector(name: string): Json {
  return JSON.parse(readFileSync(fileURLToPath(new URL(`./vectors/${name}.json`, import.meta.url)), 'utf8'));
}

export const hex = (s: string): Uint8Array => fromHex(s, 'vector');

export const u64 = (v: number | string): bigint => BigInt(v);

export function proofFromView(view: Json): MerkleProof {
  return { siblings: view.siblings.map((s: Json) => ({ hash: hex(s.hash), isLeft: s.is_left })) };
}

export function extValueFromView(v: Json): ExtValue {
  if (v.type === 'U64') return { type: 'U64', value: u64(v.value) };
  return { type: v.type, value: v.value };
}

export function certFromView(view: Json): DelegationCert {
  return {
    version: view.version,
    delegatorPk: hex(view.delegator_pk),
    delegatePk: hex(view.delegate_pk),
    scopeRoot: hex(view.scope_root),
    scopeProof: new SubScopeProof(view.scope_proof.subset_intents.map(hex), view.scope_proof.proofs.map(proofFromView)),
    nonce: hex(view.nonce),
    issuedAt: u64(view.issued_at),
    expirationUnix: u64(view.expiration_unix),
    maxDepth: view.max_depth,
    extensions: CertExtensions.fromParsed(Object.entries(view.extensions).map(([k, v]) => [k, extValueFromView(v)])),
    signature: hex(view.signature),
  };
}

export function chainFromView(view: Json): SignedChain {
  const certs: DelegationCert[] = view.certs
    ? view.certs.map(certFromView)
    : Array.from({ length: view.certs_repeated.count }, () => certFromView(view.certs_repeated.cert));
  return {
    principalPk: hex(view.principal_pk),
    principalScope: hex(view.principal_scope),
    certs,
    namespace: view.namespace ?? undefined,
  };
}

/** The reference error object → what our A1Error must carry. */
export function expectA1Error(err: unknown, expected: Json): void {
  if (!(err instanceof A1Error)) throw new Error(`expected A1Error ${expected.variant}, got ${String(err)}`);
  const got = { variant: err.code, display: err.message, error_code: err.errorCode, http_status: err.httpStatus };
  const want = { variant: expected.variant, display: expected.display, error_code: expected.error_code, http_status: expected.http_status };
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Error(`error mismatch:\n got  ${JSON.stringify(got)}\n want ${JSON.stringify(want)}`);
  }
  checkPayload(err, expected);
}

function checkPayload(err: A1Error, expected: Json): void {
  const p = expected.payload;
  const d = err.details;
  const eq = (a: unknown, b: unknown, what: string) => {
    if (String(a) !== String(b)) throw new Error(`${expected.variant} payload ${what}: got ${String(a)}, want ${String(b)}`);
  };
  switch (expected.variant) {
    case 'BrokenLinkage':
    case 'InvalidSignature':
    case 'ScopeEscalation':
      eq(d.index, p[0], 'index');
      break;
    case 'NotYetValid':
      eq(d.index, p[0], 'index');
      eq(d.issuedAt, p[1], 'issuedAt');
      if (p[2] !== '<wall clock>') eq(d.now, p[2], 'now');
      break;
    case 'Expired':
      eq(d.index, p[0], 'index');
      eq(d.expiration, p[1], 'expiration');
      if (p[2] !== '<wall clock>') eq(d.now, p[2], 'now');
      break;
    case 'TemporalViolation':
      eq(d.index, p[0], 'index');
      eq(d.expiration, p[1], 'expiration');
      eq(d.parentExpiration, p[2], 'parentExpiration');
      break;
    case 'MaxDepthExceeded':
      eq(d.index, p[0], 'index');
      eq(d.limit, p[1], 'limit');
      break;
    case 'UnsupportedVersion':
      eq(d.expected, p.expected, 'expected');
      eq(d.got, p.got, 'got');
      break;
    case 'WireFormatError':
      eq(d.reason, p[0], 'reason');
      break;
    case 'BatchItemFailed':
      eq(d.index, p.index, 'index');
      eq(d.reason, p.reason, 'reason');
      break;
  }
}

export function rejects(fn: () => unknown, expected: Json): void {
  let threw = false;
  try {
    fn();
  } catch (err) {
    threw = true;
    expectA1Error(err, expected);
  }
  if (!threw) throw new Error(`expected ${expected.variant}, but nothing was thrown`);
}

export async function rejectsAsync(fn: () => Promise<unknown>, expected: Json): Promise<void> {
  let threw = false;
  try {
    await fn();
  } catch (err) {
    threw = true;
    expectA1Error(err, expected);
  }
  if (!threw) throw new Error(`expected ${expected.variant}, but nothing was thrown`);
}

/** Every Ed25519 backend available in Node: @noble, node:crypto, WebCrypto, libsodium (sodium-native). */
export function allBackends(): Ed25519Backend[] {
  const sodium = createRequire(import.meta.url)('sodium-native') as SodiumNative;
  return [nobleBackend, nodeBackend!, webCryptoBackend!, libsodiumBackend(sodium)];
}
