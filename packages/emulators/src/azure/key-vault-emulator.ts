/**
 * A loopback Azure Key Vault over HTTPS: the bearer challenge, `GET /keys/NAME[/VERSION]`,
 * `POST /keys/NAME/VERSION/sign`, key versions, Key Vault's error bodies, and fault injection.
 * Signs for real with Ed25519 (`alg: "EdDSA"` over the raw message bytes).
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { generateKeyPairSync, randomBytes, randomUUID, sign as cryptoSign } from 'node:crypto';
import { CallCounter, FaultPlan, sleep, type Fault } from '../faults.js';
import { AzureKeyStore, type AzureKeyType, type CreateAzureKeyOptions, type CreatedAzureKey } from './key-store.js';
import {
  KeyVaultError,
  badParameter,
  forbidden,
  forbiddenByFirewall,
  forbiddenByPolicy,
  keyDisabled,
  keyExpired,
  keyNotYetValid,
  okpNotInApiVersion,
  keyNotFound,
  routeNotFound,
  serviceUnavailable,
  throttled,
} from './keyvault-error.js';
import { checkApiVersion, knowsOkp } from './api-versions.js';
import { isOkp, parseCreateRequest, parseUpdateRequest } from './key-requests.js';
import { generateCertificateAuthority, issueServerTls, type ServerTls } from '../tls.js';

export type AzurePermission = 'get' | 'sign' | 'create' | 'update';

/**
 * How a vault authorizes data-plane calls: Azure RBAC role assignments, or the older vault
 * access policies. Their 403s differ (inner codes ForbiddenByRbac / ForbiddenByPolicy) and so
 * does the cure, so the emulator answers each in its own words.
 */
export type AzurePermissionModel = 'rbac' | 'access-policy';

export interface AzureKeyVaultOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Bearer token the emulator accepts with every permission; random when omitted. */
  token?: string;
  /** Tenant named in the challenge's `authorization` URL. */
  tenantId?: string;
  /** Challenge resource: `https://vault.azure.net` (Key Vault) or `https://managedhsm.azure.net`. */
  resource?: string;
  /** Reuse a CA and server certificate (for example one CA for several emulators). */
  tls?: ServerTls;
  /** Vault URL written into key ids (`kid`); default the endpoint. Lets tests serve foreign key ids. */
  kidBaseUrl?: string;
}

/** The `AccessToken` shape of `@azure/core-auth`, so no Azure package is needed here. */
export interface AzureAccessToken {
  token: string;
  expiresOnTimestamp: number;
}

/** A `TokenCredential` (structurally) that hands out the emulator's token. */
export interface AzureTokenCredential {
  getToken(scopes: string | string[], options?: { tenantId?: string; claims?: string }): Promise<AzureAccessToken>;
}

export interface AzureTokenRequest {
  scopes: string[];
  tenantId: string | undefined;
}

/** One request as the emulator saw it, in arrival order. */
export interface AzureRequestRecord {
  operation: 'GetKey' | 'CreateKey' | 'UpdateKey' | 'Sign' | 'Challenge' | 'Unauthorized' | 'Unknown';
  /** The api-version the client sent. */
  apiVersion?: string;
  key?: string;
  version?: string;
  /** Status sent; undefined while pending or for a hung call. */
  status?: number;
}

export interface AzureKeyVaultEmulator {
  /** `https://127.0.0.1:PORT`, the vault URL clients use. */
  readonly endpoint: string;
  /** PEM of the CA that issued the server certificate. */
  readonly ca: string;
  /** The full-access bearer token. */
  readonly token: string;
  readonly tenantId: string;
  readonly resource: string;
  readonly calls: CallCounter;
  readonly faults: FaultPlan;
  /** Every request in arrival order (for order assertions). */
  readonly history: AzureRequestRecord[];
  /** Every token handed out by `credential()`, with the scope and tenant the SDK asked for. */
  readonly tokenRequests: AzureTokenRequest[];
  createKey(options: CreateAzureKeyOptions | string): CreatedAzureKey;
  rotateKey(name: string): CreatedAzureKey;
  setKeyEnabled(name: string, enabled: boolean, version?: string): void;
  /** Accept another token limited to these permissions (e.g. `['get']` to provoke 403 on sign). */
  grant(token: string, permissions: readonly AzurePermission[], options?: { model?: AzurePermissionModel }): void;
  /** Turn the vault firewall on (`deny`: every call answers 403 ForbiddenByFirewall) or off. */
  setNetworkAccess(access: 'allow' | 'deny'): void;
  /** A TokenCredential returning `token` (or another granted token). */
  credential(token?: string): AzureTokenCredential;
  describe(): AzureKeyVaultDescription;
  close(): Promise<void>;
}

