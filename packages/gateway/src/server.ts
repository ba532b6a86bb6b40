/**
 * The Fastify server: one plugin per route group, schemas beside the handlers, services attached
 * with `decorate`, one error handler mapping every failure to the contract's status and body.
 * Global behaviour follows §1: CORS, client IP and the per-IP limit, `X-A1-Protocol` on every
 * response, 2 MiB bodies, JSON content types only, 404/405 with empty bodies.
 */
import { readFileSync } from 'node:fs';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { Identity } from './auth.js';
import { isU64Json, parseBody } from './body-json.js';
import type { GatewayConfig } from './config.js';
import { BODY_LIMIT_BYTES, PROTOCOL_HEADER, PROTOCOL_VALUE, TEXT, type ErrorShape } from './contract.js';
import { ContractError, errorReply } from './errors.js';
import { obj, writeOut } from './json-out.js';
import { authorizeRoutes } from './routes/authorize.js';
import { certRoutes } from './routes/certs.js';
import { discoveryRoutes } from './routes/discovery.js';
import { tokenRoutes } from './routes/token.js';
import { passportRoutes } from './routes/passports.js';
import type { GatewayServices } from './services.js';

declare module 'fastify' {
  interface FastifyInstance {
    gateway: GatewayServices;
    gatewayConfig: GatewayConfig;
  }
  interface FastifyRequest {
    /** Whether the body was read by the lossless parser (numbers may be LosslessNumber). */
    bodyLossless: boolean;
    clientIp: string;
    identity: Identity | undefined;
  }
  interface FastifyContextConfig {
    errorShape?: ErrorShape;
  }
}

