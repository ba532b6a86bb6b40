/**
 * Discovery and health (§3): `/health` and `/healthz` (liveness; never touch the KMS or the
 * store), the well-known document, and `/readyz` (our addition: signer and store health).
 */
import type { FastifyInstance } from 'fastify';
import { A1_VERSION, PROTOCOL_VALUE } from '../contract.js';
import { obj, writeOut } from '../json-out.js';
import type { GatewayServices } from '../services.js';

const READINESS_TIMEOUT_MS = 3_000;

function healthBody(services: GatewayServices): string {
  return writeOut(
    obj([
      ['status', 'ok'],
      ['signing_pk_hex', services.publicKeyHex],
      ['version', A1_VERSION],
      ['webhook_enabled', false],
      ['jwt_exchange_enabled', false],
      ['multi_tenant_enabled', false],
      ['storage_backend', services.stores.backend],
    ]),
  );
}

/** Lists only what this gateway serves; every field the TS client requires is kept (§3.2). */
function wellKnownBody(services: GatewayServices, base: string): string {
  return writeOut(
    obj([
      ['issuer', base],
      ['gateway_signing_pk_hex', services.publicKeyHex],
      ['gateway_did', `did:a1:${services.publicKeyHex}`],
      ['authorization_endpoint', `${base}/v1/authorize`],
      ['batch_authorize_endpoint', `${base}/v1/authorize/batch`],
      ['passport_authorize_endpoint', `${base}/v1/passport/authorize`],
      ['cert_issuance_endpoint', `${base}/v1/cert/issue`],
      ['cert_revoke_endpoint', `${base}/v1/cert/revoke`],
      ['cert_revoke_batch_endpoint', `${base}/v1/cert/revoke-batch`],
      ['token_verify_endpoint', `${base}/v1/token/verify`],
      ['a1_version', A1_VERSION],
      ['protocol_enforcer', PROTOCOL_VALUE],
      ['supported_algorithms', ['Ed25519']],
      ['supported_features', ['delegation']],
      ['supported_networks', []],
      ['jwt_exchange_enabled', false],
      ['webhook_enabled', false],
      ['multi_tenant_enabled', false],
    ]),
  );
}

interface Check {
  ok: boolean;
  detail?: string;
  latencyMs?: number;
}

async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The signer's own `health()` when it has one; a signer without one is as healthy as its cached key. */
async function signerCheck(services: GatewayServices): Promise<Check> {
  const health = services.signer.health;
  if (typeof health !== 'function') return { ok: true, detail: 'no health() on this signer; public key cached at start' };
  const started = performance.now();
  try {
    // Signers answer { ok, latencyMs, keyId, detail } and never throw for a fault; detail is built from non-secret facts.
    const result = (await within(health.call(services.signer), READINESS_TIMEOUT_MS)) as { ok?: unknown; detail?: unknown; reason?: unknown } | undefined;
    const detail = typeof result?.detail === 'string' ? result.detail : typeof result?.reason === 'string' ? result.reason : undefined;
    return { ok: result?.ok === true, latencyMs: Math.round(performance.now() - started), ...(detail ? { detail } : {}) };
  } catch (error) {
    // Signer errors are built from non-secret facts (SignerError contract); the name and code suffice.
    const code = (error as { code?: unknown }).code;
    return { ok: false, detail: `health check failed${typeof code === 'string' ? ` (${code})` : ''}` };
  }
}

async function storeCheck(services: GatewayServices): Promise<Check> {
  try {
    const h = await within(services.stores.health(), READINESS_TIMEOUT_MS);
    return { ok: h.ok, ...(h.latencyMs !== undefined ? { latencyMs: Math.round(h.latencyMs) } : {}), ...(h.reason ? { detail: h.reason } : {}) };
  } catch {
    return { ok: false, detail: 'health check timed out' };
  }
}

const checkJson = (c: Check) => obj([['ok', c.ok], ['latency_ms', c.latencyMs], ['detail', c.detail]]);

export async function discoveryRoutes(app: FastifyInstance): Promise<void> {
  const services = app.gateway;
  const health = healthBody(services);
  const wellKnown = wellKnownBody(services, app.gatewayConfig.publicBaseUrl);
  for (const url of ['/health', '/healthz']) {
    app.get(url, async (_request, reply) => reply.type('application/json').send(health));
  }
  app.get('/.well-known/a1-configuration', async (_request, reply) => reply.type('application/json').send(wellKnown));
  app.get('/readyz', async (_request, reply) => {
    const [signer, store] = await Promise.all([signerCheck(services), storeCheck(services)]);
    const ready = signer.ok && store.ok;
    const body = obj([
      ['status', ready ? 'ready' : 'not_ready'],
      ['signer', checkJson(signer)],
      ['store', obj([['backend', services.stores.backend], ...checkJson(store)])],
    ]);
    return reply.code(ready ? 200 : 503).type('application/json').send(writeOut(body));
  });
}
