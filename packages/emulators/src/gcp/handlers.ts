/**
 * The three Cloud KMS RPCs the emulator answers, with the real service's validation
 * (NOT_FOUND for unknown versions, INVALID_ARGUMENT for a digest on an Ed25519 key or a
 * data_crc32c that does not match) and the shared fault plan applied before each answer.
 */
import { randomBytes, sign as cryptoSign, type KeyObject } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { crc32c } from '@node-rs/crc32';
import type { CallCounter, Fault, FaultPlan } from '../faults.js';
import { richStatusError, type ErrorDetail } from './status-details.js';
import { isCryptoKeyVersionName, keyNamesOf, type GcpKeyStore, type StoredKeyVersion } from './key-store.js';

/** Int64Value as the loader decodes it (int64 as a decimal string). */
interface Int64Value {
  value: string | number;
}

interface AsymmetricSignRequest {
  name: string;
  digest: { sha256?: Buffer; sha384?: Buffer; sha512?: Buffer } | null;
  digestCrc32c: Int64Value | null;
  data: Buffer;
  dataCrc32c: Int64Value | null;
}

interface NameRequest {
  name: string;
}

/** Deviations from the real service that tests switch on to exercise a client's checks. */
export interface GcpKmsQuirks {
  /** Answer `verifiedDataCrc32c: false` as a server that ignored the checksum would. */
  ignoreDataCrc32c: boolean;
  /** Answer this resource name instead of the one requested. */
  answerName: string | undefined;
  /** Add a google.rpc.RetryInfo (the time left in the quota window) to RESOURCE_EXHAUSTED answers. */
  retryInfoOnThrottle: boolean;
}

export interface HandlerContext {
  store: GcpKeyStore;
  faults: FaultPlan;
  calls: CallCounter;
  quirks: GcpKmsQuirks;
  /** A key no client knows, for the wrong-key-signature fault. */
  impostor: { privateKey: KeyObject; publicKeyPem: string };
  /** Sleeps that close() cuts short. */
  delay(ms: number): Promise<void>;
  /** Callbacks of calls the hang fault left unanswered. */
  hung: Set<unknown>;
}

/** The real service caps AsymmetricSign data at 64 KiB. */
const MAX_DATA_BYTES = 64 * 1024;

type Unary<Req> = (call: grpc.ServerUnaryCall<Req, unknown>, callback: grpc.sendUnaryData<unknown>) => void;

function statusError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

function int64(n: number): Int64Value {
  return { value: String(n) };
}

function sameChecksum(given: Int64Value, actual: number): boolean {
  try {
    return BigInt(given.value) === BigInt(actual);
  } catch {
    return false;
  }
}

/** Which per-minute quota an RPC draws on (Cloud KMS meters cryptographic, read and write requests apart). */
function quotaOf(operation: string): { metric: string; limit: string; id: string } {
  if (operation === 'AsymmetricSign') return { metric: 'Cryptographic requests', limit: 'Cryptographic requests per minute', id: 'crypto_requests' };
  if (operation.startsWith('Get') || operation.startsWith('List')) return { metric: 'Read requests', limit: 'Read requests per minute', id: 'read_requests' };
  return { metric: 'Write requests', limit: 'Write requests per minute', id: 'write_requests' };
}

/**
 * RESOURCE_EXHAUSTED the way Google's quota system answers it: the message text Cloud KMS clients
 * see ("Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute' of
 * service 'cloudkms.googleapis.com' for consumer 'project_number:…'", e.g.
 * https://github.com/googleapis/google-cloud-ruby/issues/6638), with a google.rpc.ErrorInfo of reason
 * RATE_LIMIT_EXCEEDED (google/rpc/error_reason.proto). Cloud KMS documents no RetryInfo on quota
 * errors, so one is sent only when `quirks.retryInfoOnThrottle` asks for it (clients must cope with both).
 */
