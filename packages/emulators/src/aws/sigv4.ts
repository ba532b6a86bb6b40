/**
 * Server-side SigV4 check: parse the `Authorization` header, then recompute the signature over
 * the request as received with @smithy/signature-v4 (the signer the SDK itself uses) and the
 * configured secret. Any difference in method, path, signed headers, body or secret changes it.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { KmsServiceError } from './kms-error.js';

export interface AwsCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /** IAM actions this identity may call (`kms:Sign`, …); all when omitted. */
  allow?: readonly string[];
  /** Temporary credentials: requests must carry this as `x-amz-security-token`. */
  sessionToken?: string;
}

export interface ReceivedRequest {
  method: string;
  /** Path and query as received, e.g. `/`. */
  url: string;
  /** Lower-cased names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

/**
 * The canonical request as AWS prints it in a signature mismatch ("The Canonical String for this
 * request should have been …"): method, path, query, every signed header with its value — the
 * session token included — and the payload hash. Real services do this, so a client that keeps
 * the raw exception leaks the token; the emulator must give clients the same chance to fail.
 */
function canonicalRequest(request: ReceivedRequest, signedHeaders: string[], payloadHash: string): string {
  const url = new URL(request.url, 'http://emulator.invalid');
  const query = [...url.searchParams].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).sort().join('&');
  const lines = signedHeaders.map((name) => `${name}:${(header(request, name) ?? '').trim().replace(/\s+/g, ' ')}`);
  return [request.method, url.pathname, query, ...lines, '', signedHeaders.join(';'), payloadHash].join('\n');
}

function signatureMismatch(request: ReceivedRequest, auth: ParsedAuthorization, payloadHash: string, amzDate: string): KmsServiceError {
  const canonical = canonicalRequest(request, auth.signedHeaders, payloadHash);
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
  return invalidSignature(
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n' +
      `The Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
  );
}

function invalidSignature(detail?: string): KmsServiceError {
  return new KmsServiceError(
    'InvalidSignatureException',
    detail ??
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );
}

function header(request: ReceivedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function parseAuthorization(value: string): ParsedAuthorization {
  const incomplete = (what: string) =>
    new KmsServiceError('IncompleteSignatureException', `Authorization header requires '${what}' parameter.`);
  const match = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(value.trim());
  if (!match) {
    throw new KmsServiceError(
      'IncompleteSignatureException',
      'Authorization header must use the AWS4-HMAC-SHA256 algorithm.',
    );
  }
  const params = new Map<string, string>();
  for (const part of match[1]!.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = params.get('Credential');
  const signedHeaders = params.get('SignedHeaders');
  const signature = params.get('Signature');
  if (!credential) throw incomplete('Credential');
  if (!signedHeaders) throw incomplete('SignedHeaders');
  if (!signature) throw incomplete('Signature');
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') {
    throw new KmsServiceError(
      'IncompleteSignatureException',
      "Credential should be 'AccessKeyId/yyyyMMdd/region/service/aws4_request'.",
    );
  }
  const [accessKeyId, date, region, service] = scope as [string, string, string, string];
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** `20240102T030405Z` -> Date, or undefined when malformed. */
function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

/**
 * Returns the caller's credential when the request is signed by it; otherwise throws the
 * error the real service answers with.
 */
export async function verifySigV4(
  request: ReceivedRequest,
  credentials: ReadonlyMap<string, AwsCredential>,
  expected: { region: string; service: string },
  now: Date = new Date(),
): Promise<AwsCredential> {
  const authorization = header(request, 'authorization');
  if (!authorization) throw new KmsServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const auth = parseAuthorization(authorization);

  const credential = credentials.get(auth.accessKeyId);
  const givenToken = header(request, 'x-amz-security-token');
  if (!credential || (credential.sessionToken !== undefined && givenToken !== credential.sessionToken)) {
    throw new KmsServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }

  const amzDate = header(request, 'x-amz-date');
  const signingDate = amzDate ? parseAmzDate(amzDate) : undefined;
  if (!amzDate || !signingDate || !auth.signedHeaders.includes('x-amz-date')) {
    throw new KmsServiceError(
      'IncompleteSignatureException',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    throw invalidSignature(
      `Signature expired: ${amzDate} is now earlier than ${new Date(now.getTime() - MAX_CLOCK_SKEW_MS).toISOString()} (${now.toISOString()} - 15 min.)`,
    );
  }
  if (auth.date !== amzDate.slice(0, 8)) throw invalidSignature('Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.');
  if (auth.region !== expected.region) throw invalidSignature(`Credential should be scoped to a valid region. `);
  if (auth.service !== expected.service) {
    throw invalidSignature(`Credential should be scoped to correct service: '${expected.service}'. `);
  }
  if (!auth.signedHeaders.includes('host')) throw invalidSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.");

  // A signed payload hash must be the hash of the body that actually arrived.
  const bodyHash = createHash('sha256').update(request.body).digest('hex');
  const claimedHash = header(request, 'x-amz-content-sha256');
  if (claimedHash !== undefined && claimedHash !== bodyHash) {
    throw invalidSignature('The provided x-amz-content-sha256 header does not match what was computed.');
  }

  // Rebuild the request with exactly the headers the client says it signed.
  const signedHeaders: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = header(request, name);
    if (value === undefined) throw invalidSignature(`Signed header '${name}' is missing from the request.`);
    signedHeaders[name] = value;
  }
  const url = new URL(request.url, 'http://emulator.invalid');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId: credential.accessKeyId, secretAccessKey: credential.secretAccessKey },
    region: auth.region,
    service: auth.service,
    sha256: Sha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: 'emulator.invalid',
      path: decodeURIComponent(url.pathname),
      query,
      headers: signedHeaders,
      body: request.body,
    },
    { signingDate, signableHeaders: new Set(auth.signedHeaders), signingRegion: auth.region, signingService: auth.service },
  );
  const recomputed = parseAuthorization(String(signed.headers['authorization']));
  const expectedSig = Buffer.from(recomputed.signature, 'utf8');
  const givenSig = Buffer.from(auth.signature, 'utf8');
  const sameHeaders = recomputed.signedHeaders.join(';') === auth.signedHeaders.join(';');
  if (!sameHeaders || expectedSig.length !== givenSig.length || !timingSafeEqual(expectedSig, givenSig)) {
    throw signatureMismatch(request, auth, claimedHash ?? bodyHash, amzDate);
  }
  return credential;
}
