/**
 * A client for the gateway written only from the contract (shared/gateway-api.md): it knows the
 * routes, the bodies and the header, nothing of this package's code. Every call returns the
 * status, the headers and the raw body text (field order and u64 digits are checked on the text).
 */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  json: any;
}

export interface ClientOptions {
  /** Sent as `Authorization: Bearer <credential>`. */
  credential?: string;
  headers?: Record<string, string>;
}

export class ContractClient {
  constructor(
    readonly baseUrl: string,
    private readonly options: ClientOptions = {},
  ) {}

  with(options: ClientOptions): ContractClient {
    return new ContractClient(this.baseUrl, { ...this.options, ...options, headers: { ...this.options.headers, ...options.headers } });
  }

  async request(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers, ...extra };
    if (this.options.credential !== undefined) headers.authorization = `Bearer ${this.options.credential}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    const response = await fetch(new URL(path, this.baseUrl), { method, headers, body: payload });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, text, json };
  }

  // §3
  health() {
    return this.request('GET', '/health');
  }
  wellKnown() {
    return this.request('GET', '/.well-known/a1-configuration');
  }
  // §4.1–4.4
  issueCert(body: unknown, headers: Record<string, string> = {}) {
    return this.request('POST', '/v1/cert/issue', body, headers);
  }
  issueBatch(body: unknown, headers: Record<string, string> = {}) {
    return this.request('POST', '/v1/cert/issue-batch', body, headers);
  }
  revoke(fingerprintHex: string) {
    return this.request('POST', '/v1/cert/revoke', { fingerprint_hex: fingerprintHex });
  }
  revokeBatch(fingerprints: string[]) {
    return this.request('POST', '/v1/cert/revoke-batch', { fingerprints });
  }
  certStatus(fingerprint: string) {
    return this.request('GET', `/v1/cert/${encodeURIComponent(fingerprint)}`);
  }
  // §4.5–4.7
  authorize(body: unknown) {
    return this.request('POST', '/v1/authorize', body);
  }
  passportAuthorize(body: unknown) {
    return this.request('POST', '/v1/passport/authorize', body);
  }
  authorizeBatch(body: unknown) {
    return this.request('POST', '/v1/authorize/batch', body);
  }
  verifyToken(body: unknown) {
    return this.request('POST', '/v1/token/verify', body);
  }
}

/** §2.2: the one-hop chain a client builds from an issue response and the gateway key. */
export function oneHopChain(gatewayPkHex: string, issued: { cert: unknown; scope_root_hex: string }) {
  return { version: 1, principal_pk: gatewayPkHex, principal_scope: issued.scope_root_hex, certs: [issued.cert] };
}

/** Top-level keys of a JSON object text, in the order written. */
export function keyOrder(text: string): string[] {
  return Object.keys(JSON.parse(text));
}
