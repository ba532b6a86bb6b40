/**
 * A loopback Vault that speaks the parts of the HTTP API a Transit signer uses: token and
 * AppRole auth, namespaces, transit mounts at any path, key read/create/rotate, sign, and
 * Vault's `{"errors":[...]}` failures. Real Ed25519 keys sign every answer.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { CallCounter, FaultPlan, sleep } from '../faults.js';
import { VaultHttpError } from './http-error.js';
import { headerValue, readJsonBody, sendJson } from './http-io.js';
import { TransitMounts, type KeyLocation } from './mounts.js';
import { routeRequest, type Caller, type VaultQuirks } from './routes.js';
import { issueServerTls, type ServerTls } from '../tls.js';
import { TokenStore, normalizeNamespace, type AppRole, type AppRoleOptions, type JwtRoleOptions, type TokenOptions } from './tokens.js';
import { TransitKey, type TransitKeyOptions, type TransitKeyType } from './transit-key.js';

export type { KeyLocation } from './mounts.js';
export type { VaultQuirks } from './routes.js';

export interface VaultTransitEmulatorOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Serve HTTPS: `true` generates a CA and a loopback certificate; or pass your own. */
  tls?: boolean | ServerTls;
  /** Token that reaches every namespace and never expires; random when omitted. */
  rootToken?: string;
  /** Clock for token expiry (epoch ms). */
  now?: () => number;
  /**
   * Vault's `sys/quotas/config` `enable_rate_limit_response_headers`: whether a 429 carries
   * Retry-After (and X-Ratelimit-*). Off by default, as in Vault; `POST sys/quotas/config` sets it.
   */
  rateLimitResponseHeaders?: boolean;
}

export interface CreateTransitKeyOptions extends KeyLocation, TransitKeyOptions {
  name: string;
  /** `ed25519` unless set. */
  type?: TransitKeyType;
}

export interface CreatedTransitKey {
  name: string;
  mount: string;
  namespace: string;
  type: TransitKeyType;
  latestVersion: number;
  /** Raw 32-byte public key of the latest version (ed25519 keys only). */
  publicKey: Uint8Array | undefined;
}

/** An HTTP failure beyond the FaultPlan kinds, e.g. a 500 with Vault's error body. */
export interface StatusFault {
  status: number;
  errors?: string[];
  operation?: string;
  times?: number;
}

export interface VaultTransitEmulator {
  readonly endpoint: string;
  /** PEM of the CA that signed the server certificate (HTTPS only). */
  readonly caCert: string | undefined;
  readonly rootToken: string;
  readonly calls: CallCounter;
  readonly faults: FaultPlan;
  readonly tokens: TokenStore;
  readonly quirks: VaultQuirks;
  createKey(options: CreateTransitKeyOptions): CreatedTransitKey;
  /** Rotates a key as `POST /v1/<mount>/keys/<name>/rotate` would; returns the new version. */
  rotateKey(name: string, where?: KeyLocation): number;
  getKey(name: string, where?: KeyLocation): TransitKey | undefined;
  /** Mounts the transit engine at `mount` in `namespace` (keys created there mount it too). */
  enableTransit(mount: string, namespace?: string): void;
  createToken(options?: TokenOptions): string;
  addAppRole(options?: AppRoleOptions): AppRole;
  /** A Kubernetes auth role (`auth/<mount>/login` with `role` + the service-account `jwt`). */
  addKubernetesRole(options: JwtRoleOptions): void;
  /** A JWT/OIDC auth role (`auth/<mount>/login` with `role` + `jwt`). */
  addJwtRole(options: JwtRoleOptions): void;
  injectStatus(fault: StatusFault): void;
  describe(): Record<string, unknown>;
  close(): Promise<void>;
}

