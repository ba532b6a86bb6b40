/**
 * Signer options from the environment variables AWS users already set. Pure: reads only the
 * object it is given.
 */
import { isRegion, keyIdProblem } from './key-id.js';
import { misconfigured } from './misconfigured.js';
import type { AwsKmsSignerOptions } from './options.js';

export type Env = Readonly<Record<string, string | undefined>>;

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/**
 * - `A1_KMS_KEY_ID` (required): key id, key ARN, `alias/name` or alias ARN.
 * - `AWS_REGION` (or `AWS_DEFAULT_REGION`): the region; else the SDK resolves it.
 * - `AWS_ENDPOINT_URL_KMS`, else `AWS_ENDPOINT_URL`: a custom endpoint.
 * - `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`) when both are in
 *   `env`; otherwise the SDK's default credential chain (profiles, SSO, IMDS, …).
 */
export function awsKmsOptionsFromEnv(env: Env): AwsKmsSignerOptions {
  const keyId = value(env, 'A1_KMS_KEY_ID');
  const problem = keyIdProblem(keyId);
  if (problem) throw misconfigured(`A1_KMS_KEY_ID: ${problem}`);
  const options: AwsKmsSignerOptions = { keyId: keyId! };

  const region = value(env, 'AWS_REGION') ?? value(env, 'AWS_DEFAULT_REGION');
  if (region !== undefined) {
    if (!isRegion(region)) throw misconfigured('AWS_REGION / AWS_DEFAULT_REGION (not shown) is not an AWS region name such as us-east-1', keyId);
    options.region = region;
  }

  const endpoint = value(env, 'AWS_ENDPOINT_URL_KMS') ?? value(env, 'AWS_ENDPOINT_URL');
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    // Name the variable, not its value: an endpoint URL may carry user:password@.
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw misconfigured('AWS_ENDPOINT_URL_KMS / AWS_ENDPOINT_URL is not an http(s) URL', keyId);
    }
    if (url.username !== '' || url.password !== '') {
      throw misconfigured('AWS_ENDPOINT_URL_KMS / AWS_ENDPOINT_URL must not carry credentials', keyId);
    }
    options.endpoint = endpoint;
  }

  const accessKeyId = value(env, 'AWS_ACCESS_KEY_ID');
  const secretAccessKey = value(env, 'AWS_SECRET_ACCESS_KEY');
  if (accessKeyId !== undefined && secretAccessKey !== undefined) {
    const sessionToken = value(env, 'AWS_SESSION_TOKEN');
    options.clientConfig = {
      credentials: { accessKeyId, secretAccessKey, ...(sessionToken !== undefined ? { sessionToken } : {}) },
    };
  }
  return options;
}
