/**
 * node-vault's HTTP layer, given through its documented `request-promise` hook, so the signer sees
 * response headers: node-vault's own layer keeps only status and body, and its `ApiResponseError`
 * drops the `Retry-After` Vault sends with a 429 (when `enable_rate_limit_response_headers` is set,
 * see Vault's /sys/quotas/config API). Same transport as node-vault's (axios, our agents, the
 * per-request timeout); a non-2xx answer is rejected here, shaped like node-vault's error
 * (`response.statusCode`, `response.body`) plus the server's retry hint.
 */
import axios, { type AxiosInstance, type Method } from 'axios';
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';

/** What node-vault hands its request function (a request-promise options object). */
interface VaultRequestOptions {
  method: string;
  uri: string;
  headers?: Record<string, string>;
  json?: unknown;
  timeout?: number;
  httpAgent?: HttpAgent;
  httpsAgent?: HttpsAgent;
}

/** A non-2xx answer from Vault, with what node-vault would keep and the headers it would drop. */
export class VaultHttpResponseError extends Error {
  override readonly name = 'VaultHttpResponseError';
  constructor(
    readonly response: { statusCode: number; body: unknown },
    /** `Retry-After` in seconds, when Vault sent it. */
    readonly retryAfterSeconds: number | undefined,
  ) {
    const errors = (response.body as { errors?: unknown } | undefined)?.errors;
    super(Array.isArray(errors) && typeof errors[0] === 'string' ? errors[0] : `Status ${response.statusCode}`);
  }
}

function retryAfterOf(value: unknown): number | undefined {
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** The `request-promise` stand-in node-vault calls with `.defaults(rpDefaults)`. */
export function vaultTransport(): { defaults(): (options: VaultRequestOptions) => Promise<unknown> } {
  const instance: AxiosInstance = axios.create({ validateStatus: () => true });
  const send = async (options: VaultRequestOptions) => {
    const answer = await instance.request({
      method: options.method as Method,
      url: options.uri,
      headers: { ...options.headers },
      ...(options.json && typeof options.json === 'object' ? { data: options.json } : {}),
      ...(options.timeout !== undefined ? { timeout: options.timeout } : {}),
      ...(options.httpAgent ? { httpAgent: options.httpAgent } : {}),
      ...(options.httpsAgent ? { httpsAgent: options.httpsAgent } : {}),
    });
    const path = new URL(options.uri).pathname;
    if (answer.status !== 200 && answer.status !== 204 && !path.endsWith('/sys/health')) {
      throw new VaultHttpResponseError({ statusCode: answer.status, body: answer.data }, retryAfterOf(answer.headers['retry-after']));
    }
    return { statusCode: answer.status, body: answer.data, request: { path } };
  };
  return { defaults: () => send };
}
