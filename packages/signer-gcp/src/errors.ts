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
  PERMISSION_DENIED: {
    code: 'AccessDenied',
    retryable: false,
    hint: 'grant roles/cloudkms.signerVerifier on the key to this identity',
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
    hint: 'the key version is disabled, destroyed or not an asymmetric-signing key',
  },
};

/** Longest server detail text quoted in a message. */
const MAX_DETAIL = 200;

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
  const mapping: Mapping = isChecksumComplaint(status, detail)
    ? { code: 'BackendError', retryable: true, hint: 'the request was damaged in transit' }
    : (BY_STATUS[status] ?? { code: 'BackendError', retryable: false });
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
