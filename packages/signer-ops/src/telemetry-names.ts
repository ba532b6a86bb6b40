/** The instrument and attribute names this package reports, in one place (OpenTelemetry naming: durations in seconds). */
export const INSTRUMENTATION_SCOPE = '@a1/signer-ops';

export const METRIC = {
  signerDuration: 'a1.signer.operation.duration',
  signatures: 'a1.signer.signatures',
  errors: 'a1.signer.errors',
  throttles: 'a1.signer.throttles',
  retries: 'a1.signer.retries',
  authorizeDuration: 'a1.authorize.duration',
  authorizations: 'a1.authorize.count',
} as const;

export const ATTR = {
  operation: 'a1.signer.operation',
  provider: 'a1.signer.provider',
  keyId: 'a1.signer.key_id',
  outcome: 'a1.outcome',
  errorType: 'error.type',
  retryable: 'a1.signer.retryable',
  retryReason: 'a1.signer.retry.reason',
} as const;