export interface AzureKeyVaultDescription {
  backend: 'azure';
  endpoint: string;
  tenantId: string;
  resource: string;
  token: string;
  ca: string;
  keys: Array<{ name: string; version: string; kid: string; kty: AzureKeyType; crv?: string; publicKeyHex: string }>;
}

const MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_TENANT = '00000000-0000-0000-0000-0000000000a1';

export async function startAzureKeyVault(options: AzureKeyVaultOptions = {}): Promise<AzureKeyVaultEmulator> {
  const tls = options.tls ?? (await issueServerTls(await generateCertificateAuthority('a1 Azure Key Vault emulator CA')));
  const token = options.token ?? `a1-azure-test-${randomBytes(12).toString('hex')}`;
  const tenantId = options.tenantId ?? DEFAULT_TENANT;
  const resource = options.resource ?? 'https://vault.azure.net';
  const calls = new CallCounter();
  const faults = new FaultPlan();
  const history: AzureRequestRecord[] = [];
  const tokenRequests: AzureTokenRequest[] = [];
  interface Grant {
    permissions: ReadonlySet<AzurePermission>;
    model: AzurePermissionModel;
  }
  const grants = new Map<string, Grant>([[token, { permissions: new Set(['get', 'sign', 'create', 'update']), model: 'rbac' }]]);
  let networkAccess: 'allow' | 'deny' = 'allow';
  // A stray key for the wrong-key-signature fault: well-formed, valid Ed25519, not the vault's.
  const strayKey = generateKeyPairSync('ed25519').privateKey;
  let endpoint = '';
  const store = new AzureKeyStore(() => options.kidBaseUrl ?? endpoint);
  const sockets = new Set<Socket>();

  const challenge = `Bearer authorization="https://login.microsoftonline.com/${tenantId}", resource="${resource}"`;

  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    handle(req, res).catch((err: unknown) => {
      const failure = err instanceof KeyVaultError ? err : new KeyVaultError(500, 'InternalError', 'emulator error');
      send(res, failure.status, failure.body(), failure.headers);
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent || res.destroyed) return;
    const text = Buffer.from(JSON.stringify(body));
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(text.length),
      'x-ms-request-id': randomUUID(),
      'x-ms-keyvault-service-version': '1.9.0.0',
      ...headers,
    });
    res.end(text);
  }

  /** Headers promise the whole body; half is sent, then the connection drops. */
  function sendTruncated(res: ServerResponse, body: unknown): void {
    const text = Buffer.from(JSON.stringify(body));
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(text.length) });
    res.write(text.subarray(0, Math.floor(text.length / 2)), () => res.socket?.destroy());
  }

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw badParameter('The request body is too large.');
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  function bearerOf(req: IncomingMessage): string | undefined {
    const header = req.headers.authorization;
    const match = header ? /^Bearer (\S+)$/.exec(header) : null;
    return match?.[1];
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://emulator');
    const body = await readBody(req);
    const record: AzureRequestRecord = { operation: 'Unknown' };
    history.push(record);
    res.once('finish', () => (record.status = res.statusCode));

    const presented = bearerOf(req);
    if (presented === undefined || !grants.has(presented)) {
      // The first call of every client has no token: Key Vault answers with the challenge that
      // tells the SDK which tenant and resource to get a token for. A wrong token gets the same.
      record.operation = presented === undefined ? 'Challenge' : 'Unauthorized';
      calls.record(record.operation);
      const message = presented === undefined ? 'AKV10000: Request is missing a Bearer or PoP token.' : 'AKV10032: Invalid issuer or token.';
      send(res, 401, new KeyVaultError(401, 'Unauthorized', message).body(), { 'www-authenticate': challenge });
      return;
    }
    const grant = grants.get(presented)!;
    const demand = (permission: AzurePermission): void => {
      if (grant.permissions.has(permission)) return;
      throw grant.model === 'rbac' ? forbidden(permission) : forbiddenByPolicy(permission, 'a1-emulator');
    };
    // Network rules apply to every authenticated call, whatever the token may do.
    if (networkAccess === 'deny') throw forbiddenByFirewall(req.socket.remoteAddress ?? 'unknown');

    const apiVersion = url.searchParams.get('api-version');
    record.apiVersion = apiVersion ?? undefined;
    const versionError = checkApiVersion(apiVersion);
    if (versionError) throw versionError;
    const okp = knowsOkp(apiVersion!);
    const segments = url.pathname.split('/').slice(1);
    const [collection, name, version = '', action] = segments;
    if (collection !== 'keys' || !name || segments.length > 4) throw routeNotFound(req.method ?? '', url.pathname);

    record.key = name;
    if (req.method === 'POST' && version === 'create' && action === undefined) {
      record.operation = 'CreateKey';
      calls.record('CreateKey');
      const effect = await applyFaults('CreateKey', name, '', res);
      if (effect === 'answered') return;
      demand('create');
      const created = store.create(parseCreateRequest(name, body, okp, apiVersion!));
      const key = store.find(name, created.version)!;
      record.version = key.version;
      return send(res, 200, store.bundle(key));
    }
    record.version = version;
    if (req.method === 'GET' && action === undefined) {
      record.operation = 'GetKey';
      calls.record('GetKey');
      const effect = await applyFaults('GetKey', name, version, res);
      if (effect === 'answered') return;
      demand('get');
      const key = store.find(name, version);
      if (!key) throw keyNotFound(name, version);
      if (isOkp(key.kty) && !okp) throw okpNotInApiVersion(apiVersion!);
      return effect === 'truncate' ? sendTruncated(res, store.bundle(key)) : send(res, 200, store.bundle(key));
    }
    if (req.method === 'PATCH' && version !== '' && action === undefined) {
      record.operation = 'UpdateKey';
      calls.record('UpdateKey');
      const effect = await applyFaults('UpdateKey', name, version, res);
      if (effect === 'answered') return;
      demand('update');
      const key = store.find(name, version);
      if (!key) throw keyNotFound(name, version);
      if (isOkp(key.kty) && !okp) throw okpNotInApiVersion(apiVersion!);
      store.update(key, parseUpdateRequest(body));
      return send(res, 200, store.bundle(key));
    }
    if (req.method === 'POST' && action === 'sign') {
      record.operation = 'Sign';
      calls.record('Sign');
      const effect = await applyFaults('Sign', name, version, res);
      if (effect === 'answered') return;
      demand('sign');
      const key = store.find(name, version);
      if (!key) throw keyNotFound(name, version);
      const { alg, value } = parseSignRequest(body);
      if (alg === 'EdDSA' && !okp) throw okpNotInApiVersion(apiVersion!, 'algorithm EdDSA');
      // Key Vault's order: enabled, then the nbf/exp window, then the key's operations.
      if (!key.enabled) throw keyDisabled('sign');
      const nowSeconds = Math.floor(Date.now() / 1000);
      if (key.notBefore !== undefined && nowSeconds < key.notBefore) throw keyNotYetValid('sign');
      if (key.expires !== undefined && nowSeconds >= key.expires) throw keyExpired('sign');
      if (!key.keyOps.includes('sign')) throw new KeyVaultError(403, 'Forbidden', 'Operation sign is not permitted on this key.', {}, 'KeyOperationForbidden');
      if (key.crv !== 'Ed25519') {
        throw badParameter(`The emulator signs only with OKP Ed25519 keys (alg EdDSA); key type ${key.kty} cannot sign with ${alg} here.`);
      }
      if (alg !== 'EdDSA') throw badParameter(`Algorithm ${alg} is not valid for key type ${key.kty} (use EdDSA).`);
      let signature: Buffer = cryptoSign(null, value, key.privateKey);
      if (effect === 'garbage-signature') signature = randomBytes(64);
      if (effect === 'wrong-key-signature') signature = cryptoSign(null, value, strayKey);
      const answer = { kid: store.kidOf(key), value: signature.toString('base64url') };
      return effect === 'truncate' ? sendTruncated(res, answer) : send(res, 200, answer);
    }
    throw routeNotFound(req.method ?? '', url.pathname);
  }

  type FaultEffect = 'none' | 'answered' | 'truncate' | 'garbage-signature' | 'wrong-key-signature';

  /** Runs the faults queued for this call; tells the handler how to answer (if at all). */
  async function applyFaults(operation: string, name: string, version: string, res: ServerResponse): Promise<FaultEffect> {
    const key = store.find(name, version);
    const names = [name, ...(key ? [`${name}/${key.version}`, store.kidOf(key)] : [])];
    let effect: FaultEffect = 'none';
    for (const fault of faults.take(operation, names) as Fault[]) {
      switch (fault.kind) {
        case 'latency':
          await sleep(fault.ms);
          break;
        case 'throttle': {
          const failure = throttled(fault.retryAfterSeconds ?? 1);
          send(res, failure.status, failure.body(), failure.headers);
          return 'answered';
        }
        case 'unavailable': {
          const failure = serviceUnavailable();
          send(res, failure.status, failure.body());
          return 'answered';
        }
        case 'hang':
          // Never answer; close() destroys the socket.
          return 'answered';
        case 'truncated-body':
          effect = 'truncate';
          break;
        case 'garbage-signature':
        case 'wrong-key-signature':
          if (effect === 'none') effect = fault.kind;
          break;
        case 'corrupt-crc':
          // Key Vault answers carry no checksum; nothing to corrupt.
          break;
      }
    }
    return effect;
  }

  function parseSignRequest(body: Buffer): { alg: string; value: Buffer } {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badParameter('The request body is not valid JSON.');
    }
    const { alg, value } = (parsed ?? {}) as { alg?: unknown; value?: unknown };
    if (typeof alg !== 'string' || alg === '') throw badParameter('Property alg is required.');
    if (typeof value !== 'string' || !/^[A-Za-z0-9_-]*$/.test(value)) throw badParameter('Property value must be a base64url string.');
    return { alg, value: Buffer.from(value, 'base64url') };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('emulator did not get a TCP address');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  endpoint = `https://${host}:${address.port}`;

  return {
    endpoint,
    ca: tls.caCert,
    token,
    tenantId,
    resource,
    calls,
    faults,
    history,
    tokenRequests,
    createKey: (opts) => store.create(typeof opts === 'string' ? { name: opts } : opts),
    rotateKey: (name) => store.rotate(name),
    setKeyEnabled: (name, enabled, version) => store.setEnabled(name, enabled, version),
    grant(extraToken, permissions, options) {
      grants.set(extraToken, { permissions: new Set(permissions), model: options?.model ?? 'rbac' });
    },
    setNetworkAccess(access) {
      networkAccess = access;
    },
    credential(chosen = token) {
      return {
        async getToken(scopes, opts) {
          tokenRequests.push({ scopes: typeof scopes === 'string' ? [scopes] : [...scopes], tenantId: opts?.tenantId });
          return { token: chosen, expiresOnTimestamp: Date.now() + 60 * 60 * 1000 };
        },
      };
    },
    describe() {
      return {
        backend: 'azure',
        endpoint,
        tenantId,
        resource,
        token,
        ca: tls.caCert,
        keys: store.list().map((k) => ({
          name: k.name,
          version: k.version,
          kid: k.kid,
          kty: k.kty,
          ...(k.crv ? { crv: k.crv } : {}),
          publicKeyHex: Buffer.from(k.publicKey).toString('hex'),
        })),
      };
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