/** `application/json` or any `application/*+json`, parameters allowed (§1.1). */
const JSON_MEDIA_TYPE = /^application\/(?:[a-z0-9!#$&^_.-]+\+)?json\s*(?:;.*)?$/i;

export interface BuildOptions {
  /** A pino logger configuration or `false`; default: info level with redaction. */
  logger?: FastifyServerOptions['logger'];
}

/** Headers and paths pino must never print. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["proxy-authorization"]',
  'req.headers["idempotency-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.adminSecret',
  '*.macKey',
  '*.token',
  '*.secret',
];

/** Request lines carry the headers (redacted by REDACTED_LOG_PATHS), so operators see what clients send. */
export function requestForLog(request: { method: string; url: string; ip?: string; headers: Record<string, unknown> }) {
  return { method: request.method, url: request.url, remoteAddress: request.ip, headers: { ...request.headers } };
}

function clientIpOf(config: GatewayConfig, headers: Record<string, string | string[] | undefined>, peer: string): string | undefined {
  const first = (h: string | string[] | undefined) => (Array.isArray(h) ? h.join(',') : h);
  switch (config.trustedProxyMode) {
    case undefined:
      return peer;
    case 'x-forwarded-for': {
      const list = first(headers['x-forwarded-for']);
      const last = list?.split(',').pop()?.trim();
      return last || undefined;
    }
    case 'fly-client-ip':
      return first(headers['fly-client-ip'])?.trim() || undefined;
    case 'cf-connecting-ip':
      return first(headers['cf-connecting-ip'])?.trim() || undefined;
  }
}

export async function buildServer(config: GatewayConfig, services: GatewayServices, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel, redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' }, serializers: { req: requestForLog } },
    bodyLimit: BODY_LIMIT_BYTES,
    // A whole request must arrive within this; idle keep-alive sockets are governed by keepAliveTimeout alone.
    requestTimeout: config.requestTimeoutMs,
    // Longer than load balancers' idle timeouts (60 s on AWS ALB), so the server never closes a socket a client is reusing.
    keepAliveTimeout: 65_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    exposeHeadRoutes: true,
    ...(config.tls ? { https: { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) } } : {}),
    ajv: {
      // serde's rules: no coercion ("5" is not 5), no defaults filled in, unknown fields ignored.
      customOptions: { coerceTypes: false, useDefaults: false, removeAdditional: false, allErrors: false },
      plugins: [
        (ajv: { addKeyword(def: unknown): unknown }) =>
          ajv.addKeyword({ keyword: 'u64', schemaType: 'boolean', errors: false, validate: (_: boolean, data: unknown) => isU64Json(data) }),
      ],
    },
  } as FastifyServerOptions) as unknown as FastifyInstance;

  app.decorate('gateway', services);
  app.decorate('gatewayConfig', config);
  app.decorateRequest('bodyLossless', false);
  app.decorateRequest('clientIp', '');
  app.decorateRequest('identity', undefined);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'string', bodyLimit: BODY_LIMIT_BYTES }, (request, body, done) => {
    try {
      const parsed = parseBody(body as string);
      request.bodyLossless = parsed.lossless;
      done(null, parsed.value);
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  // Known paths and their methods, so a wrong method gets 405 rather than 404 (§1.1).
  const routes: Array<{ pattern: RegExp; methods: Set<string> }> = [];
  app.addHook('onRoute', (route) => {
    const pattern = new RegExp(`^${route.url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z_]+/g, '[^/]+')}$`);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let entry = routes.find((r) => r.pattern.source === pattern.source);
    if (!entry) routes.push((entry = { pattern, methods: new Set() }));
    for (const m of methods) entry.methods.add(m);
  });

  const cors = config.corsAllowedOrigin;
  app.addHook('onRequest', async (request, reply) => {
    // §1.2 order: CORS answers every OPTIONS, then the client IP and its rate limit.
    if (request.method === 'OPTIONS') {
      reply.header('access-control-allow-methods', cors === '*' ? (request.headers['access-control-request-method'] ?? '*') : 'GET,POST,DELETE');
      if (cors === '*') reply.header('access-control-allow-headers', request.headers['access-control-request-headers'] ?? '*');
      return reply.code(200).send();
    }
    const ip = clientIpOf(config, request.headers, request.ip);
    if (ip === undefined) throw ContractError.of(500, TEXT.proxyHeaderMissing);
    request.clientIp = ip;
    if (!services.ipLimiter.take(ip)) throw ContractError.of(429, TEXT.rateLimited);
  });

  app.addHook('preValidation', async (request) => {
    // An empty POST without a JSON content type skips the parsers; upstream answers 415.
    if (request.is404 || request.routeOptions.schema?.body === undefined) return;
    if (!JSON_MEDIA_TYPE.test(request.headers['content-type'] ?? '')) {
      throw ContractError.of(415, TEXT.unsupportedMediaType);
    }
  });

  // Shutdown drains: answers given while closing end their keep-alive connection, so close()
  // returns once the requests in flight are answered instead of waiting for idle sockets to time out.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header(PROTOCOL_HEADER, PROTOCOL_VALUE);
    if (closing) reply.header('connection', 'close');
    if (cors !== undefined) {
      const origin = request.headers.origin;
      if (cors === '*') reply.header('access-control-allow-origin', '*');
      else if (origin === cors) reply.header('access-control-allow-origin', cors);
      reply.header('vary', 'origin, access-control-request-method, access-control-request-headers');
    }
    return payload;
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const known = routes.some((r) => r.pattern.test(path));
    reply.code(known ? 405 : 404).send();
  });

  app.setErrorHandler((error, request, reply) => {
    const shape = request.routeOptions.config?.errorShape ?? 'plain';
    const answer = errorReply(error, shape);
    if (answer.unexpected) request.log.error({ err: error }, 'unexpected failure');
    else if (answer.statusCode >= 500) request.log.warn({ status: answer.statusCode, code: (error as { code?: string }).code }, 'request failed');
    reply.code(answer.statusCode).headers(answer.headers).type('application/json').send(answer.body);
  });

  await app.register(discoveryRoutes);
  await app.register(certRoutes);
  await app.register(authorizeRoutes);
  await app.register(tokenRoutes);
  if (config.passportsDirectory) await app.register(passportRoutes, { directory: config.passportsDirectory });
  return app;
}

/** A JSON body of `{"error": text}` (exported for routes that answer errors themselves). */
export function errorBody(text: string): string {
  return writeOut(obj([['error', text]]));
}
