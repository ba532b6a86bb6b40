/**
 * Gateway configuration from a JSON file and environment variables (the environment wins), parsed
 * by pure functions: nothing here reads files or the network except `loadConfig`.
 */
import { readFile } from 'node:fs/promises';
import { DEFAULT_RATE_LIMIT_RPS } from './contract.js';
import type { RedisKeyLayout } from './stores.js';

export type TrustedProxyMode = 'x-forwarded-for' | 'fly-client-ip' | 'cf-connecting-ip';

export interface GatewayConfig {
  listen: { host: string; port: number };
  /** Signer URI (`file:`, `awskms:`, `gcpkms:`, `hashivault:`, `azurekms:`, `pkcs11:`). */
  signer: string;
  /** `Authorization: Bearer <secret>` holds every role (upstream's only credential). */
  adminSecret?: string;
  /** `issuer` and endpoint base of the well-known document (upstream default `http://localhost:8080`). */
  publicBaseUrl: string;
  /** `memory:`, `redis://…`, `rediss://…`, `postgres://…`. */
  store: string;
  redisKeyLayout: RedisKeyLayout;
  storeTimeoutMs: number;
  /** PostgreSQL: apply missing schema migrations at start. Default false. */
  storeMigrate: boolean;
  /** Redis: arm a never-used key space on first use (development only). Default: the store's (false). */
  redisAutoArm?: boolean;
  apiKeysFile?: string;
  tls?: { certFile: string; keyFile: string };
  /** 32-byte token MAC key; identical on every replica. Random per process when unset (memory store only). */
  macKey?: Uint8Array;
  rateLimitRps: number;
  trustedProxyMode?: TrustedProxyMode;
  corsAllowedOrigin?: string;
  /** Compatibility: revoke routes open to anyone, as upstream. Default false (revoke role needed). */
  publicRevocation: boolean;
  /** Compatibility: with no admin secret and no API key configured, issue routes are open, as upstream. Default false. */
  openIssuanceWithoutCredentials: boolean;
  /** Authorize, batch authorize and token verify need a valid credential (any role). Default false, as upstream. */
  requireKeyForAuthorize: boolean;
  /** Serve `/v1/passports/*` (admin role only) on the passport files of this one directory. Default: not served. */
  passportsDirectory?: string;
  /** Most certs of one batch being signed at once. */
  issueConcurrency: number;
  requestTimeoutMs: number;
  shutdownGraceMs: number;
  logLevel: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;
type FileConfig = Record<string, unknown>;

const DEFAULTS = {
  listen: '127.0.0.1:8080',
  publicBaseUrl: 'http://localhost:8080',
  store: 'memory:',
  storeTimeoutMs: 1000,
  issueConcurrency: 16,
  requestTimeoutMs: 30_000,
  shutdownGraceMs: 10_000,
  logLevel: 'info',
};

export function parseListen(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65535) throw new ConfigError(`A1_GATEWAY_LISTEN must be host:port (e.g. 127.0.0.1:8080), got ${JSON.stringify(text)}`);
  return { host: match[1] ?? match[2]!, port };
}

function parseMacKey(hex: string, name: string): Uint8Array {
  const clean = hex.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(clean)) throw new ConfigError(`${name} must be 64 hex characters (32 bytes)`);
  const key = Uint8Array.from(Buffer.from(clean, 'hex'));
  if (key.every((b) => b === 0)) throw new ConfigError(`${name} must not be all zeros`);
  return key;
}

function flag(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  const text = String(value).toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(text)) return true;
  if (['0', 'false', 'no', 'off'].includes(text)) return false;
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(value)}`);
}

function positive(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${name} must be a positive number, got ${JSON.stringify(value)}`);
  return n;
}

function text(value: unknown, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new ConfigError(`${name} must be a string`);
  return value;
}

