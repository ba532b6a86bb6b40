import type { KMSClient, KMSClientConfig } from '@aws-sdk/client-kms';

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
   * A client you built and own (the signer never destroys it). When set, `region`, `endpoint`,
   * `clientConfig` and `maxAttempts` must be left out: configure the client instead.
   */
  client?: KMSClient;
  /** Extra configuration for the client the signer creates (credentials, requestHandler, logger…). */
  clientConfig?: KMSClientConfig;
  /**
   * Deadline for one `signMessage` or the first-use key fetch, retries included, in ms.
   * Default 10 000. A call past it ends in `SignerError` `Timeout`.
   */
  timeoutMs?: number;
  /** Attempts per call, for the SDK's standard retry with backoff (throttling, 5xx). Default 3. */
  maxAttempts?: number;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_ATTEMPTS = 3;
