/**
 * Issuing gateway certs (§4.1, §4.2): every input is checked before the signer is asked, in the
 * reference's words; the cert is built by core's CertBuilder, which verifies the KMS signature
 * against the gateway key before the cert leaves. A batch signs concurrently (bounded), answers in
 * request order, and on the first failure aborts the rest and issues nothing.
 */
import {
  A1Error,
  CertBuilder,
  CertExtensions,
  certFingerprint,
  extValueFromJson,
  Intent,
  IntentTree,
  isValidPublicKey,
  serializeCert,
  toHex,
  type AsyncSigner,
  type DelegationCert,
  type Signer,
} from '@a1/core';
import { jsonText, toU64 } from './body-json.js';
import { DEFAULT_MAX_DEPTH, DEFAULT_TTL_SECONDS, TEXT, type IssueCertRequest } from './contract.js';
import { ContractError } from './errors.js';
import { hexBytes, hexProblem } from './hex.js';
import { obj, RawJson, writeOut, type OutObject } from './json-out.js';

const U64_MAX = (1n << 64n) - 1n;

/** A request that passed every check and only needs signing. */
export interface PreparedCert {
  delegatePk: Uint8Array;
  scopeRoot: Uint8Array;
  ttlSeconds: bigint;
  maxDepth: number;
  extensions: CertExtensions;
}

export interface IssuedCert {
  cert: DelegationCert;
  scopeRoot: Uint8Array;
}

const badRequest = (text: string) => ContractError.of(400, text);

function delegateKey(hex: string): Uint8Array {
  const problem = hexProblem(hex);
  if (problem) throw badRequest(problem);
  const pk = hexBytes(hex);
  if (pk.length !== 32) throw badRequest(TEXT.pkLength);
  if (!isValidPublicKey(pk)) throw badRequest('signature error: Cannot decompress Edwards point');
  return pk;
}

/** Turns an A1Error from core's builders into the 400 the issue routes answer. */
function asBadRequest<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof A1Error) throw badRequest(error.message);
    throw error;
  }
}

/** Checks one issue request (§4.1). `lossless` says how the body was parsed (see body-json). */
export function prepareCert(request: IssueCertRequest, lossless: boolean): PreparedCert {
  const delegatePk = delegateKey(request.delegate_pk_hex);
  if (request.intents.length === 0) throw badRequest(TEXT.emptyIntents);
  const scopeRoot = asBadRequest(() => IntentTree.build(request.intents.map((i) => Intent.from(i.name, i.params ?? {}).hash())).root());
  const ttlSeconds = request.ttl_seconds === undefined ? DEFAULT_TTL_SECONDS : toU64(request.ttl_seconds);
  // Upstream aborts its whole process on these two (§1.9); here they are a 400.
  if (ttlSeconds === 0n) throw badRequest('wire format error: ttl_seconds must be at least 1');
  if (BigInt(Math.floor(Date.now() / 1000)) + ttlSeconds > U64_MAX) throw badRequest('wire format error: ttl_seconds overflows expiration_unix');
  const extensions = asBadRequest(() => {
    const ext = new CertExtensions();
    for (const [key, value] of Object.entries(request.extensions ?? {})) ext.set(key, extValueFromJson(jsonText(value, lossless)));
    return ext;
  });
  return { delegatePk, scopeRoot, ttlSeconds, maxDepth: request.max_depth ?? DEFAULT_MAX_DEPTH, extensions };
}

/** Signs a prepared cert now (issued_at = the server clock, §2.6). */
export async function signCert(prepared: PreparedCert, signer: Signer | AsyncSigner, signal?: AbortSignal): Promise<IssuedCert> {
  const issuedAt = BigInt(Math.floor(Date.now() / 1000));
  const cert = await new CertBuilder({
    delegatePk: prepared.delegatePk,
    scopeRoot: prepared.scopeRoot,
    issuedAt,
    expirationUnix: issuedAt + prepared.ttlSeconds,
  })
    .maxDepth(prepared.maxDepth)
    .extensions(prepared.extensions)
    .buildAsync(signer, signal ? { signal } : {});
  return { cert, scopeRoot: prepared.scopeRoot };
}

/** `{"cert","fingerprint_hex","scope_root_hex"}` in upstream's order, the cert in the reference form. */
export function issueResponse(issued: IssuedCert): OutObject {
  return obj([
    ['cert', new RawJson(serializeCert(issued.cert))],
    ['fingerprint_hex', toHex(certFingerprint(issued.cert))],
    ['scope_root_hex', toHex(issued.scopeRoot)],
  ]);
}

/**
 * Signs every prepared cert with at most `concurrency` in flight. The first failure aborts the
 * signatures not yet started and is thrown; certs already signed are dropped (nothing was stored
 * or returned, so nothing is issued).
 */
export async function signBatch(prepared: readonly PreparedCert[], signer: Signer | AsyncSigner, concurrency: number): Promise<IssuedCert[]> {
  const abort = new AbortController();
  const results = new Array<IssuedCert>(prepared.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < prepared.length) {
      const index = next++;
      try {
        results[index] = await signCert(prepared[index]!, signer, abort.signal);
      } catch (error) {
        // Keep the first failure in time; the aborts it causes in other workers are not news.
        failure ??= { error };
        abort.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, prepared.length)) }, worker));
  if (failure) throw failure.error;
  return results;
}

/** `{"bundle":{"certs","issued_at"},"issued":[…],"total":n}` (§4.2). */
export function batchResponse(issued: readonly IssuedCert[]): string {
  const certs = issued.map((i) => new RawJson(serializeCert(i.cert)));
  return writeOut(
    obj([
      ['bundle', obj([['certs', certs], ['issued_at', Math.floor(Date.now() / 1000)]])],
      ['issued', issued.map(issueResponse)],
      ['total', issued.length],
    ]),
  );
}
