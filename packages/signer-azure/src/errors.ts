/**
 * Turns what the Azure SDK throws (RestError, AbortError, identity errors) into `SignerError`.
 * Messages use only non-secret facts: status, Key Vault's error code and text, key id. A
 * RestError is never kept as `cause` as it is: its `request.headers` hold the bearer token
 * (any serializer that walks properties would print it), so the cause is a copy without them.
 */
import { SignerError, type SignerErrorCode } from '@a1/core';

export const PROVIDER = 'azure-keyvault';

export const ROLE_HINT = 'the identity needs the Key Vault Crypto User role (keys/read and keys/sign)';

/** What was being done when the error happened, and why it stopped. */
export interface FailureContext {
  keyId: string;
  operation: 'read key' | 'sign';
  timedOut: boolean;
  timeoutMs: number;
  aborted: boolean;
}

/** The fields of `@azure/core-rest-pipeline`'s RestError we read (duck-typed: no extra dependency). */
interface RestErrorLike extends Error {
  statusCode?: number;
  code?: string;
  details?: { error?: { code?: unknown; message?: unknown } };
  response?: { headers?: { get(name: string): string | undefined } };
}

/** A RestError minus its request and response: status, codes and Key Vault's own error text. */
export class KeyVaultResponseError extends Error {
  override readonly name = 'KeyVaultResponseError';
  readonly statusCode: number | undefined;
  readonly code: string | undefined;
  readonly keyVaultError: { code?: string; message?: string } | undefined;

  constructor(from: RestErrorLike) {
    super(from.message);
    this.statusCode = from.statusCode;
    this.code = from.code;
    const kv = from.details?.error;
    this.keyVaultError = kv
      ? {
          ...(typeof kv.code === 'string' ? { code: kv.code } : {}),
          ...(typeof kv.message === 'string' ? { message: kv.message } : {}),
        }
      : undefined;
    if (from.stack) this.stack = from.stack;
  }
}

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
      // Key Vault also answers 403 for a disabled key; the role hint would mislead there.
      const hint = /disabled/i.test(kvMessage) ? 'the key is disabled' : ROLE_HINT;
      return make(ctx, 'AccessDenied', `${detail} (${hint})`, cause);
    }
    if (status === 404) return make(ctx, 'KeyNotFound', detail, cause);
    if (status === 408) return make(ctx, 'Timeout', detail, cause);
    if (status === 429) {
      const retryAfter = error.response?.headers?.get('retry-after');
      return make(ctx, 'Throttled', `${detail}${retryAfter ? ` (Retry-After: ${retryAfter} s)` : ''}`, cause);
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
    return make(ctx, 'BackendError', `${ctx.operation} failed: ${firstLine(error.message)}`, error, false);
  }
  return make(ctx, 'BackendError', `${ctx.operation} failed with a non-error value`, error, false);
}
