/**
 * SDK exception -> SignerError. Codes follow what a caller can do about the failure; messages
 * are built from the exception's name and, only for key-related answers, the service's text
 * (which names ARNs and IAM actions). Authentication answers are never echoed: AWS puts the
 * canonical request, with its signed headers, in some of them. The cause is a cleaned summary
 * (service-fault.ts), never the SDK exception.
 */
import { SignerError, type SignerErrorCode } from '@a1/core';
import { AWS_KMS_PROVIDER } from './key-id.js';
import { serviceFaultOf } from './service-fault.js';

export type KmsCall = 'GetPublicKey' | 'Sign' | 'DescribeKey';

interface Mapping {
  code: SignerErrorCode;
  retryable: boolean;
  /** What the caller should understand or do. */
  hint: string;
  /** Whether the service's own message is safe and useful to include. */
  echo?: boolean;
}

const BY_NAME: Record<string, Mapping> = {
  NotFoundException: { code: 'KeyNotFound', retryable: false, hint: 'the key or alias does not exist in this account and region', echo: true },
  InvalidArnException: { code: 'KeyNotFound', retryable: false, hint: 'the key ARN is not valid', echo: true },
  DisabledException: { code: 'BackendError', retryable: false, hint: 'the key is disabled; enable it to sign', echo: true },
  KMSInvalidStateException: {
    code: 'BackendError',
    retryable: false,
    hint: 'the key is in a state that cannot sign (pending deletion, pending import or unavailable); check it with aws kms describe-key',
    echo: true,
  },
  InvalidKeyUsageException: { code: 'WrongKeyType', retryable: false, hint: 'the key cannot sign with ED25519_SHA_512', echo: true },
  AccessDeniedException: { code: 'AccessDenied', retryable: false, hint: 'the caller lacks kms:Sign / kms:GetPublicKey on this key', echo: true },
  UnrecognizedClientException: { code: 'AccessDenied', retryable: false, hint: 'the access key id is not recognised' },
  InvalidClientTokenId: { code: 'AccessDenied', retryable: false, hint: 'the access key id is not recognised' },
  InvalidSignatureException: {
    code: 'AccessDenied',
    retryable: false,
    hint: 'the request signature was rejected (wrong secret access key, or clock skew)',
  },
  IncompleteSignatureException: { code: 'AccessDenied', retryable: false, hint: 'the request signature is incomplete' },
  MissingAuthenticationTokenException: { code: 'AccessDenied', retryable: false, hint: 'the request carried no credentials' },
  ExpiredTokenException: { code: 'AccessDenied', retryable: false, hint: 'the session token has expired' },
  CredentialsProviderError: {
    code: 'AccessDenied',
    retryable: false,
    hint: 'no AWS credentials were found (environment, profile, SSO, container or instance role)',
  },
  ThrottlingException: { code: 'Throttled', retryable: true, hint: 'KMS throttled the call: request rate over the account quota' },
  // A resource quota (keys, aliases, grants…), not a request rate: waiting does not cure it.
  LimitExceededException: {
    code: 'BackendError',
    retryable: false,
    hint: 'a KMS resource quota was exceeded (not a request rate; retrying will not help): raise the quota or free resources',
    echo: true,
  },
  KMSInternalException: { code: 'Unavailable', retryable: true, hint: 'KMS reported an internal error' },
  KeyUnavailableException: { code: 'Unavailable', retryable: true, hint: 'the key is temporarily unavailable' },
  DependencyTimeoutException: { code: 'Unavailable', retryable: true, hint: 'KMS timed out internally' },
  TimeoutError: { code: 'Timeout', retryable: true, hint: 'the request timed out' },
  ValidationException: { code: 'BackendError', retryable: false, hint: 'KMS rejected the request as invalid', echo: true },
  UnsupportedOperationException: { code: 'BackendError', retryable: false, hint: 'KMS does not support this operation here', echo: true },
  DryRunOperationException: { code: 'BackendError', retryable: false, hint: 'a DryRun request cannot sign' },
  InvalidGrantTokenException: { code: 'AccessDenied', retryable: false, hint: 'the grant token is not valid' },
};

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface SdkError {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export interface ErrorContext {
  keyId: string;
  call: KmsCall;
  /** Why the call's signal fired, when it did. */
  stopped?: 'timeout' | 'aborted';
  timeoutMs: number;
}

/**
 * A multi-Region replica still being created or updated answers KMSInvalidStateException
 * ("<arn> is creating.") for a while: transient, unlike Disabled, PendingDeletion, PendingImport
 * or Unavailable (https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html).
 */
const TRANSIENT_STATE = /\bis (creating|updating)\b/i;

function fromName(err: SdkError): Mapping | undefined {
  const name = typeof err.name === 'string' ? err.name : '';
  const message = typeof err.message === 'string' ? err.message : '';
  if (name === 'KMSInvalidStateException' && TRANSIENT_STATE.test(message)) {
    return { code: 'Unavailable', retryable: true, hint: 'the key is still being created or updated (multi-Region replica); retry shortly', echo: true };
  }
  const mapping = BY_NAME[name];
  if (mapping) return mapping;
  const status = err.$metadata?.httpStatusCode;
  if (message.includes('Deserialization error') || (status !== undefined && status >= 200 && status < 300)) {
    return { code: 'InvalidResponse', retryable: true, hint: 'the KMS answer could not be read (cut short or malformed)' };
  }
  if (typeof err.code === 'string' && NETWORK_CODES.has(err.code)) {
    return { code: 'Unavailable', retryable: true, hint: `KMS could not be reached (${err.code})` };
  }
  if (/Region is missing/i.test(message)) {
    return { code: 'Misconfigured', retryable: false, hint: 'no AWS region: pass region, set AWS_REGION, or use a key ARN' };
  }
  if (err.$fault === 'server' || (status !== undefined && status >= 500)) {
    return { code: 'Unavailable', retryable: true, hint: `KMS answered ${status ?? 'a server fault'}` };
  }
  return undefined;
}

export function toSignerError(err: unknown, context: ErrorContext): SignerError {
  if (err instanceof SignerError) return err;
  // The caller's own abort reason is theirs to keep; anything the SDK threw is summarised.
  const cause = context.stopped === 'aborted' ? err : serviceFaultOf(err);
  const base = { provider: AWS_KMS_PROVIDER, keyId: context.keyId, cause };
  if (context.stopped === 'aborted') {
    return new SignerError({ ...base, code: 'Aborted', retryable: false, message: `${context.call} aborted by the caller` });
  }
  if (context.stopped === 'timeout') {
    return new SignerError({
      ...base,
      code: 'Timeout',
      retryable: true,
      message: `${context.call} got no answer within ${context.timeoutMs} ms`,
    });
  }
  const sdkError = (typeof err === 'object' && err !== null ? err : {}) as SdkError;
  const name = (cause as { name: string }).name;
  const mapping = fromName(sdkError) ?? { code: 'BackendError' as const, retryable: false, hint: 'KMS call failed' };
  const serviceText = mapping.echo && typeof sdkError.message === 'string' ? ` — ${sdkError.message.slice(0, 500)}` : '';
  return new SignerError({
    ...base,
    code: mapping.code,
    retryable: mapping.retryable,
    message: `${context.call} failed: ${mapping.hint} (${name})${serviceText}`,
  });
}
