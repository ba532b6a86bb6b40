/**
 * `startGcpKms()`: a loopback gRPC server speaking google.cloud.kms.v1.KeyManagementService
 * (AsymmetricSign, GetPublicKey, GetCryptoKeyVersion, and the management calls CreateKeyRing,
 * CreateCryptoKey, UpdateCryptoKeyVersion, DestroyCryptoKeyVersion, RestoreCryptoKeyVersion;
 * every other RPC answers UNIMPLEMENTED), holding real keys with version states, IAM-style access
 * checks, the shared fault plan and call counter.
 */
import { generateKeyPairSync } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { CallCounter, FaultPlan, type QuotaRule } from '../faults.js';
import { AccessPolicy } from './access.js';
import { asymmetricSign, getCryptoKeyVersion, getPublicKey } from './handlers.js';
import { GcpKeyStore, type GcpKmsKey, type GcpKmsKeySpec, type GcpKmsVersionState } from './key-store.js';
import { createCryptoKey, createKeyRing, destroyCryptoKeyVersion, restoreCryptoKeyVersion, updateCryptoKeyVersion } from './management.js';
import type { GcpKmsQuirks, HandlerContext } from './rpc.js';
import { keyManagementServiceDefinition } from './proto.js';

export interface GcpKmsEmulatorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1. */
  host?: string;
  /** Keys to create at start. */
  keys?: GcpKmsKeySpec[];
  /** Time-based quotas from the start (same as calling `faults.quota()` for each). */
  quotas?: QuotaRule[];
  /** How long a version made through CreateCryptoKey stays PENDING_GENERATION. Default 100 ms. */
  generationDelayMs?: number;
}

export interface GcpKmsEmulator {
  /** `http://HOST:PORT` (plaintext HTTP/2). */
  readonly endpoint: string;
  /** What the client's `apiEndpoint` option takes. */
  readonly host: string;
  /** What the client's `port` option takes. */
  readonly port: number;
  /** Calls per RPC: `AsymmetricSign`, `GetPublicKey`, `GetCryptoKeyVersion`. */
  readonly calls: CallCounter;
  /** Faults per RPC (operation names as in `calls`) and per key (version name, CryptoKey name or key id). */
  readonly faults: FaultPlan;
  /** Deliberate deviations from the real service, for client checks no fault covers. */
  readonly quirks: GcpKmsQuirks;
  /** Creates an ENABLED key version (a new CryptoKey, or the next version of an existing one). */
  createKey(spec?: GcpKmsKeySpec): GcpKmsKey;
  /** Puts a version in any state directly (PENDING_GENERATION, DISABLED, DESTROYED, …), as time or an operator would. */
  setVersionState(name: string, state: GcpKmsVersionState): void;
  /**
   * IAM and API enablement: `access.allowOnly([prefix…])` limits the credential to those resources
   * (others answer PERMISSION_DENIED "… (or it may not exist)"); `access.setApiEnabled(project, false)`
   * answers SERVICE_DISABLED for the project.
   */
  readonly access: AccessPolicy;
  keys(): GcpKmsKey[];
  /** Plain JSON for the command to print. */
  describe(): GcpKmsEmulatorDescription;
  /** Stops the server, cutting hung and in-flight calls. */
  close(): Promise<void>;
}

export interface GcpKmsEmulatorDescription {
  service: string;
  endpoint: string;
  apiEndpoint: string;
  port: number;
  auth: string;
  keys: { name: string; algorithm: string; protectionLevel: string; state: string; publicKeyPem: string }[];
  /** Variables that point `GcpKmsSigner.fromEnv()` at the first Ed25519 key, when there is one. */
  env?: Record<string, string>;
}

/** The A1_GCP_* variables for one key version on this emulator. */
function envFor(endpoint: string, key: GcpKmsKey | undefined): Record<string, string> | undefined {
  const parts = key?.name.split('/');
  if (!parts) return undefined;
  return {
    A1_GCP_KMS_ENDPOINT: endpoint,
    A1_GCP_PROJECT: parts[1]!,
    A1_GCP_LOCATION: parts[3]!,
    A1_GCP_KEY_RING: parts[5]!,
    A1_GCP_KEY: parts[7]!,
    A1_GCP_KEY_VERSION: parts[9]!,
  };
}

export async function startGcpKms(options: GcpKmsEmulatorOptions = {}): Promise<GcpKmsEmulator> {
  const host = options.host ?? '127.0.0.1';
  const store = new GcpKeyStore();
  const calls = new CallCounter();
  const faults = new FaultPlan();
  for (const quota of options.quotas ?? []) faults.quota(quota);
  const quirks: GcpKmsQuirks = { ignoreDataCrc32c: false, answerName: undefined, retryInfoOnThrottle: false, answerPem: undefined };
  const timers = new Set<NodeJS.Timeout>();
  const impostor = generateKeyPairSync('ed25519');
  const access = new AccessPolicy();

  const ctx: HandlerContext = {
    store,
    faults,
    calls,
    quirks,
    impostor: {
      privateKey: impostor.privateKey,
      publicKeyPem: impostor.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    },
    delay: (ms: number) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, ms);
        timers.add(timer);
      }),
    hung: new Set(),
    access,
    generationDelayMs: options.generationDelayMs ?? 100,
  };

  const server = new grpc.Server();
  server.addService(keyManagementServiceDefinition(), {
    AsymmetricSign: asymmetricSign(ctx),
    GetPublicKey: getPublicKey(ctx),
    GetCryptoKeyVersion: getCryptoKeyVersion(ctx),
    CreateKeyRing: createKeyRing(ctx),
    CreateCryptoKey: createCryptoKey(ctx),
    UpdateCryptoKeyVersion: updateCryptoKeyVersion(ctx),
    DestroyCryptoKeyVersion: destroyCryptoKeyVersion(ctx),
    RestoreCryptoKeyVersion: restoreCryptoKeyVersion(ctx),
  } as grpc.UntypedServiceImplementation);

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${options.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, bound) =>
      err ? reject(err) : resolve(bound),
    );
  });
  for (const spec of options.keys ?? []) store.create(spec);

  const endpoint = `http://${host}:${port}`;
  let closed = false;

  return {
    endpoint,
    host,
    port,
    calls,
    faults,
    quirks,
    createKey: (spec) => store.create(spec),
    setVersionState: (name, state) => {
      store.setState(name, state);
    },
    access,
    keys: () => store.list(),
    describe: () => ({
      service: 'google.cloud.kms.v1.KeyManagementService',
      endpoint,
      apiEndpoint: host,
      port,
      auth: 'none: plaintext gRPC on loopback; use insecure channel credentials and any authClient (e.g. PassThroughClient)',
      keys: store.list().map((k) => ({
        name: k.name,
        algorithm: k.algorithm,
        protectionLevel: k.protectionLevel,
        state: k.state,
        publicKeyPem: k.publicKeyPem,
      })),
      env: envFor(endpoint, store.list().find((k) => k.algorithm === 'EC_SIGN_ED25519')),
    }),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      ctx.hung.clear();
      // forceShutdown cancels in-flight and hung calls, so clients see CANCELLED/UNAVAILABLE, not a hang.
      server.forceShutdown();
    },
  };
}