function quotaExceeded(ctx: HandlerContext, operation: string, names: string[], retryAfterSeconds: number | undefined): grpc.ServiceError {
  const quota = quotaOf(operation);
  const project = /^projects\/([^/]+)\//.exec(names[0] ?? '')?.[1] ?? 'a1-emulator';
  const consumer = `projects/${project}`;
  const message = `Quota exceeded for quota metric '${quota.metric}' and limit '${quota.limit}' of service 'cloudkms.googleapis.com' for consumer '${consumer}'.`;
  const details: ErrorDetail[] = [
    {
      type: 'ErrorInfo',
      reason: 'RATE_LIMIT_EXCEEDED',
      domain: 'googleapis.com',
      metadata: { consumer, service: 'cloudkms.googleapis.com', quota_metric: `cloudkms.googleapis.com/${quota.id}`, quota_limit: quota.limit },
    },
    { type: 'Help', links: [{ description: 'Cloud KMS quotas', url: 'https://cloud.google.com/kms/quotas' }] },
  ];
  if (ctx.quirks.retryInfoOnThrottle) details.push({ type: 'RetryInfo', retryDelaySeconds: retryAfterSeconds ?? 1 });
  return richStatusError(grpc.status.RESOURCE_EXHAUSTED, message, details);
}

/** What the faults left to do: answer (perhaps altered), fail with a status, or never answer. */
type FaultOutcome = { kind: 'answer'; alter: Fault['kind'] | undefined } | { kind: 'fail'; error: grpc.ServiceError } | { kind: 'hang' };

async function applyFaults(ctx: HandlerContext, operation: string, names: string[]): Promise<FaultOutcome> {
  let alter: Fault['kind'] | undefined;
  for (const fault of ctx.faults.take(operation, names)) {
    switch (fault.kind) {
      case 'latency':
        await ctx.delay(fault.ms);
        break;
      case 'throttle':
        return { kind: 'fail', error: quotaExceeded(ctx, operation, names, fault.retryAfterSeconds) };
      case 'unavailable':
        return { kind: 'fail', error: statusError(grpc.status.UNAVAILABLE, 'The service is currently unavailable.') };
      case 'hang':
        return { kind: 'hang' };
      default:
        alter ??= fault.kind;
    }
  }
  return { kind: 'answer', alter };
}

/** Looks the version up, or explains why the name is not one. */
function findVersion(ctx: HandlerContext, name: string): StoredKeyVersion | grpc.ServiceError {
  if (typeof name !== 'string' || name.length === 0) {
    return statusError(grpc.status.INVALID_ARGUMENT, 'name is required.');
  }
  if (!isCryptoKeyVersionName(name)) {
    return statusError(
      grpc.status.INVALID_ARGUMENT,
      `Resource name [${name}] does not match any known resource name pattern for a CryptoKeyVersion.`,
    );
  }
  return ctx.store.get(name) ?? statusError(grpc.status.NOT_FOUND, `${name} not found.`);
}

/** Shared shape of every handler: count, find the key, apply faults, then answer. */
function handler<Req extends NameRequest>(
  ctx: HandlerContext,
  operation: string,
  answer: (request: Req, version: StoredKeyVersion, alter: Fault['kind'] | undefined) => unknown,
): Unary<Req> {
  return (call, callback) => {
    ctx.calls.record(operation);
    const run = async (): Promise<void> => {
      const request = call.request;
      const found = findVersion(ctx, request.name);
      const names = found instanceof Error ? [String(request.name)] : keyNamesOf(found);
      const outcome = await applyFaults(ctx, operation, names);
      if (outcome.kind === 'hang') {
        ctx.hung.add(callback);
        return;
      }
      if (outcome.kind === 'fail') return callback(outcome.error);
      if (found instanceof Error) return callback(found);
      callback(null, answer(request, found, outcome.alter));
    };
    run().catch((err: unknown) => {
      if (err && typeof err === 'object' && 'code' in err && 'details' in err) return callback(err as grpc.ServiceError);
      callback(statusError(grpc.status.INTERNAL, 'emulator failure'));
    });
  };
}

class InvalidArgument extends Error {
  readonly code = grpc.status.INVALID_ARGUMENT;
  readonly details: string;
  readonly metadata = new grpc.Metadata();
  constructor(details: string) {
    super(details);
    this.details = details;
  }
}

