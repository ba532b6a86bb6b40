/**
 * What the routes share, built once and attached to Fastify with `decorate`: the signer and the
 * gateway key it was pinned to, the stores, the credentials, the MAC key, the caches.
 */
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { signerFromUri } from '@a1/signer-uri';
import { toHex, type AsyncSigner, type Signer } from '@a1/core';
import { ApiKeyRing, parseApiKeysFile, ApiKeyFileError } from './api-keys.js';
import { Authenticator } from './auth.js';
import type { GatewayConfig } from './config.js';
import { IdempotencyCache } from './idempotency.js';
import { TokenBuckets } from './rate-limit.js';
import { storesFromUri, type GatewayStores } from './stores.js';

export type GatewaySigner = (Signer | AsyncSigner) & { close?(): Promise<void>; health?(): Promise<unknown> };

export interface GatewayServices {
  signer: GatewaySigner;
  /** Fetched once at start; every cert's delegator and what /health advertises. */
  publicKey: Uint8Array;
  publicKeyHex: string;
  stores: GatewayStores;
  auth: Authenticator;
  macKey: Uint8Array;
  ipLimiter: TokenBuckets;
  /** Failed credential checks per IP (each costs an scrypt): 5 per second, burst 20. */
  authFailureLimiter: TokenBuckets;
  keyLimiters: Map<string, TokenBuckets>;
  idempotency: { issue: IdempotencyCache; batch: IdempotencyCache };
}

export interface ServiceParts {
  signer: GatewaySigner;
  stores: GatewayStores;
  auth?: Authenticator;
  macKey?: Uint8Array;
}

/** Assembles the services from parts already built (tests pass theirs; `createServices` builds them from config). */
export async function assembleServices(config: GatewayConfig, parts: ServiceParts): Promise<GatewayServices> {
  const publicKey = Uint8Array.from(await parts.signer.verifyingKey());
  return {
    signer: parts.signer,
    publicKey,
    publicKeyHex: toHex(publicKey),
    stores: parts.stores,
    auth: parts.auth ?? new Authenticator(config.adminSecret, undefined),
    macKey: parts.macKey ?? config.macKey ?? Uint8Array.from(randomBytes(32)),
    ipLimiter: new TokenBuckets(config.rateLimitRps),
    authFailureLimiter: new TokenBuckets(5, 20),
    keyLimiters: new Map(),
    idempotency: { issue: new IdempotencyCache(), batch: new IdempotencyCache() },
  };
}

export async function loadApiKeys(path: string): Promise<ApiKeyRing> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ApiKeyFileError(`cannot read the API keys file ${path}: ${code ?? 'not JSON'}`);
  }
  return new ApiKeyRing(parseApiKeysFile(json));
}

/** Resolves the signer URI (only the provider it names is loaded), the store and the keys file. */
export async function createServices(config: GatewayConfig, options: { onWarning?: (text: string) => void } = {}): Promise<GatewayServices> {
  const keys = config.apiKeysFile ? await loadApiKeys(config.apiKeysFile) : undefined;
  const signer = (await signerFromUri(config.signer, options.onWarning ? { onWarning: options.onWarning } : {})) as GatewaySigner;
  let stores: GatewayStores | undefined;
  try {
    stores = await storesFromUri(config.store, { redisKeyLayout: config.redisKeyLayout, timeoutMs: config.storeTimeoutMs, migrate: config.storeMigrate, ...(config.redisAutoArm !== undefined ? { redisAutoArm: config.redisAutoArm } : {}) });
    return await assembleServices(config, { signer, stores, auth: new Authenticator(config.adminSecret, keys) });
  } catch (error) {
    await stores?.close();
    await signer.close?.();
    throw error;
  }
}

export async function closeServices(services: GatewayServices): Promise<void> {
  await Promise.allSettled([services.stores.close(), services.signer.close?.()]);
}
