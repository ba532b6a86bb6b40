/**
 * Vault's routes for a Transit signer: method + path -> an operation name (for counters and
 * faults) and a handler. Answers carry Vault's response envelope.
 */
import { randomBytes, randomUUID, sign as edSign, type KeyObject } from 'node:crypto';
import type { Fault } from '../faults.js';
import { VaultHttpError, badRequest, routeNotFound } from './http-error.js';
import type { TransitMounts } from './mounts.js';
import { normalizeNamespace, type TokenInfo, type TokenStore } from './tokens.js';
import { TRANSIT_KEY_TYPES, TransitKey, type TransitKeyType } from './transit-key.js';

/** Misbehaviours of old or broken servers that a careful client must notice. */
export interface VaultQuirks {
  /** Sign with the latest version whatever `key_version` asks for. */
  ignoreKeyVersion: boolean;
}

export interface RouteContext {
  /** `sys/quotas/config`: whether 429s carry Retry-After. */
  quotaConfig: { enableRateLimitResponseHeaders: boolean };
  mounts: TransitMounts;
  tokens: TokenStore;
  quirks: VaultQuirks;
  /** Signs the `wrong-key-signature` answers: valid Ed25519, just not the addressed key's. */
  strayKey: KeyObject;
}

/** The token an authenticated request came with, as the token store knows it. */
export interface Caller {
  token: string;
  info: TokenInfo;
}

export interface Answer {
  status: number;
  body: unknown;
}

export interface Route {
  operation: string;
  namespace: string;
  /** Needs a token (everything but login and health). */
  authenticated: boolean;
  mount?: string;
  keyName?: string;
  run: (body: Record<string, unknown>, faults: Fault[], caller?: Caller) => Answer;
}

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Resolves a request; throws 405 for a method Vault would not accept on a known path. */
export function routeRequest(ctx: RouteContext, method: string, path: string, query: URLSearchParams, namespace: string): Route {
  const ns = normalizeNamespace(namespace);
  if (path === 'sys/health') {
    return {
      operation: 'Health',
      namespace: ns,
      authenticated: false,
      run: () => ({
        status: 200,
        body: { initialized: true, sealed: false, standby: false, version: '1.17.0+a1-emulator', cluster_name: 'a1-emulator' },
      }),
    };
  }
  const isWrite = method === 'POST' || method === 'PUT';
  if (path === 'sys/quotas/config' && (isWrite || method === 'GET')) {
    return {
      operation: 'QuotaConfig',
      namespace: ns,
      authenticated: true,
      run: (body) => {
        if (isWrite && body.enable_rate_limit_response_headers !== undefined) {
          ctx.quotaConfig.enableRateLimitResponseHeaders = body.enable_rate_limit_response_headers === true || body.enable_rate_limit_response_headers === 'true';
        }
        return isWrite
          ? { status: 204, body: null }
          : { status: 200, body: envelope({ enable_rate_limit_audit_logging: false, enable_rate_limit_response_headers: ctx.quotaConfig.enableRateLimitResponseHeaders, rate_limit_exempt_paths: [] }) };
      },
    };
  }
  const login = /^auth\/(.+)\/login$/.exec(path);
  if (login && isWrite) {
    const mount = login[1]!;
    return {
      operation: 'Login',
      namespace: ns,
      authenticated: false,
      run: (body) => ({ status: 200, body: envelope(null, ctx.tokens.login(ns, mount, body)) }),
    };
  }
  if (path === 'auth/token/lookup-self' && (method === 'GET' || isWrite)) {
    return {
      operation: 'LookupSelf',
      namespace: ns,
      authenticated: true,
      run: (_body, _faults, caller) => ({ status: 200, body: envelope(ctx.tokens.lookupSelf(caller!.token, caller!.info)) }),
    };
  }
  if (path === 'auth/token/renew-self' && isWrite) {
    return {
      operation: 'RenewSelf',
      namespace: ns,
      authenticated: true,
      run: (body, _faults, caller) => ({ status: 200, body: envelope(null, ctx.tokens.renewSelf(caller!.token, caller!.info, body.increment)) }),
    };
  }
  const resolved = ctx.mounts.resolve(ns, path);
  // Vault checks the token before it admits a path does not exist.
  const unrouted: Route = { operation: 'Unrouted', namespace: ns, authenticated: true, run: () => { throw routeNotFound(path); } };
  if (!resolved) return unrouted;
  const { keys, mount } = resolved;
  const [head, name, tail, extra] = resolved.rest.split('/');
  const at = { namespace: ns, authenticated: true, mount };

  if (head === 'keys' && name === undefined && (method === 'LIST' || (method === 'GET' && query.get('list') === 'true'))) {
    return { ...at, operation: 'ListKeys', run: () => ({ status: 200, body: envelope({ keys: [...keys.keys()].sort() }) }) };
  }
  if (head === 'keys' && name && tail === undefined && method === 'GET') {
    return {
      ...at,
      operation: 'ReadKey',
      keyName: name,
      run: () => {
        const key = keys.get(name);
        // Vault answers an unknown key with 404 and an empty error list.
        if (!key) throw new VaultHttpError(404, []);
        return { status: 200, body: envelope(key.toReadResponse(contextOf(query.get('context')))) };
      },
    };
  }
  if (head === 'keys' && name && tail === undefined && isWrite) {
    return {
      ...at,
      operation: 'CreateKey',
      keyName: name,
      run: (body) => {
        const type = body.type ?? 'aes256-gcm96';
        if (typeof type !== 'string' || !TRANSIT_KEY_TYPES.includes(type as TransitKeyType)) throw badRequest(`unknown key type: ${String(type)}`);
        const key = keys.get(name) ?? new TransitKey(name, type as TransitKeyType, { derived: isTrue(body.derived), exportable: isTrue(body.exportable) });
        keys.set(name, key);
        return { status: 200, body: envelope(key.toReadResponse()) };
      },
    };
  }
  if (head === 'keys' && name && tail === 'rotate' && extra === undefined && isWrite) {
    return {
      ...at,
      operation: 'RotateKey',
      keyName: name,
      run: () => {
        const key = keys.get(name);
        if (!key) throw badRequest('key not found');
        key.rotate();
        return { status: 200, body: envelope(key.toReadResponse()) };
      },
    };
  }
  if (head === 'export' && name === 'signing-key' && tail && extra === undefined && method === 'GET') {
    return {
      ...at,
      operation: 'ExportKey',
      keyName: tail,
      run: () => {
        const key = keys.get(tail);
        if (!key) throw new VaultHttpError(404, []);
        return { status: 200, body: envelope({ name: key.name, type: key.type, keys: key.exportSigningKeys() }) };
      },
    };
  }
  if (head === 'sign' && name && extra === undefined && isWrite) {
    return { ...at, operation: 'Sign', keyName: name, run: (body, hits) => signAnswer(ctx, keys.get(name), body, hits) };
  }
  if (head === 'keys' || head === 'sign') throw new VaultHttpError(405, ['unsupported operation']);
  return unrouted;
}