function signData(version: StoredKeyVersion, data: Buffer): Buffer {
  switch (version.algorithm) {
    case 'EC_SIGN_ED25519':
      return cryptoSign(null, data, version.privateKey);
    case 'EC_SIGN_P256_SHA256':
    case 'RSA_SIGN_PKCS1_2048_SHA256':
      return cryptoSign('sha256', data, version.privateKey);
  }
}

export function asymmetricSign(ctx: HandlerContext): Unary<AsymmetricSignRequest> {
  return handler<AsymmetricSignRequest>(ctx, 'AsymmetricSign', (request, version, alter) => {
    const data = request.data ?? Buffer.alloc(0);
    const hasDigest = request.digest !== null && request.digest !== undefined;
    if (hasDigest && data.length > 0) throw new InvalidArgument('Only one of data or digest may be set.');
    if (hasDigest && version.algorithm === 'EC_SIGN_ED25519') {
      throw new InvalidArgument(
        `The request for ${version.name} must use data, not digest: algorithm EC_SIGN_ED25519 does not support pre-hashed input.`,
      );
    }
    if (hasDigest) throw new InvalidArgument('The emulator signs data only; send data instead of digest.');
    if (data.length === 0) throw new InvalidArgument('data is required.');
    if (data.length > MAX_DATA_BYTES) throw new InvalidArgument(`data exceeds the limit of ${MAX_DATA_BYTES} bytes.`);
    if (request.dataCrc32c && !sameChecksum(request.dataCrc32c, crc32c(data))) {
      throw new InvalidArgument('The checksum in field data_crc32c did not match the data in field data.');
    }

    let signature: Buffer;
    if (alter === 'garbage-signature') signature = randomBytes(64);
    else if (alter === 'wrong-key-signature') signature = cryptoSign(null, data, ctx.impostor.privateKey);
    else signature = signData(version, data);
    if (alter === 'truncated-body') signature = signature.subarray(0, Math.floor(signature.length / 2));
    const checksum = crc32c(signature);

    return {
      signature,
      signatureCrc32c: int64(alter === 'corrupt-crc' ? (checksum ^ 0x1) >>> 0 : checksum),
      verifiedDigestCrc32c: false,
      verifiedDataCrc32c: request.dataCrc32c !== null && !ctx.quirks.ignoreDataCrc32c,
      name: ctx.quirks.answerName ?? version.name,
      protectionLevel: version.protectionLevel,
    };
  });
}

/** PEM whose body is random bytes: well-formed armour, not a key. */
function garbagePem(): string {
  const body = randomBytes(44).toString('base64');
  return `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----\n`;
}

export function getPublicKey(ctx: HandlerContext): Unary<NameRequest> {
  return handler<NameRequest>(ctx, 'GetPublicKey', (_request, version, alter) => {
    let pem = version.publicKeyPem;
    if (alter === 'garbage-signature') pem = garbagePem();
    else if (alter === 'wrong-key-signature') pem = ctx.impostor.publicKeyPem;
    else if (alter === 'truncated-body') pem = pem.slice(0, Math.floor(pem.length / 2));
    const checksum = crc32c(Buffer.from(pem, 'utf8'));
    return {
      pem,
      algorithm: version.algorithm,
      pemCrc32c: int64(alter === 'corrupt-crc' ? (checksum ^ 0x1) >>> 0 : checksum),
      name: ctx.quirks.answerName ?? version.name,
      protectionLevel: version.protectionLevel,
      publicKeyFormat: 'PEM',
    };
  });
}

export function getCryptoKeyVersion(ctx: HandlerContext): Unary<NameRequest> {
  return handler<NameRequest>(ctx, 'GetCryptoKeyVersion', (_request, version) => {
    const created = { seconds: String(Math.floor(version.createdAt.getTime() / 1000)), nanos: 0 };
    return {
      name: version.name,
      state: 'ENABLED',
      protectionLevel: version.protectionLevel,
      algorithm: version.algorithm,
      createTime: created,
      generateTime: created,
      importOnly: false,
    };
  });
}
