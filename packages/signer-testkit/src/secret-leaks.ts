import { inspect } from 'node:util';
import { ConformanceError } from './conformance-error.js';

/** Secrets shorter than this match by accident (line numbers, ports), so they are refused. */
export const MIN_SECRET_LENGTH = 6;

export type Secret = string | Uint8Array;

/**
 * One place a secret was found: which secret (by position, never by value) and where. A leak
 * found by its shape alone (no configured secret) has `secretIndex` -1 and names the `shape`.
 */
export interface SecretLeak {
  secretIndex: number;
  where: string;
  shape?: string;
}

/**
 * Texts that are secret whatever the test configured: an AWS session token (as the
 * `x-amz-security-token` header or query parameter, or by the prefixes STS tokens start with) and
 * the canonical request / string-to-sign AWS puts in `InvalidSignatureException` messages, whose
 * signed headers include that token.
 */
export const SECRET_SHAPES: ReadonlyArray<readonly [shape: string, pattern: RegExp]> = [
  ['AWS session token header', /x-amz-security-token\s*[:=]\s*[A-Za-z0-9/+=%_-]{16,}/i],
  ['AWS session token', /(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE|FQoGZXIvYXdzE)[A-Za-z0-9/+=]{20,}/],
  ['AWS canonical request', /The Canonical String for this request should have been/i],
  ['AWS string to sign', /AWS4-HMAC-SHA256\r?\n\d{8}T\d{6}Z\r?\n\d{8}\/[a-z0-9-]+\/[a-z0-9-]+\/aws4_request/],
];

/** The text forms a secret may take once it leaks: bytes as hex, base64 and base64url. */
export function secretForms(secret: Secret): string[] {
  if (typeof secret === 'string') return [secret];
  const b = Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength);
  const hex = b.toString('hex');
  return [hex, hex.toUpperCase(), b.toString('base64').replace(/=+$/, ''), b.toString('base64url')];
}

export function validateSecrets(secrets: readonly Secret[]): void {
  secrets.forEach((secret, i) => {
    const length = typeof secret === 'string' ? secret.length : secret.byteLength;
    if (length < MIN_SECRET_LENGTH) {
      throw new ConformanceError(
        'options.secrets',
        `secret #${i} is ${length} characters/bytes; use at least ${MIN_SECRET_LENGTH} (short secrets match line numbers and ports by accident — pick a distinctive test value)`,
      );
    }
  });
}

/** JSON that survives bigints, bytes and cycles, as a structured logger would write it. */
export function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(value, (_key, v: unknown) => {
        if (typeof v === 'bigint') return v.toString();
        if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
        if (typeof v === 'object' && v !== null) {
          if (seen.has(v)) return '[Circular]';
          seen.add(v);
        }
        return v;
      }) ?? ''
    );
  } catch (e) {
    return `[unserializable: ${(e as Error)?.name}]`;
  }
}

function attempt(render: () => string): string {
  try {
    return render();
  } catch {
    return '';
  }
}

/** Every text form an error (or any value) takes when printed, logged or serialized. */
export function renderings(value: unknown): Array<[where: string, text: string]> {
  const out: Array<[string, string]> = [];
  if (value instanceof Error) {
    out.push(['message', attempt(() => value.message)]);
    out.push(['String(error)', attempt(() => String(value))]);
    out.push(['stack', attempt(() => value.stack ?? '')]);
    // The cause chain is where SDK errors (with request options, headers) usually sit.
    let cause: unknown = value.cause;
    for (let depth = 1; cause !== undefined && depth <= 8; depth++) {
      out.push([`cause[${depth}]`, attempt(() => (cause instanceof Error ? `${cause.message}\n${cause.stack ?? ''}` : String(cause)))]);
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  } else {
    out.push(['String()', attempt(() => String(value))]);
  }
  out.push(['JSON', safeJson(value)]);
  out.push(['util.inspect', attempt(() => inspect(value, { depth: 8, breakLength: Infinity }))]);
  out.push(['deep walk', attempt(() => deepStrings(value).join('\n'))]);
  return out;
}

/**
 * Every string reachable from `value` through own properties (enumerable or not, getters left
 * alone), Map and Set entries and `toJSON()` results — where serializers other than inspect look,
 * e.g. an SDK error's `request.headers` map holding `Authorization: Bearer …`.
 */
export function deepStrings(value: unknown, maxNodes = 20_000): string[] {
  const out: string[] = [];
  const seen = new WeakSet<object>();
  const queue: unknown[] = [value];
  for (let visited = 0; queue.length > 0 && visited < maxNodes; visited++) {
    const v = queue.shift();
    if (typeof v === 'string') out.push(v);
    else if (typeof v === 'bigint' || typeof v === 'number') out.push(String(v));
    else if (v instanceof Uint8Array) out.push(Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex'));
    else if ((typeof v === 'object' && v !== null) || typeof v === 'function') {
      if (seen.has(v)) continue;
      seen.add(v);
      if (v instanceof Map) for (const [k, x] of v) queue.push(k, x);
      if (v instanceof Set) for (const x of v) queue.push(x);
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') queue.push(attempt(() => safeJson(v)));
      if (typeof v === 'function') continue;
      for (const key of Reflect.ownKeys(v)) {
        const d = Object.getOwnPropertyDescriptor(v, key);
        if (d && 'value' in d) queue.push(d.value);
        if (typeof key === 'string') out.push(key);
      }
    }
  }
  return out;
}

/** Where any secret appears in the ways `value` can be printed; empty when it is clean. */
export function findSecretLeaks(value: unknown, secrets: readonly Secret[]): SecretLeak[] {
  return findSecretsInTexts(renderings(value), secrets);
}

export function findSecretsInTexts(
  texts: ReadonlyArray<readonly [where: string, text: string]>,
  secrets: readonly Secret[],
): SecretLeak[] {
  const leaks: SecretLeak[] = [];
  for (const [shape, pattern] of SECRET_SHAPES) {
    for (const [where, text] of texts) if (pattern.test(text)) leaks.push({ secretIndex: -1, where, shape });
  }
  secrets.forEach((secret, secretIndex) => {
    const forms = secretForms(secret);
    for (const [where, text] of texts) {
      if (forms.some((form) => form.length > 0 && text.includes(form))) leaks.push({ secretIndex, where });
    }
  });
  return leaks;
}

export function describeLeaks(leaks: readonly SecretLeak[]): string {
  return leaks.map((l) => (l.shape ? `${l.shape} in ${l.where}` : `secret #${l.secretIndex} in ${l.where}`)).join(', ');
}

/** Throws a `ConformanceError` naming (by position) each secret found in `value`. */
export function assertNoSecrets(check: string, value: unknown, secrets: readonly Secret[], subject = 'the error'): void {
  const leaks = findSecretLeaks(value, secrets);
  if (leaks.length > 0) throw new ConformanceError(check, `${subject} reveals a secret: ${describeLeaks(leaks)}`);
}

/** How an object shows up when logged as-is: `console.log` (default inspect), `String()`, JSON. */
export function renderingsOfObject(value: unknown): Array<[where: string, text: string]> {
  return [
    ['console.log', attempt(() => inspect(value))],
    ['String()', attempt(() => String(value))],
    ['JSON', safeJson(value)],
  ];
}
