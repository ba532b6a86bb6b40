/**
 * The wire contract of the reference gateway (a1-gateway 2.8.0, `shared/gateway-api.md`) in one
 * place: header, fixed texts, error codes and the request/response shapes, so a reader sees the
 * whole API here. Section numbers (§) refer to that document.
 */
import type { A1Error, A1ErrorCode } from '@a1/core';

/** §1.1: on every response. */
export const PROTOCOL_HEADER = 'x-a1-protocol';
export const PROTOCOL_VALUE = 'dyolo_v2.8.0';
/** §3.1/§3.2: what clients read as the gateway version. */
export const A1_VERSION = '2.8.0';

/** §1.6: the framework's size limit (bytes); a body of exactly this size is accepted. */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;
/** §4.6: most intents in one batch authorize. */
export const MAX_BATCH_INTENTS = 256;
/** §4.3: how long an idempotent issue answer is replayed, and when eviction starts. */
export const IDEMPOTENCY_TTL_MS = 300_000;
export const IDEMPOTENCY_EVICT_ABOVE = 1_000;
/** §4.1 defaults. */
export const DEFAULT_TTL_SECONDS = 3600n;
export const DEFAULT_MAX_DEPTH = 16;
/** §1.4 default per-IP rate (requests per second, burst the same). */
export const DEFAULT_RATE_LIMIT_RPS = 500;

/** Fixed texts clients and operators match (§1.3, §1.4, §1.6, §4.2, §4.4). */
export const TEXT = {
  adminUnauthorized: 'invalid or missing admin secret',
  rateLimited: 'rate limit exceeded',
  bodyTooLarge: 'Failed to buffer the request body: length limit exceeded',
  unsupportedMediaType: 'Expected request with `Content-Type: application/json`',
  jsonSyntax: 'Failed to parse the request body as JSON: ',
  jsonShape: 'Failed to deserialize the JSON body into the target type: ',
  emptyBatch: 'requests array must not be empty',
  invalidHex: 'invalid hex',
  fingerprintLength: 'fingerprint must be 32 bytes',
  pkLength: 'pk must be 32 bytes',
  emptyIntents: 'intent tree requires at least one intent',
  /** Not upstream: upstream has no roles; a valid credential without the route's role gets 403. */
  forbiddenRole: 'this credential lacks the role this route requires',
  proxyHeaderMissing: 'client IP header required by A1_TRUSTED_PROXY_MODE is missing',
} as const;

/**
 * §1.8: upstream's `error_code` for each failure (core's `A1Error.code` on the left). Core's own
 * `errorCode` agrees except for storage (core: STORAGE_FAILURE); a test keeps the two in step.
 */
export const ERROR_CODES: Readonly<Record<A1ErrorCode, string>> = {
  EmptyChain: 'AUTHORIZATION_FAILED',
  RootMismatch: 'AUTHORIZATION_FAILED',
  BrokenLinkage: 'CHAIN_BROKEN_LINKAGE',
  InvalidSignature: 'INVALID_SIGNATURE',
  NotYetValid: 'AUTHORIZATION_FAILED',
  Expired: 'CERT_EXPIRED',
  TemporalViolation: 'AUTHORIZATION_FAILED',
  MaxDepthExceeded: 'CHAIN_DEPTH_EXCEEDED',
  InvalidSubScopeProof: 'AUTHORIZATION_FAILED',
  ScopeEscalation: 'SCOPE_ESCALATION',
  UnauthorizedLeaf: 'AUTHORIZATION_FAILED',
  ScopeViolation: 'SCOPE_VIOLATION',
  NonceReplay: 'NONCE_REPLAY',
  Revoked: 'CERT_REVOKED',
  IntentNotFound: 'AUTHORIZATION_FAILED',
  EmptyTree: 'AUTHORIZATION_FAILED',
  WireFormatError: 'AUTHORIZATION_FAILED',
  UnsupportedVersion: 'AUTHORIZATION_FAILED',
  MacVerificationFailed: 'MAC_VERIFICATION_FAILED',
  PassportNarrowingViolation: 'PASSPORT_NARROWING_VIOLATION',
  BatchItemFailed: 'BATCH_ITEM_FAILED',
  StorageFailure: 'STORAGE_ERROR',
};