/** Upstream's rate rule (§1.4): unparsable → 500, 0 → 1. */
function rateLimit(value: unknown): number {
  if (value === undefined || value === '') return DEFAULT_RATE_LIMIT_RPS;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || !Number.isInteger(n)) return DEFAULT_RATE_LIMIT_RPS;
  return Math.max(1, n);
}

/** Merges file settings (camelCase keys) and environment variables; the environment wins. */
export function configFrom(env: Env, file: FileConfig = {}): GatewayConfig {
  const pick = (envName: string, fileKey: string): unknown => (env[envName] !== undefined && env[envName] !== '' ? env[envName] : file[fileKey]);
  const signer = text(pick('A1_GATEWAY_SIGNER', 'signer'), 'A1_GATEWAY_SIGNER');
  if (!signer) throw new ConfigError('A1_GATEWAY_SIGNER is not set: give the root key as a signer URI, e.g. A1_GATEWAY_SIGNER=file:./root.key');
  const store = text(pick('A1_GATEWAY_STORE', 'store'), 'A1_GATEWAY_STORE') ?? DEFAULTS.store;
  const layout = text(pick('A1_GATEWAY_REDIS_KEY_LAYOUT', 'redisKeyLayout'), 'A1_GATEWAY_REDIS_KEY_LAYOUT') ?? 'a1';
  if (layout !== 'a1' && layout !== 'reference') throw new ConfigError('A1_GATEWAY_REDIS_KEY_LAYOUT must be a1 or reference');
  const macHex = text(pick('A1_GATEWAY_MAC_KEY', 'macKey'), 'A1_GATEWAY_MAC_KEY') ?? text(env.A1_MAC_KEY_HEX, 'A1_MAC_KEY_HEX');
  const macKey = macHex === undefined ? undefined : parseMacKey(macHex, 'A1_GATEWAY_MAC_KEY');
  if (!macKey && !store.startsWith('memory:')) {
    throw new ConfigError('A1_GATEWAY_MAC_KEY must be set when replicas share a store (tokens must verify on every replica)');
  }
  const certFile = text(pick('A1_GATEWAY_TLS_CERT', 'tlsCert'), 'A1_GATEWAY_TLS_CERT');
  const keyFile = text(pick('A1_GATEWAY_TLS_KEY', 'tlsKey'), 'A1_GATEWAY_TLS_KEY');
  if ((certFile === undefined) !== (keyFile === undefined)) throw new ConfigError('A1_GATEWAY_TLS_CERT and A1_GATEWAY_TLS_KEY go together');
  const proxy = text(pick('A1_TRUSTED_PROXY_MODE', 'trustedProxyMode'), 'A1_TRUSTED_PROXY_MODE');
  if (proxy !== undefined && !['x-forwarded-for', 'fly-client-ip', 'cf-connecting-ip'].includes(proxy)) {
    throw new ConfigError('A1_TRUSTED_PROXY_MODE must be x-forwarded-for, fly-client-ip or cf-connecting-ip');
  }
  const adminSecret = text(pick('A1_ADMIN_SECRET', 'adminSecret'), 'A1_ADMIN_SECRET');
  const apiKeysFile = text(pick('A1_GATEWAY_API_KEYS_FILE', 'apiKeysFile'), 'A1_GATEWAY_API_KEYS_FILE');
  const redisAutoArm = flag(pick('A1_GATEWAY_REDIS_AUTO_ARM', 'redisAutoArm'), 'A1_GATEWAY_REDIS_AUTO_ARM');
  const passportsDirectory = text(pick('A1_GATEWAY_PASSPORTS_DIR', 'passportsDirectory'), 'A1_GATEWAY_PASSPORTS_DIR');
  const corsAllowedOrigin = text(pick('A1_CORS_ALLOWED_ORIGIN', 'corsAllowedOrigin'), 'A1_CORS_ALLOWED_ORIGIN');
  return {
    listen: parseListen(text(pick('A1_GATEWAY_LISTEN', 'listen'), 'A1_GATEWAY_LISTEN') ?? DEFAULTS.listen),
    signer,
    ...(adminSecret !== undefined ? { adminSecret } : {}),
    publicBaseUrl: text(pick('A1_PUBLIC_BASE_URL', 'publicBaseUrl'), 'A1_PUBLIC_BASE_URL') ?? DEFAULTS.publicBaseUrl,
    store,
    redisKeyLayout: layout,
    storeTimeoutMs: positive(pick('A1_GATEWAY_STORE_TIMEOUT_MS', 'storeTimeoutMs'), 'A1_GATEWAY_STORE_TIMEOUT_MS') ?? DEFAULTS.storeTimeoutMs,
    storeMigrate: flag(pick('A1_GATEWAY_STORE_MIGRATE', 'storeMigrate'), 'A1_GATEWAY_STORE_MIGRATE') ?? false,
    ...(redisAutoArm !== undefined ? { redisAutoArm } : {}),
    ...(apiKeysFile !== undefined ? { apiKeysFile } : {}),
    ...(certFile && keyFile ? { tls: { certFile, keyFile } } : {}),
    ...(macKey ? { macKey } : {}),
    rateLimitRps: rateLimit(pick('A1_RATE_LIMIT_RPS', 'rateLimitRps')),
    ...(proxy ? { trustedProxyMode: proxy as TrustedProxyMode } : {}),
    ...(corsAllowedOrigin !== undefined ? { corsAllowedOrigin } : {}),
    publicRevocation: flag(pick('A1_GATEWAY_PUBLIC_REVOCATION', 'publicRevocation'), 'A1_GATEWAY_PUBLIC_REVOCATION') ?? false,
    openIssuanceWithoutCredentials:
      flag(pick('A1_GATEWAY_OPEN_ISSUANCE', 'openIssuanceWithoutCredentials'), 'A1_GATEWAY_OPEN_ISSUANCE') ?? false,
    requireKeyForAuthorize: flag(pick('A1_GATEWAY_REQUIRE_KEY_FOR_AUTHORIZE', 'requireKeyForAuthorize'), 'A1_GATEWAY_REQUIRE_KEY_FOR_AUTHORIZE') ?? false,
    ...(passportsDirectory !== undefined ? { passportsDirectory } : {}),
    issueConcurrency: Math.floor(positive(pick('A1_GATEWAY_ISSUE_CONCURRENCY', 'issueConcurrency'), 'A1_GATEWAY_ISSUE_CONCURRENCY') ?? DEFAULTS.issueConcurrency),
    requestTimeoutMs: positive(pick('A1_GATEWAY_REQUEST_TIMEOUT_MS', 'requestTimeoutMs'), 'A1_GATEWAY_REQUEST_TIMEOUT_MS') ?? DEFAULTS.requestTimeoutMs,
    shutdownGraceMs: positive(pick('A1_GATEWAY_SHUTDOWN_GRACE_MS', 'shutdownGraceMs'), 'A1_GATEWAY_SHUTDOWN_GRACE_MS') ?? DEFAULTS.shutdownGraceMs,
    logLevel: text(pick('A1_GATEWAY_LOG_LEVEL', 'logLevel'), 'A1_GATEWAY_LOG_LEVEL') ?? DEFAULTS.logLevel,
  };
}

/** Reads `A1_GATEWAY_CONFIG` (a JSON file) when set, then applies the environment. */
export async function loadConfig(env: Env = process.env, configFile = env.A1_GATEWAY_CONFIG): Promise<GatewayConfig> {
  let file: FileConfig = {};
  if (configFile) {
    let raw: string;
    try {
      raw = await readFile(configFile, 'utf8');
    } catch (error) {
      throw new ConfigError(`cannot read the config file ${configFile}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    try {
      file = JSON.parse(raw) as FileConfig;
    } catch {
      throw new ConfigError(`the config file ${configFile} is not JSON`);
    }
    if (typeof file !== 'object' || file === null || Array.isArray(file)) throw new ConfigError(`the config file ${configFile} must hold a JSON object`);
  }
  return configFrom(env, file);
}
