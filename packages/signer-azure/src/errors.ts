/**
 * Turns what the Azure SDK throws (RestError, AbortError, identity errors) into `SignerError`.
 * Messages use only non-secret facts: status, Key Vault's error code and text, key id. A
 * RestError is never kept as `cause` as it is: its `request.headers` hold the bearer token
 * (any serializer that walks properties would print it), so the cause is a copy without them.
 */
import { SignerError, type SignerErrorCode } from '@a1/core';

export const PROVIDER = 'azure-keyvault';

export const ROLE_HINT = 'the identity needs the Key Vault Crypto User role (keys/read and keys/sign)';

/** What to do when the service does not know OKP / Ed25519 / EdDSA in the api-version sent. */
export const OKP_HINT =
  'Ed25519 (OKP, EdDSA) exists only in Key Vault api-version 7.4-preview.1 on Managed HSM: keep the signer\'s default ' +
  'serviceVersion 7.4-preview.1 and a Managed HSM key (kty OKP-HSM, crv Ed25519), or use Azure Cloud HSM through @a1/signer-pkcs11';

/**
 * The 403 hints, by Key Vault's inner error code: each denial has its own cure, and only an RBAC
 * denial is cured by a role assignment.
 */
const FORBIDDEN_HINTS: Record<string, string> = {
  ForbiddenByRbac: ROLE_HINT,
  ForbiddenByPolicy: 'the vault uses access policies: give the identity the key permissions get and sign',
  ForbiddenByFirewall: "the vault's network rules refuse this client's address: allow it in the firewall or reach the vault through its private endpoint",
  KeyDisabled: 'the key is disabled: enable it (az keyvault key set-attributes --enabled true) or pin another version',
  KeyExpired: 'the key is past its expiry (exp): extend it or rotate to a new version',
  KeyNotYetValid: 'the key is not yet valid (nbf): wait for its activation date or change it',
  KeyOperationForbidden: "the key's key_ops do not include sign",
};

/** What was being done when the error happened, and why it stopped. */
export interface FailureContext {
  keyId: string;
  operation: 'read key' | 'sign' | 'health check';
  timedOut: boolean;
  timeoutMs: number;
  aborted: boolean;
}

/** The fields of `@azure/core-rest-pipeline`'s RestError we read (duck-typed: no extra dependency). */
interface RestErrorLike extends Error {
  statusCode?: number;
  code?: string;
  details?: { error?: { code?: unknown; message?: unknown; innerError?: { code?: unknown } } };
  response?: { headers?: { get(name: string): string | undefined } };
}

