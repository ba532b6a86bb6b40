/**
 * `startAwsKms()`: a loopback AWS KMS endpoint speaking AWS JSON 1.1 (`X-Amz-Target:
 * TrentService.<Op>`), checking SigV4 for real, signing with real Ed25519 keys, and applying the
 * shared fault plan per operation and key.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CallCounter, FaultPlan, sleep, type Fault, type QuotaRule } from '../faults.js';
import {
  AwsKeyStore,
  describeCreatedKey,
  type AwsKeyState,
  type CreateAwsKeyOptions,
  type CreatedAwsKey,
} from './key-store.js';
import { GrantBook } from './grants.js';
import { KmsServiceError } from './kms-error.js';
import { OPERATIONS } from './operations.js';
import { verifySigV4, type AwsCredential } from './sigv4.js';

export interface AwsKmsEmulatorOptions {
  /** Default 0 (a free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Identities whose SigV4 signatures are accepted. Default: one test identity. */
  credentials?: AwsCredential[];
  /** Region in the credential scope and in ARNs. Default `us-east-1`. */
  region?: string;
  /** Account id in ARNs. Default `111122223333`. */
  accountId?: string;
  /** Keys to create at start. */
  keys?: CreateAwsKeyOptions[];
  /** Time-based quotas from the start (same as calling `faults.quota()` for each). */
  quotas?: QuotaRule[];
  /**
   * How long a new grant takes to work without its grant token (KMS: "up to five minutes").
   * Default 30 000 ms.
   */
  grantPropagationMs?: number;
}

export interface AwsKmsEmulator {
  /** `http://127.0.0.1:PORT`, for the SDK's `endpoint` option. */
  endpoint: string;
  region: string;
  accountId: string;
  credentials: AwsCredential[];
  /** The keys created at start, in order. */
  keys: CreatedAwsKey[];
  calls: CallCounter;
  faults: FaultPlan;
  createKey(options?: CreateAwsKeyOptions): CreatedAwsKey;
  createAlias(aliasName: string, targetKeyId: string): void;
  updateAlias(aliasName: string, targetKeyId: string): void;
  setKeyState(keyId: string, state: AwsKeyState): void;
  /** `{ endpoint, region, credentials }` of the first identity, ready for `new KMSClient(...)`. */
  clientConfig(): { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } };
  describe(): AwsKmsEmulatorDescription;
  close(): Promise<void>;
}

export interface AwsKmsEmulatorDescription {
  service: 'aws-kms';
  endpoint: string;
  region: string;
  accountId: string;
  credentials: { accessKeyId: string; secretAccessKey: string }[];
  keys: {
    keyId: string;
    arn: string;
    aliases: string[];
    keySpec: string;
    keyUsage: string;
    state: string;
    publicKeyHex: string;
  }[];
  /** Environment for `AwsKmsSigner.fromEnv()` and the aws CLI, pointing at this emulator. */
  env: Record<string, string>;
}

/** Test values, not secrets: the emulator accepts only what it was configured with. */
export const DEFAULT_AWS_EMULATOR_CREDENTIAL: AwsCredential = {
  accessKeyId: 'AKIAA1EMULATOR000001',
  secretAccessKey: 'a1-emulator-test-secret-not-for-production',
};

const MAX_BODY_BYTES = 1024 * 1024;
const TARGET_PREFIX = 'TrentService.';

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new KmsServiceError('RequestEntityTooLargeException', `Request body exceeds ${MAX_BODY_BYTES} bytes`, 413));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, truncate: boolean): void {
  if (res.destroyed || res.writableEnded) return;
  const bytes = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': String(bytes.length),
    'x-amzn-requestid': randomUUID(),
  });
  if (!truncate) {
    res.end(bytes);
    return;
  }
  // Promise the whole body, deliver half, then drop the connection.
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
}

