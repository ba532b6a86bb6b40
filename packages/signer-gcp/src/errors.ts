/**
 * How Cloud KMS failures become `SignerError`s: gRPC status codes map to the shared codes and
 * retry hints. Messages carry the RPC, the status name and the server's short detail text,
 * never request metadata or credentials (the original error stays reachable as `cause`).
 */
import { SignerError, type SignerErrorCode } from '@a1/core';

export const PROVIDER = 'gcp-kms';

/** gRPC status codes (numbers are fixed by the gRPC spec; avoids importing grpc-js here). */
const STATUS_NAMES: Record<number, string> = {
  1: 'CANCELLED',
  2: 'UNKNOWN',
  3: 'INVALID_ARGUMENT',
  4: 'DEADLINE_EXCEEDED',
  5: 'NOT_FOUND',
  6: 'ALREADY_EXISTS',
  7: 'PERMISSION_DENIED',
  8: 'RESOURCE_EXHAUSTED',
  9: 'FAILED_PRECONDITION',
  10: 'ABORTED',
  11: 'OUT_OF_RANGE',
  12: 'UNIMPLEMENTED',
  13: 'INTERNAL',
  14: 'UNAVAILABLE',
  15: 'DATA_LOSS',
  16: 'UNAUTHENTICATED',
};

interface Mapping {
  code: SignerErrorCode;
  retryable: boolean;
  hint?: string;
}

const BY_STATUS: Record<string, Mapping> = {
  NOT_FOUND: { code: 'KeyNotFound', retryable: false, hint: 'check the key name and that the version exists' },
  // Cloud KMS answers a missing key exactly like a key the caller may not use ("… (or it may not exist)").
  PERMISSION_DENIED: {
    code: 'AccessDenied',
    retryable: false,
    hint: 'this identity may not use the key, or the key does not exist (Cloud KMS answers both alike): check the key name, and grant roles/cloudkms.signerVerifier on the key',
  },
  UNAUTHENTICATED: { code: 'AccessDenied', retryable: false, hint: 'credentials missing or expired' },
  RESOURCE_EXHAUSTED: {
    code: 'Throttled',
    retryable: true,
    hint: 'Cloud KMS throttled the call (per-minute quota); retry later, spread the load, or raise the quota',
  },
  UNAVAILABLE: { code: 'Unavailable', retryable: true },
  CANCELLED: { code: 'Unavailable', retryable: true },
  INTERNAL: { code: 'Unavailable', retryable: true },
  UNKNOWN: { code: 'Unavailable', retryable: true },
  ABORTED: { code: 'Unavailable', retryable: true },
  DEADLINE_EXCEEDED: { code: 'Timeout', retryable: true },
  FAILED_PRECONDITION: {
    code: 'BackendError',
    retryable: false,
    hint: 'Cloud KMS refused the call in the current state of the key or project',
  },
};

/**
 * FAILED_PRECONDITION "<version> is not enabled, current state is: <STATE>." — what each
 * CryptoKeyVersion state means for the caller. PENDING_GENERATION passes on its own (the key
 * material is still being generated); the others need an operator.
 */
const BY_VERSION_STATE: Record<string, Mapping> = {
  PENDING_GENERATION: { code: 'Unavailable', retryable: true, hint: 'the key version is still being generated; retry shortly' },
  DISABLED: {
    code: 'BackendError',
    retryable: false,
    hint: 'the key version is DISABLED: enable it (gcloud kms keys versions enable) or configure another version',
  },
  DESTROY_SCHEDULED: {
    code: 'BackendError',
    retryable: false,
    hint: 'the key version is DESTROY_SCHEDULED: restore it (gcloud kms keys versions restore, then enable) before the destroy time, or configure another version',
  },
  DESTROYED: {
    code: 'BackendError',
    retryable: false,
    hint: 'the key version is DESTROYED: its key material is gone for good; configure another version',
  },
};
const VERSION_STATE = /is not enabled, current state is: ([A-Z_]+)/;

/** The answer of a project where the Cloud KMS API is off (google.rpc.ErrorInfo reason SERVICE_DISABLED). */
function isServiceDisabled(err: unknown, detail: string): boolean {
  return (err as { reason?: unknown } | null)?.reason === 'SERVICE_DISABLED' || /API has not been used in project|API .* is disabled/i.test(detail);
}

