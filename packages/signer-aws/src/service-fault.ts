/**
 * What a SignerError keeps of an SDK exception: its name, HTTP status and request id (what AWS
 * support asks for), plus a network error code. Never the exception itself: AWS answers
 * `InvalidSignatureException` with the canonical request, whose `x-amz-security-token:` line is
 * the session token, and the exception also reaches the raw HTTP response.
 */
export class AwsKmsServiceFault extends Error {
  override readonly name: string;
  readonly httpStatusCode: number | undefined;
  readonly requestId: string | undefined;
  /** A Node network error code (ECONNREFUSED, ENOTFOUND, …), when that is what failed. */
  readonly code: string | undefined;

  constructor(fields: { name: string; httpStatusCode?: number; requestId?: string; code?: string }) {
    const facts = [
      fields.httpStatusCode !== undefined ? `HTTP ${fields.httpStatusCode}` : undefined,
      fields.requestId !== undefined ? `request id ${fields.requestId}` : undefined,
      fields.code,
    ].filter((fact) => fact !== undefined);
    super(facts.length > 0 ? `${fields.name} (${facts.join(', ')})` : fields.name);
    this.name = fields.name;
    this.httpStatusCode = fields.httpStatusCode;
    this.requestId = fields.requestId;
    this.code = fields.code;
  }
}

const SAFE_TEXT = /^[A-Za-z0-9._:-]{1,128}$/;

/** The cleaned cause of anything an SDK call threw. */
export function serviceFaultOf(err: unknown): AwsKmsServiceFault {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
  };
  const name = typeof e.name === 'string' && SAFE_TEXT.test(e.name) ? e.name : typeof err === 'object' ? 'Error' : typeof err;
  const status = e.$metadata?.httpStatusCode;
  const requestId = e.$metadata?.requestId;
  return new AwsKmsServiceFault({
    name,
    ...(typeof status === 'number' ? { httpStatusCode: status } : {}),
    ...(typeof requestId === 'string' && SAFE_TEXT.test(requestId) ? { requestId } : {}),
    ...(typeof e.code === 'string' && /^E[A-Z_]{2,30}$/.test(e.code) ? { code: e.code } : {}),
  });
}
