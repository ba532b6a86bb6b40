/**
 * The signing service the client talks to: a tiny HTTP server holding Ed25519 keys (node:crypto)
 * behind a bearer token. In production this is your remote signer (an HSM front end, a signing
 * microservice); here it is also the test double, with fault injection and call counters, so the
 * client is tested over a real socket with real signatures — never by stubbing `fetch`.
 *
 *   GET  /v1/keys/:name       -> { name, type: "ed25519" | "ecdsa-p256", publicKey: hex }
 *   POST /v1/keys/:name/sign  { message: hex } -> { signature: hex }
 *   errors                    -> { error: "reason" } with 400, 401, 404, 429, 503
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type KeyType = 'ed25519' | 'ecdsa-p256';

/** What the next sign (or key read) answers instead of the right thing. */
export type ServerFault = 'throttle' | 'unavailable' | 'garbage-signature' | 'wrong-key-signature' | 'truncated-signature' | 'hang';

export interface KeyServerOptions {
  /** The bearer token every request must carry. */
  token: string;
  port?: number;
  host?: string;
}

export interface KeyServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Requests answered per operation, faults included. */
  readonly calls: { getKey: number; sign: number };
  /** Adds a key; returns its raw public key (32 bytes for ed25519, SPKI DER for p256). */
  createKey(name: string, type?: KeyType): Uint8Array;
  readonly faults: {
    /** The next `times` requests of `operation` (default sign) answer `fault`. */
    inject(fault: ServerFault, options?: { operation?: 'getKey' | 'sign'; times?: number }): void;
    clear(): void;
  };
  close(): Promise<void>;
}

interface Key {
  type: KeyType;
  privateKey: KeyObject;
  publicKey: Uint8Array;
}

const MAX_BODY_BYTES = 64 * 1024;

export async function startKeyServer(options: KeyServerOptions): Promise<KeyServer> {
  const keys = new Map<string, Key>();
  const calls = { getKey: 0, sign: 0 };
  let pending: { fault: ServerFault; operation: 'getKey' | 'sign'; times: number }[] = [];
  const stranger = generateKeyPairSync('ed25519').privateKey; // signs "wrong-key" answers

  const takeFault = (operation: 'getKey' | 'sign'): ServerFault | undefined => {
    const rule = pending.find((r) => r.operation === operation && r.times > 0);
    if (!rule) return undefined;
    rule.times -= 1;
    return rule.fault;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    const match = /^\/v1\/keys\/([^/]+)(\/sign)?$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    const operation = match?.[2] ? 'sign' : 'getKey';
    if (!match || (operation === 'sign' ? req.method !== 'POST' : req.method !== 'GET')) return send(404, { error: 'no such route' });
    if (req.headers.authorization !== `Bearer ${options.token}`) return send(401, { error: 'invalid or missing token' });
    calls[operation] += 1;
    const key = keys.get(decodeURIComponent(match[1]!));
    if (!key) return send(404, { error: 'key not found' });

    const fault = takeFault(operation);
    if (fault === 'hang') return; // never answers; close() cuts the connection
    if (fault === 'throttle') return send(429, { error: 'rate exceeded' }, { 'retry-after': '1' });
    if (fault === 'unavailable') return send(503, { error: 'service unavailable' });

    if (operation === 'getKey') return send(200, { name: match[1], type: key.type, publicKey: hex(key.publicKey) });

    const message = await readMessage(req);
    if (!message) return send(400, { error: 'body must be {"message": hex} of 1..4096 bytes' });
    if (key.type !== 'ed25519') return send(400, { error: `key type ${key.type} cannot sign with ed25519` });
    let signature: Uint8Array = sign(null, message, fault === 'wrong-key-signature' ? stranger : key.privateKey);
    if (fault === 'garbage-signature') signature = new Uint8Array(randomBytes(64));
    if (fault === 'truncated-signature') signature = signature.subarray(0, 32);
    send(200, { signature: hex(signature) });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal error"}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { address, port } = server.address() as AddressInfo;

  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    calls,
    createKey(name, type = 'ed25519') {
      const pair = type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const spki = pair.publicKey.export({ type: 'spki', format: 'der' });
      // An Ed25519 SPKI is 12 bytes of header then the raw 32-byte key.
      const publicKey = new Uint8Array(type === 'ed25519' ? spki.subarray(12) : spki);
      keys.set(name, { type, privateKey: pair.privateKey, publicKey });
      return publicKey;
    },
    faults: {
      inject(fault, { operation = 'sign', times = 1 } = {}) {
        pending.push({ fault, operation, times });
      },
      clear() {
        pending = [];
      },
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function readMessage(req: IncomingMessage): Promise<Uint8Array | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    const { message } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { message?: unknown };
    if (typeof message !== 'string' || !/^(?:[0-9a-f]{2}){1,4096}$/i.test(message)) return undefined;
    return new Uint8Array(Buffer.from(message, 'hex'));
  } catch {
    return undefined;
  }
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