function signAnswer(ctx: RouteContext, key: TransitKey | undefined, body: Record<string, unknown>, hits: Fault[]): Answer {
  if (!key) throw badRequest('signing key not found');
  if (body.batch_input !== undefined) throw badRequest('batch_input is not supported by this emulator');
  if (typeof body.input !== 'string' || body.input === '') throw badRequest('missing input to process');
  if (!STRICT_BASE64.test(body.input)) throw badRequest('unable to decode input as base64: illegal base64 data');
  if (key.type === 'ed25519' && (body.prehashed === true || body.prehashed === 'true')) {
    throw badRequest('prehashed (Ed25519ph) signing is not supported by this emulator');
  }
  const requested = parseVersion(body.key_version);
  const version = key.signingVersion(ctx.quirks.ignoreKeyVersion ? undefined : requested);
  const input = Buffer.from(body.input, 'base64');
  let encoded = key.sign(input, version, contextOf(body.context)).toString('base64');
  for (const fault of hits) {
    if (fault.kind === 'garbage-signature') encoded = randomBytes(64).toString('base64');
    if (fault.kind === 'wrong-key-signature') encoded = edSign(null, input, ctx.strayKey).toString('base64');
    // Vault has no CRC; the nearest analogue is an envelope that is not `vault:vN:<base64>`.
    if (fault.kind === 'corrupt-crc') encoded = `${encoded.slice(0, 20)}*not-base64*`;
  }
  return { status: 200, body: envelope({ signature: `vault:v${version}:${encoded}`, key_version: version }) };
}

function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** A derivation context as Vault takes it: base64 in the body or the query. */
function contextOf(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  if (!STRICT_BASE64.test(value)) throw badRequest('failed to base64-decode context');
  return Buffer.from(value, 'base64');
}

function parseVersion(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 0) throw badRequest(`invalid key_version: ${JSON.stringify(value)}`);
  return n;
}

/** Vault's response envelope around `data` (or `auth` for logins). */
function envelope(data: unknown, auth: unknown = null): Record<string, unknown> {
  return { request_id: randomUUID(), lease_id: '', renewable: false, lease_duration: 0, data, wrap_info: null, warnings: null, auth };
}
