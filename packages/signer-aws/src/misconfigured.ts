import { SignerError } from '@a1/core';
import { AWS_KMS_PROVIDER } from './key-id.js';

/** Options, URI or environment that cannot work; never retryable. */
export function misconfigured(message: string, keyId?: string): SignerError {
  return new SignerError({ provider: AWS_KMS_PROVIDER, keyId, code: 'Misconfigured', retryable: false, message });
}
