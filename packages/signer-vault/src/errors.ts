/**
 * Turning what node-vault and axios throw into `SignerError`s. The raw errors are never kept
 * as `cause`: an axios error carries the request config, headers included, and so the token.
 * The cause is a `VaultRequestError` built from non-secret facts (status, Vault's error
 * strings, the socket error code), with any known secret redacted from them.
 */
import { SignerError, type SignerErrorCode } from '@a1/core';

export const PROVIDER = 'vault-transit';

/** What went wrong on the wire, without the request that carried the token. */
export class VaultRequestError extends Error {
  override readonly name = 'VaultRequestError';
  constructor(
    message: string,
    /** HTTP status, when Vault answered. */
    readonly status: number | undefined,
    /** Vault's `errors` array, when it sent one. */
    readonly vaultErrors: readonly string[],
    /** Socket / TLS / axios error code, when the request never got an answer. */
    readonly code: string | undefined,
    /** Vault's `Retry-After` (seconds) on a 429, when its rate-limit response headers are on. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Which call failed: decides what a 400 or 403 means. */
export type VaultOperation = 'login' | 'read-key' | 'sign' | 'health';

/** The auth methods the signer logs in with. */
export type LoginMethod = 'approle' | 'kubernetes' | 'jwt';

/** What to check when a login is refused, per method. */
const LOGIN_HINTS: Record<LoginMethod, string> = {
  approle: 'check the role id and secret id (a secret id also stops working past its secret_id_ttl or secret_id_num_uses)',
  kubernetes: "check the role name and that the pod's service-account token is bound to it (bound_service_account_names / namespaces)",
  jwt: "check the role name and that the JWT matches the role's bound audiences, subject and claims, and has not expired",
};

const LOGIN_NAMES: Record<LoginMethod, string> = { approle: 'AppRole', kubernetes: 'Kubernetes', jwt: 'JWT' };

export interface FailureContext {
  operation: VaultOperation;
  keyId: string;
  /** `transit/keys/NAME` or `transit/sign/NAME`, for messages. */
  path: string;
  /** Strings that must never reach a message (token, secret id). */
  secrets: readonly string[];
  /** For a login: which method. */
  method?: LoginMethod;
}

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|EPROTO/;
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_NETWORK',
  'ERR_BAD_RESPONSE',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('[redacted]');
  return out;
}

/** Status and Vault error strings of a node-vault `ApiResponseError`, if `e` is one. */
export function apiStatus(e: unknown): { status: number; errors: string[]; retryAfterSeconds?: number } | undefined {
  const response = (e as { response?: { statusCode?: unknown; body?: unknown } } | null)?.response;
  if (!response || typeof response.statusCode !== 'number') return undefined;
  const body = response.body as { errors?: unknown } | undefined;
  const errors = Array.isArray(body?.errors) ? body!.errors.filter((x): x is string => typeof x === 'string') : [];
  const retryAfter = (e as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return { status: response.statusCode, errors, ...(typeof retryAfter === 'number' ? { retryAfterSeconds: retryAfter } : {}) };
}

/** Classifies a node-vault / axios failure; a `SignerError` passes through unchanged. */
export function toSignerError(e: unknown, ctx: FailureContext): SignerError {
  if (e instanceof SignerError) return e;
  const api = apiStatus(e);
  if (api) return fromStatus(api.status, api.errors, ctx, api.retryAfterSeconds);
  const code = typeof (e as { code?: unknown })?.code === 'string' ? (e as { code: string }).code : undefined;
  const rawMessage = e instanceof Error ? e.message : String(e);
  const detail = redact(code ? `${code}: ${rawMessage}` : rawMessage, ctx.secrets);
  const cause = new VaultRequestError(detail, undefined, [], code);
  const fail = (c: SignerErrorCode, message: string, retryable?: boolean) =>
    new SignerError({ provider: PROVIDER, keyId: ctx.keyId, code: c, message, cause, ...(retryable === undefined ? {} : { retryable }) });

  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout of \d+ms exceeded/.test(rawMessage)) {
    return fail('Timeout', `Vault did not answer ${ctx.operation} in time (${detail})`);
  }
  if (code && TLS_CODES.test(code)) {
    return fail('Misconfigured', `TLS to Vault failed (${detail}); check VAULT_ADDR and that caCert / VAULT_CACERT is the CA that signed Vault's certificate`, false);
  }
  if ((code && NETWORK_CODES.has(code)) || /socket hang up|aborted|stream has been aborted/i.test(rawMessage)) {
    return fail('Unavailable', `Vault unreachable during ${ctx.operation} (${detail})`);
  }
  return fail('BackendError', `${ctx.operation} failed: ${detail}`, false);
}

function fromStatus(status: number, errors: readonly string[], ctx: FailureContext, retryAfterSeconds?: number): SignerError {
  const said = redact(errors.join('; '), ctx.secrets);
  const cause = new VaultRequestError(
    `HTTP ${status}${said ? `: ${said}` : ''}`,
    status,
    errors.map((x) => redact(x, ctx.secrets)),
    undefined,
    retryAfterSeconds,
  );
  const fail = (code: SignerErrorCode, message: string, retryable?: boolean) =>
    new SignerError({ provider: PROVIDER, keyId: ctx.keyId, code, message, cause, ...(retryable === undefined ? {} : { retryable }) });
  const vaultSays = said ? ` (Vault: ${said})` : '';

  if (status === 429) {
    const hint = retryAfterSeconds !== undefined ? ` (Retry-After: ${retryAfterSeconds} s)` : '';
    return fail('Throttled', `Vault throttled the ${ctx.operation}: HTTP 429, rate limit quota exceeded${hint}${vaultSays}`);
  }
  if (status >= 500) return fail('Unavailable', `Vault answered HTTP ${status} during ${ctx.operation}${vaultSays}`, true);
  if (ctx.operation === 'login' && (status === 400 || status === 403)) {
    const method = ctx.method ?? 'approle';
    return fail('AccessDenied', `${LOGIN_NAMES[method]} login rejected with HTTP ${status}; ${LOGIN_HINTS[method]}${vaultSays}`, false);
  }
  if (status === 403 || status === 401) {
    return fail(
      'AccessDenied',
      `permission denied on ${ctx.path}; the token needs "read" on <mount>/keys/KEY and "update" on <mount>/sign/KEY${vaultSays}`,
      false,
    );
  }
  if (status === 404) return fail('KeyNotFound', `no key at ${ctx.path} (wrong key name, mount path or namespace?)${vaultSays}`, false);
  if (status === 400 && /not found/i.test(said)) return fail('KeyNotFound', `no key at ${ctx.path}${vaultSays}`, false);
  if (status === 400 && /does not support signing/i.test(said)) {
    return fail('WrongKeyType', `the key at ${ctx.path} cannot sign${vaultSays}`, false);
  }
  return fail('BackendError', `Vault answered HTTP ${status} during ${ctx.operation}${vaultSays}`, false);
}