/** Signing failures (no upstream equivalent): `error_code` and status per SignerError code. */
export const SIGNER_ERRORS = {
  Throttled: { status: 503, errorCode: 'SIGNER_THROTTLED' },
  Unavailable: { status: 503, errorCode: 'SIGNER_UNAVAILABLE' },
  Timeout: { status: 504, errorCode: 'SIGNER_TIMEOUT' },
  InvalidResponse: { status: 502, errorCode: 'SIGNER_INVALID_RESPONSE' },
  SignatureMismatch: { status: 502, errorCode: 'SIGNER_INVALID_RESPONSE' },
  /** AccessDenied, KeyNotFound, WrongKeyType, Misconfigured, BackendError, Aborted. */
  other: { status: 500, errorCode: 'SIGNER_ERROR' },
} as const;

export function upstreamErrorCode(error: A1Error): string {
  return ERROR_CODES[error.code];
}

/**
 * §1.8: upstream's Display text. Every core text already matches except storage, which upstream
 * words `storage backend failure: transient storage error: …`. All our stores' failures are
 * transient (Redis and PostgreSQL outages resolve by themselves), so the class is always `transient`.
 */
export function upstreamErrorText(error: A1Error): string {
  return error.code === 'StorageFailure' ? `storage backend failure: ${storageErrorText(error)}` : error.message;
}

/** §4.4: the store part of the text, as revoke answers it (`transient storage error: …`). */
export function storageErrorText(error: A1Error): string {
  return `transient storage error: ${error.reason ?? error.message}`;
}

/**
 * Which error body a route answers with (§1.7). The one error handler reads it from the route's
 * config, so every route family keeps upstream's shape.
 */
export type ErrorShape =
  /** issue, issue-batch: 400 `{"error"}`. */
  | 'issue'
  /** revoke, revoke-batch, status: 400/500 `{"error"}`. */
  | 'revoke'
  /** authorize, passport authorize: 403/503 `{"error","error_code"}`. */
  | 'authorize'
  /** batch authorize pre-checks: 400 `{"error","error_code":"AUTHORIZATION_FAILED"}`. */
  | 'batch'
  /** token verify: 401 `{"valid":false,"error"}`. */
  | 'token'
  /** discovery, health and everything else. */
  | 'plain';

// ---- request shapes (what the JSON schemas beside each handler validate) ----------------------

/** A JSON number kept exact: a safe integer, or a LosslessNumber for larger ones (see body-parser). */
export type U64Json = number | { isLosslessNumber: true; value: string };

export interface IntentSpec {
  name: string;
  params?: Record<string, string>;
}

export interface IssueCertRequest {
  delegate_pk_hex: string;
  intents: IntentSpec[];
  ttl_seconds?: U64Json;
  max_depth?: number;
  extensions?: Record<string, unknown>;
}

export interface IssueBatchRequest {
  requests: IssueCertRequest[];
}

export interface RevokeRequest {
  fingerprint_hex: string;
}

export interface RevokeBatchRequest {
  fingerprints: string[];
}

/** §2.2, kept as parsed JSON: core reads it exactly from its text. */
export interface SignedChainJson {
  version: unknown;
  principal_pk: unknown;
  principal_scope: unknown;
  certs: unknown[];
}

export interface AuthorizeRequest {
  chain: SignedChainJson;
  intent_name: string;
  intent_params?: Record<string, string>;
  executor_pk_hex: string;
  return_token?: boolean;
  request_id?: string | null;
}

export interface BatchAuthorizeRequest {
  chain: SignedChainJson;
  executor_pk_hex: string;
  intents: IntentSpec[];
}

/** §4.7: `{"token": VerifiedToken}`, or (an extension for the TS client) the bare token. */
export type TokenVerifyRequest = { token: unknown } | { receipt: unknown; mac: unknown };

// ---- response shapes (written in upstream's field order by the handlers) ---------------------

export interface HealthResponse {
  status: 'ok';
  signing_pk_hex: string;
  version: string;
  webhook_enabled: boolean;
  jwt_exchange_enabled: boolean;
  multi_tenant_enabled: boolean;
  storage_backend: 'memory' | 'redis' | 'postgres';
}

export interface IssueCertResponse {
  cert: unknown;
  fingerprint_hex: string;
  scope_root_hex: string;
}

export interface AuthorizeReceiptJson {
  chain_depth: number;
  fingerprint_hex: string;
  verified_at_unix: number | bigint;
  passport_namespace: string;
  capability_mask_hex: string;
  narrowing_commitment_hex: string;
}

export interface BatchItemResult {
  intent_name: string;
  authorized: boolean;
  chain_fingerprint?: string;
  error?: string;
  error_code?: string;
}

/** Roles a named API key may hold (§1.3 has one admin secret; these are our addition). */
export type Role = 'issue' | 'revoke' | 'admin';
export const ROLES: readonly Role[] = ['issue', 'revoke', 'admin'];