function mappingFor(err: unknown, status: string, detail: string): Mapping {
  if (isChecksumComplaint(status, detail)) return { code: 'BackendError', retryable: true, hint: 'the request was damaged in transit' };
  if (isServiceDisabled(err, detail)) {
    return {
      code: 'Misconfigured',
      retryable: false,
      hint: 'the Cloud KMS API is not enabled in this project: gcloud services enable cloudkms.googleapis.com (then wait a few minutes)',
    };
  }
  const state = status === 'FAILED_PRECONDITION' ? VERSION_STATE.exec(detail)?.[1] : undefined;
  if (state !== undefined) {
    return BY_VERSION_STATE[state] ?? { code: 'BackendError', retryable: false, hint: `the key version is ${state}, not ENABLED` };
  }
  return BY_STATUS[status] ?? { code: 'BackendError', retryable: false };
}

/** Longest server detail text quoted in a message. */
const MAX_DETAIL = 400;

function statusNameOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? STATUS_NAMES[code] : undefined;
}

/** A short, printable form of the server's detail text. */
function detailOf(err: unknown): string {
  const details = (err as { details?: unknown } | null)?.details;
  const text = typeof details === 'string' ? details : '';
  const printable = text.replace(/[^\x20-\x7e]/g, ' ').trim();
  return printable.length > MAX_DETAIL ? `${printable.slice(0, MAX_DETAIL)}…` : printable;
}

/** True for the status a Cloud KMS checksum complaint comes with (request damaged in transit). */
function isChecksumComplaint(status: string | undefined, detail: string): boolean {
  return status === 'INVALID_ARGUMENT' && /crc32c|checksum/i.test(detail);
}

/** Maps anything the client threw during `operation` to a SignerError. */
export function toSignerError(err: unknown, keyId: string, operation: string): SignerError {
  if (err instanceof SignerError) return err;
  const status = statusNameOf(err);
  const detail = detailOf(err);
  if (status === undefined) {
    // Raw messages of local failures may quote a credentials file, so only known facts are named.
    const kind = err instanceof Error ? err.name : typeof err;
    const noCredentials = err instanceof Error && /default credentials/i.test(err.message);
    return new SignerError({
      provider: PROVIDER,
      keyId,
      code: noCredentials ? 'AccessDenied' : 'BackendError',
      retryable: false,
      message: noCredentials
        ? `${operation} failed: no Google credentials found - set GOOGLE_APPLICATION_CREDENTIALS or run with a service account`
        : `${operation} failed before reaching Cloud KMS (${kind}; see cause)`,
      cause: err,
    });
  }
  const mapping = mappingFor(err, status, detail);
  const parts = [`${operation} failed: ${status}`, detail && `(${detail})`, mapping.hint && `- ${mapping.hint}`];
  return new SignerError({
    provider: PROVIDER,
    keyId,
    code: mapping.code,
    retryable: mapping.retryable,
    message: parts.filter(Boolean).join(' '),
    cause: err,
  });
}

/** An answer that is not a valid answer (bad checksum, wrong name, malformed key or signature). */
export function invalidResponse(keyId: string, message: string, retryable = true): SignerError {
  return new SignerError({ provider: PROVIDER, keyId, code: 'InvalidResponse', retryable, message });
}

export function misconfigured(message: string, keyId?: string): SignerError {
  return new SignerError({ provider: PROVIDER, keyId, code: 'Misconfigured', retryable: false, message });
}

/** How long the service asked us to wait (google.rpc.RetryInfo, decoded by google-gax), in ms. */
export function serverRetryDelayMs(err: SignerError): number | undefined {
  const details = (err.cause as { statusDetails?: unknown } | null | undefined)?.statusDetails;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details as { retryDelay?: { seconds?: unknown; nanos?: unknown } | null }[]) {
    const delay = detail?.retryDelay;
    if (!delay) continue;
    const seconds = Number(String(delay.seconds ?? 0));
    const nanos = Number(delay.nanos ?? 0);
    const ms = seconds * 1000 + nanos / 1e6;
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  return undefined;
}