export async function startVaultTransit(options: VaultTransitEmulatorOptions = {}): Promise<VaultTransitEmulator> {
  const host = options.host ?? '127.0.0.1';
  const calls = new CallCounter();
  const faults = new FaultPlan();
  const tokens = new TokenStore(options.now);
  const rootToken = tokens.create({ token: options.rootToken ?? `hvs.${randomBytes(18).toString('base64url')}`, policies: ['root'] });
  const quirks: VaultQuirks = { ignoreKeyVersion: false };
  const statusFaults: Array<StatusFault & { remaining: number }> = [];
  const mounts = new TransitMounts();
  mounts.enable('transit');
  const quotaConfig = { enableRateLimitResponseHeaders: options.rateLimitResponseHeaders ?? false };
  const context = { mounts, tokens, quirks, quotaConfig, strayKey: generateKeyPairSync('ed25519').privateKey };
  const tls = options.tls === true ? await issueServerTls() : options.tls || undefined;

  function createKey(opts: CreateTransitKeyOptions): CreatedTransitKey {
    const mount = opts.mount ?? 'transit';
    const namespace = normalizeNamespace(opts.namespace);
    const keys = mounts.enable(mount, namespace);
    const key = keys.get(opts.name) ?? new TransitKey(opts.name, opts.type ?? 'ed25519', { derived: opts.derived, exportable: opts.exportable });
    keys.set(opts.name, key);
    return { name: key.name, mount, namespace, type: key.type, latestVersion: key.latestVersion, publicKey: key.ed25519PublicKey() };
  }

  function takeStatusFault(operation: string): StatusFault | undefined {
    const hit = statusFaults.find((f) => f.remaining > 0 && (f.operation === undefined || f.operation === operation));
    if (hit) hit.remaining -= 1;
    return hit;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://vault.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    if (!url.pathname.startsWith('/v1/')) throw new VaultHttpError(404, []);
    const path = decodeURIComponent(url.pathname.slice(4)).replace(/\/+$/, '');
    const body = await readJsonBody(req);
    const route = routeRequest(context, method, path, url.searchParams, headerValue(req, 'x-vault-namespace') ?? '');
    calls.record(route.operation);

    const keyNames = route.keyName
      ? [route.keyName, `${route.mount}/${route.keyName}`, `${route.namespace ? `${route.namespace}/` : ''}${route.mount}/${route.keyName}`]
      : [];
    const hits = faults.take(route.operation, keyNames);
    for (const fault of hits) if (fault.kind === 'latency') await sleep(fault.ms);
    if (hits.some((f) => f.kind === 'hang')) return; // the socket stays open until the client or close() ends it
    const throttle = hits.find((f) => f.kind === 'throttle');
    if (throttle?.kind === 'throttle') {
      // Vault's rate-limit quota answer (vault/quotas/quotas_rate_limit.go); the headers only when enabled.
      const retryAfter = String(throttle.retryAfterSeconds ?? 1);
      throw new VaultHttpError(
        429,
        [`request path "${path}": rate limit quota exceeded`],
        quotaConfig.enableRateLimitResponseHeaders ? { 'retry-after': retryAfter, 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': retryAfter } : {},
      );
    }
    if (hits.some((f) => f.kind === 'unavailable')) throw new VaultHttpError(503, ['Vault is sealed']);
    const statusFault = takeStatusFault(route.operation);
    if (statusFault) throw new VaultHttpError(statusFault.status, statusFault.errors ?? ['internal error']);

    let caller: Caller | undefined;
    if (route.authenticated) {
      const token = headerValue(req, 'x-vault-token');
      try {
        caller = { token: token!, info: tokens.check(token, route.namespace) };
      } catch (e) {
        calls.record('PermissionDenied');
        throw e;
      }
    }
    const answer = route.run(body, hits, caller);
    const text = JSON.stringify(answer.body);
    if (hits.some((f) => f.kind === 'truncated-body')) {
      res.writeHead(answer.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text) + 64) });
      res.write(text.slice(0, Math.floor(text.length / 2)));
      res.socket?.destroy();
      return;
    }
    if (answer.status === 204) {
      res.writeHead(204);
      res.end();
      return;
    }
    sendJson(res, answer.status, text);
  }

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent || res.destroyed) return;
      if (e instanceof VaultHttpError) sendJson(res, e.status, JSON.stringify({ errors: e.errors }), e.headers);
      else sendJson(res, 500, JSON.stringify({ errors: ['internal error'] }));
    });
  };

  const server: Server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createHttpServer(listener);
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  server.on('connection', track);
  server.on('secureConnection', track);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `${tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    endpoint,
    caCert: tls?.caCert,
    rootToken,
    calls,
    faults,
    tokens,
    quirks,
    createKey,
    rotateKey(name, where = {}) {
      const key = mounts.find(name, where);
      if (!key) throw new Error(`no transit key ${where.mount ?? 'transit'}/keys/${name}`);
      return key.rotate();
    },
    getKey: (name, where) => mounts.find(name, where),
    enableTransit(mount, namespace) {
      mounts.enable(mount, namespace);
    },
    createToken: (opts) => tokens.create(opts),
    addAppRole: (opts) => tokens.addAppRole(opts),
    addKubernetesRole: (opts) => tokens.addJwtRole('kubernetes', opts),
    addJwtRole: (opts) => tokens.addJwtRole('jwt', opts),
    injectStatus(fault) {
      statusFaults.push({ ...fault, remaining: fault.times ?? Number.POSITIVE_INFINITY });
    },
    describe() {
      const keys = [...mounts.entries()].map(({ namespace, mount, key }) => {
        const pk = key.ed25519PublicKey();
        return {
          namespace: namespace || undefined,
          mount,
          name: key.name,
          type: key.type,
          latestVersion: key.latestVersion,
          publicKeyBase64: pk ? Buffer.from(pk).toString('base64') : undefined,
        };
      });
      return { endpoint, rootToken, caCert: tls?.caCert, keys, appRoles: tokens.appRoles.map((r) => ({ ...r, namespace: r.namespace || undefined })) };
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