export async function startAwsKms(options: AwsKmsEmulatorOptions = {}): Promise<AwsKmsEmulator> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '111122223333';
  const credentialList = options.credentials ?? [DEFAULT_AWS_EMULATOR_CREDENTIAL];
  const credentials = new Map(credentialList.map((c) => [c.accessKeyId, c]));
  const store = new AwsKeyStore(region, accountId);
  const calls = new CallCounter();
  const faults = new FaultPlan();
  for (const quota of options.quotas ?? []) faults.quota(quota);
  const strangerKey = generateKeyPairSync('ed25519').privateKey;
  const grants = new GrantBook(() => options.grantPropagationMs ?? 30_000);
  const sockets = new Set<Socket>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let truncate = false;
    try {
      const target = req.headers['x-amz-target'];
      const operationName =
        typeof target === 'string' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
      const operation = operationName !== undefined ? OPERATIONS[operationName] : undefined;
      calls.record(operationName ?? 'Unknown');
      const body = await readBody(req);
      if (req.method !== 'POST' || !operationName || !operation) {
        throw new KmsServiceError('UnknownOperationException', 'Unknown operation');
      }
      const caller = await verifySigV4(
        { method: req.method, url: req.url ?? '/', headers: req.headers, body },
        credentials,
        { region, service: 'kms' },
      );
      const contentType = req.headers['content-type'] ?? '';
      if (!/^application\/x-amz-json-1\.[01]\b/.test(contentType)) {
        throw new KmsServiceError('SerializationException', 'Content-Type must be application/x-amz-json-1.1');
      }
      let input: unknown;
      try {
        input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
      } catch {
        throw new KmsServiceError('SerializationException', 'Request body is not valid JSON');
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new KmsServiceError('SerializationException', 'Request body must be a JSON object');
      }
      const requestBody = input as Record<string, unknown>;

      const keyName = operation.keyField?.(requestBody);
      const keyNames = keyName === undefined ? [] : namesFor(keyName);
      const hits = faults.take(operationName, keyNames);
      truncate = hits.some((f) => f.kind === 'truncated-body');
      await applyDeliveryFaults(hits, res);
      if (res.destroyed) return;

      const output = operation.run({ store, grants, caller, faults: hits, strangerKey }, requestBody);
      send(res, 200, JSON.stringify(output), truncate);
    } catch (err) {
      const error =
        err instanceof KmsServiceError ? err : new KmsServiceError('KMSInternalException', 'An internal error occurred', 500);
      send(res, error.status, error.body(), truncate);
    }
  }

  /** Every name a fault rule may use for the addressed key, plus the name as sent. */
  function namesFor(keyName: string): string[] {
    try {
      return [keyName, ...store.namesOf(store.resolve(keyName))];
    } catch {
      return [keyName];
    }
  }

  /** Faults that change whether and when an answer comes, rather than what it says. */
  async function applyDeliveryFaults(hits: Fault[], res: ServerResponse): Promise<void> {
    for (const fault of hits) {
      if (fault.kind === 'latency') await sleep(fault.ms);
      else if (fault.kind === 'throttle') {
        // KMS sends no Retry-After (retryAfterSeconds is ignored here): clients back off on their own.
        // Wording and status as the service answers: https://repost.aws/knowledge-center/kms-throttlingexception-error
        throw new KmsServiceError(
          'ThrottlingException',
          'You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.',
        );
      } else if (fault.kind === 'limit-exceeded') {
        // A resource quota (keys, aliases, grants per key…), 400 in the KMS model; not a rate.
        throw new KmsServiceError('LimitExceededException', 'The request was rejected because a quota was exceeded.');
      } else if (fault.kind === 'unavailable') {
        throw new KmsServiceError('KMSInternalException', 'The service is temporarily unavailable.', 500);
      } else if (fault.kind === 'hang') {
        // Never answer; close() or the client's timeout ends the socket.
        await new Promise<void>((resolve) => res.once('close', resolve));
      }
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const endpoint = `http://${hostForUrl}:${address.port}`;
  const created = (options.keys ?? []).map((k) => describeCreatedKey(store, store.create(k)));

  return {
    endpoint,
    region,
    accountId,
    credentials: credentialList,
    keys: created,
    calls,
    faults,
    createKey: (keyOptions) => describeCreatedKey(store, store.create(keyOptions)),
    createAlias: (aliasName, targetKeyId) => {
      store.createAlias(aliasName, targetKeyId);
    },
    updateAlias: (aliasName, targetKeyId) => store.updateAlias(aliasName, targetKeyId),
    setKeyState: (keyId, state) => {
      store.setState(keyId, state);
    },
    clientConfig: () => {
      const first = credentialList[0] ?? DEFAULT_AWS_EMULATOR_CREDENTIAL;
      return {
        endpoint,
        region,
        credentials: {
          accessKeyId: first.accessKeyId,
          secretAccessKey: first.secretAccessKey,
          ...(first.sessionToken !== undefined ? { sessionToken: first.sessionToken } : {}),
        },
      };
    },
    describe: () => {
      const keys = store.all().map((k) => ({
        keyId: k.keyId,
        arn: k.arn,
        aliases: store.aliasesOf(k),
        keySpec: k.keySpec,
        keyUsage: k.keyUsage,
        state: k.state,
        publicKeyHex: k.publicKeyRaw.toString('hex'),
      }));
      const first = credentialList[0];
      const firstKey = keys[0];
      return {
        service: 'aws-kms',
        endpoint,
        region,
        accountId,
        credentials: credentialList.map((c) => ({ accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey })),
        keys,
        env: {
          AWS_ENDPOINT_URL_KMS: endpoint,
          AWS_REGION: region,
          ...(first ? { AWS_ACCESS_KEY_ID: first.accessKeyId, AWS_SECRET_ACCESS_KEY: first.secretAccessKey } : {}),
          ...(first?.sessionToken !== undefined ? { AWS_SESSION_TOKEN: first.sessionToken } : {}),
          ...(firstKey ? { A1_KMS_KEY_ID: firstKey.aliases[0] ?? firstKey.arn } : {}),
        },
      };
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
