import type { KMSClient, KMSClientConfig } from '@aws-sdk/client-kms';
import { misconfigured } from './misconfigured.js';
import { DEFAULT_RETRY, type RetryOptions } from './retry.js';

export interface AwsKmsSignerOptions {
  /** Key id, key ARN, `alias/name` or alias ARN of an `ECC_NIST_EDWARDS25519` / `SIGN_VERIFY` key. */
  keyId: string;
  /**
   * AWS region. Default: the region of an ARN `keyId`, else the SDK's own resolution
   * (`AWS_REGION`, shared config profile).
   */
  region?: string;
  /** Custom endpoint (VPC endpoint, FIPS endpoint, the loopback emulator). */
  endpoint?: string;
  /**
   * A client you built and own (the signer never destroys it). When set, `region`, `endpoint`
   * and `clientConfig` must be left out: configure the client instead. Build it with
   * `maxAttempts: 1`: the signer retries itself, and the client's own retries would multiply ours.
   */
  client?: KMSClient;
  /** Extra configuration for the client the signer creates (credentials, requestHandler, logger…). */
  clientConfig?: KMSClientConfig;
  /**
   * Deadline of one attempt (a Sign or the first-use GetPublicKey), in ms, never past
   * `retry.deadlineMs`. Default 10 000. An attempt past it ends in `SignerError` `Timeout` (not
   * retried: a hang is not multiplied).
   */
  timeoutMs?: number;
  /** Shorthand for `retry.maxAttempts`. */
  maxAttempts?: number;
  /**
   * Backoff with full jitter up to a total deadline (default 15 s, 10 attempts) for throttling,
   * 5xx, unreadable answers and keys still being created or updated. The SDK client itself makes
   * one attempt per call.
   */
  retry?: RetryOptions;
  /**
   * Grant tokens sent with Sign and GetPublicKey: a grant is usable with its token at once, before
   * it has propagated (without it KMS answers AccessDenied for up to a few minutes).
   */
  grantTokens?: string[];
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_ATTEMPTS = DEFAULT_RETRY.maxAttempts;

/** The retry options in force: `retry` over the defaults, `maxAttempts` as its shorthand, checked. */
export function retryOptions(options: AwsKmsSignerOptions, keyId: string): Required<RetryOptions> {
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  if (options.maxAttempts !== undefined) retry.maxAttempts = options.maxAttempts;
  if (!Number.isInteger(retry.maxAttempts) || retry.maxAttempts < 1 || retry.maxAttempts > 1000) {
    throw misconfigured('maxAttempts (retry.maxAttempts) must be an integer from 1 to 1000', keyId);
  }
  for (const field of ['baseDelayMs', 'maxDelayMs', 'deadlineMs'] as const) {
    if (!Number.isFinite(retry[field]) || retry[field] < 0 || (field === 'deadlineMs' && retry[field] === 0)) {
      throw misconfigured(`retry.${field} must be a ${field === 'deadlineMs' ? 'positive' : 'non-negative'} number`, keyId);
    }
  }
  return retry;
}


/** KMS takes 0 to 10 grant tokens of 1 to 8192 characters (GrantTokenList in the KMS model). */
export function grantTokensOf(tokens: unknown, keyId: string): string[] | undefined {
  if (tokens === undefined) return undefined;
  // Never echo a token: a grant token is a credential.
  if (!Array.isArray(tokens) || tokens.length > 10 || !tokens.every((t) => typeof t === 'string' && t.length >= 1 && t.length <= 8192)) {
    throw misconfigured('grantTokens must be a list of at most 10 non-empty strings (up to 8192 characters each)', keyId);
  }
  return tokens.length === 0 ? undefined : [...tokens];
}
