/**
 * The plumbing every Cloud KMS RPC of the emulator shares: context, status errors, the fault plan
 * (throttles answered like Google's quota system), access checks, and the unary handler shape
 * (count, faults, access, then answer).
 */
import type { KeyObject } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import type { CallCounter, Fault, FaultPlan } from '../faults.js';
import type { AccessPolicy } from './access.js';
import type { GcpKeyStore } from './key-store.js';
import { richStatusError, type ErrorDetail } from './status-details.js';

/** Int64Value as the loader decodes it (int64 as a decimal string). */
export interface Int64Value {
  value: string | number;
}

export interface AsymmetricSignRequest {
  name: string;
  digest: { sha256?: Buffer; sha384?: Buffer; sha512?: Buffer } | null;
  digestCrc32c: Int64Value | null;
  data: Buffer;
  dataCrc32c: Int64Value | null;
}

export interface NameRequest {
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
  /** Answer GetPublicKey with this PEM (and its correct CRC) instead of the key's, e.g. a small-order key. */
  answerPem: string | undefined;
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
  access: AccessPolicy;
  /** How long a version made through the API stays PENDING_GENERATION before it is ENABLED. */
  generationDelayMs: number;
}


export type Unary<Req> = (call: grpc.ServerUnaryCall<Req, unknown>, callback: grpc.sendUnaryData<unknown>) => void;

export function statusError(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}

export function int64(n: number): Int64Value {
  return { value: String(n) };
}

export function sameChecksum(given: Int64Value, actual: number): boolean {
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

/** A status the handler throws; the wrapper answers it. */
export class RpcError extends Error {
  readonly metadata = new grpc.Metadata();
  constructor(
    readonly code: grpc.status,
    readonly details: string,
  ) {
    super(details);
  }
}

/**
 * Shared shape of every handler: count, apply faults (matched against `names`), check access to
 * `resource`, then answer (an RpcError or ServiceError thrown by `answer` becomes the status).
 */
export function unary<Req>(
  ctx: HandlerContext,
  operation: string,
  target: (request: Req) => { resource: string; names: string[] },
  answer: (request: Req, alter: Fault['kind'] | undefined) => unknown,
): Unary<Req> {
  return (call, callback) => {
    ctx.calls.record(operation);
    const run = async (): Promise<void> => {
      const request = call.request;
      const { resource, names } = target(request);
      const outcome = await applyFaults(ctx, operation, names);
      if (outcome.kind === 'hang') {
        ctx.hung.add(callback);
        return;
      }
      if (outcome.kind === 'fail') return callback(outcome.error);
      const denied = ctx.access.check(operation, resource);
      if (denied) return callback(denied);
      callback(null, answer(request, outcome.alter));
    };
    run().catch((err: unknown) => {
      if (err && typeof err === 'object' && 'code' in err && 'details' in err) return callback(err as grpc.ServiceError);
      callback(statusError(grpc.status.INTERNAL, 'emulator failure'));
    });
  };
}

/** google.protobuf.Timestamp of a Date. */
export function timestamp(date: Date): { seconds: string; nanos: number } {
  return { seconds: String(Math.floor(date.getTime() / 1000)), nanos: (date.getTime() % 1000) * 1_000_000 };
}