/** A RestError minus its request and response: status, codes and Key Vault's own error text. */
export class KeyVaultResponseError extends Error {
  override readonly name = 'KeyVaultResponseError';
  readonly statusCode: number | undefined;
  readonly code: string | undefined;
  readonly keyVaultError: { code?: string; message?: string; innerCode?: string } | undefined;
  /** Retry-After of a 429 / 503, in seconds, when the service sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(from: RestErrorLike) {
    super(from.message);
    this.statusCode = from.statusCode;
    this.code = from.code;
    const kv = from.details?.error;
    const innerCode = innerCodeOf(from);
    this.keyVaultError = kv
      ? {
          ...(typeof kv.code === 'string' ? { code: kv.code } : {}),
          ...(typeof kv.message === 'string' ? { message: kv.message } : {}),
          ...(innerCode ? { innerCode } : {}),
        }
      : undefined;
    this.retryAfterSeconds = retryAfterOf(from);
    if (from.stack) this.stack = from.stack;
  }
}

/** Key Vault's `innererror.code` (the SDK calls it `innerError`): what kind of 403 this is. */
function innerCodeOf(e: RestErrorLike): string | undefined {
  const code = e.details?.error?.innerError?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Retry-After as seconds (Key Vault sends delta-seconds). */
function retryAfterOf(e: RestErrorLike): number | undefined {
  const text = e.response?.headers?.get('retry-after');
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

/** A 400 that says the api-version, the OKP key type, Ed25519 or EdDSA is unknown to the service. */
const UNSUPPORTED_MODEL = /api-version|specified version|not recognized|\bOKP\b|Ed25519|EdDSA|curve|algorithm/i;

function isRestError(e: unknown): e is RestErrorLike {
  return e instanceof Error && (e.name === 'RestError' || typeof (e as RestErrorLike).statusCode === 'number');
}

const TLS_FAILURE = /CERT|certificate|self[- ]signed|UNABLE_TO_VERIFY|altname/i;
const CREDENTIAL_ERRORS = new Set(['CredentialUnavailableError', 'AuthenticationError', 'AggregateAuthenticationError']);

function firstLine(text: string, max = 300): string {
  const line = text.split('\n')[0] ?? '';
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

function make(ctx: FailureContext, code: SignerErrorCode, message: string, cause: unknown, retryable?: boolean): SignerError {
  return new SignerError({ provider: PROVIDER, keyId: ctx.keyId, code, message, cause, ...(retryable === undefined ? {} : { retryable }) });
}

export function toSignerError(error: unknown, ctx: FailureContext): SignerError {
  if (error instanceof SignerError) return error;
  if (ctx.timedOut) return make(ctx, 'Timeout', `no answer from Key Vault within ${ctx.timeoutMs} ms (${ctx.operation})`, error);
  if (ctx.aborted) return make(ctx, 'Aborted', `${ctx.operation} aborted by the caller`, error);

  if (isRestError(error)) {
    const cause = new KeyVaultResponseError(error);
    const status = error.statusCode;
    const kvCode = typeof error.details?.error?.code === 'string' ? error.details.error.code : error.code;
    const kvMessage = typeof error.details?.error?.message === 'string' ? error.details.error.message : error.message;
    const said = `${status ?? ''} ${kvCode ?? ''}`.trim();
    const detail = `Key Vault answered ${said}: ${firstLine(kvMessage)}`;
    if (status === 401) return make(ctx, 'AccessDenied', `${detail} (credential rejected)`, cause);
    if (status === 403) {
      const inner = innerCodeOf(error);
      const hint = (inner && FORBIDDEN_HINTS[inner]) ?? 'the caller may not do this on the key; check the role, access policy and network rules';
      return make(ctx, 'AccessDenied', `${detail}${inner ? ` [${inner}]` : ''} (${hint})`, cause);
    }
    if (status === 400 && UNSUPPORTED_MODEL.test(kvMessage)) {
      return make(ctx, 'Misconfigured', `${detail} (${OKP_HINT})`, cause, false);
    }
    if (status === 404) return make(ctx, 'KeyNotFound', detail, cause);
    if (status === 408) return make(ctx, 'Timeout', detail, cause);
    if (status === 429) {
      const retryAfter = cause.retryAfterSeconds;
      return make(ctx, 'Throttled', `Key Vault throttled the ${ctx.operation}: ${detail}${retryAfter !== undefined ? ` (Retry-After: ${retryAfter} s)` : ''}`, cause);
    }
    if (status !== undefined && status >= 500) return make(ctx, 'Unavailable', detail, cause);
    if (status !== undefined) return make(ctx, 'BackendError', detail, cause, false);
    // No status: the request never got a complete answer.
    if (TLS_FAILURE.test(error.message) || TLS_FAILURE.test(error.code ?? '')) {
      return make(ctx, 'Misconfigured', `TLS to Key Vault failed: ${firstLine(error.message)} (check the CA / tlsOptions)`, cause, false);
    }
    if (error.code === 'PARSE_ERROR') return make(ctx, 'InvalidResponse', `Key Vault's answer could not be parsed: ${firstLine(error.message)}`, cause);
    return make(ctx, 'Unavailable', `could not reach Key Vault: ${firstLine(error.message)}`, cause);
  }
  if (error instanceof Error) {
    if (error.name === 'AbortError') return make(ctx, 'Aborted', `${ctx.operation} aborted`, error);
    if (CREDENTIAL_ERRORS.has(error.name)) {
      return make(ctx, 'AccessDenied', `the credential could not get a token (${error.name}): ${firstLine(error.message)}`, error, false);
    }
    if (/challenge/i.test(error.message)) return make(ctx, 'Misconfigured', firstLine(error.message), error, false);
    // CryptographyClient checks the cached key's nbf / exp itself before it sends a sign.
    if (/expired at|can't be used before/.test(error.message)) {
      const hint = /expired/.test(error.message) ? FORBIDDEN_HINTS.KeyExpired : FORBIDDEN_HINTS.KeyNotYetValid;
      return make(ctx, 'AccessDenied', `${firstLine(error.message)} (${hint})`, error, false);
    }
    return make(ctx, 'BackendError', `${ctx.operation} failed: ${firstLine(error.message)}`, error, false);
  }
  return make(ctx, 'BackendError', `${ctx.operation} failed with a non-error value`, error, false);
}
