/**
 * The key-management RPCs users make through the SDK: CreateKeyRing, CreateCryptoKey (with its
 * first version, unless skipped), UpdateCryptoKeyVersion (state ENABLED <-> DISABLED only),
 * DestroyCryptoKeyVersion (-> DESTROY_SCHEDULED for the 30-day default) and
 * RestoreCryptoKeyVersion (DESTROY_SCHEDULED -> DISABLED), per google/cloud/kms/v1/service.proto.
 * A version made here starts PENDING_GENERATION, as asymmetric versions do in the service, and
 * turns ENABLED after `generationDelayMs`.
 */
import * as grpc from '@grpc/grpc-js';
import { findVersion, versionResource } from './handlers.js';
import {
  DESTROY_SCHEDULED_SECONDS,
  GCP_KMS_ALGORITHMS,
  isValidId,
  keyNamesOf,
  type GcpKmsAlgorithm,
  type GcpKmsVersionState,
  type StoredCryptoKey,
  type StoredKeyVersion,
} from './key-store.js';
import { RpcError, timestamp, unary, type HandlerContext, type NameRequest, type Unary } from './rpc.js';

interface CreateKeyRingRequest {
  parent: string;
  keyRingId: string;
}

interface CreateCryptoKeyRequest {
  parent: string;
  cryptoKeyId: string;
  cryptoKey: { purpose?: string; versionTemplate?: { algorithm?: string; protectionLevel?: string } | null } | null;
  skipInitialVersionCreation: boolean;
}

interface UpdateCryptoKeyVersionRequest {
  cryptoKeyVersion: { name?: string; state?: string } | null;
  updateMask: { paths?: string[] } | null;
}

const LOCATION_NAME = /^projects\/[^/]+\/locations\/[^/]+$/;
const KEY_RING_NAME = /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+$/;

/** The service's answer when a version's state forbids the call. */
function wrongState(version: StoredKeyVersion): RpcError {
  return new RpcError(
    grpc.status.FAILED_PRECONDITION,
    `The request cannot be fulfilled. Resource ${version.name} has value ${version.state} in field crypto_key_version.state.`,
  );
}

function cryptoKeyResource(cryptoKey: StoredCryptoKey): Record<string, unknown> {
  return {
    name: cryptoKey.name,
    purpose: 'ASYMMETRIC_SIGN',
    createTime: timestamp(cryptoKey.createdAt),
    versionTemplate: { algorithm: cryptoKey.algorithm, protectionLevel: cryptoKey.protectionLevel },
    destroyScheduledDuration: { seconds: String(DESTROY_SCHEDULED_SECONDS), nanos: 0 },
  };
}

function nameTarget(name: string) {
  return { resource: name, names: [name] };
}

/** A new version, PENDING_GENERATION until its key material is "generated". */
function generateVersion(ctx: HandlerContext, cryptoKeyName: string): StoredKeyVersion {
  const version = ctx.store.createVersion(cryptoKeyName, 'PENDING_GENERATION');
  void ctx.delay(ctx.generationDelayMs).then(() => {
    if (version.state === 'PENDING_GENERATION') ctx.store.setState(version.name, 'ENABLED');
  });
  return version;
}

export function createKeyRing(ctx: HandlerContext): Unary<CreateKeyRingRequest> {
  return unary<CreateKeyRingRequest>(
    ctx,
    'CreateKeyRing',
    (request) => nameTarget(`${request.parent}/keyRings/${request.keyRingId}`),
    (request) => {
      if (!LOCATION_NAME.test(String(request.parent))) {
        throw new RpcError(grpc.status.INVALID_ARGUMENT, `Resource name [${request.parent}] does not match any known resource name pattern for a Location.`);
      }
      if (!isValidId(String(request.keyRingId))) {
        throw new RpcError(grpc.status.INVALID_ARGUMENT, `Invalid key ring id [${request.keyRingId}]: must match [a-zA-Z0-9_-]{1,63}.`);
      }
      const name = `${request.parent}/keyRings/${request.keyRingId}`;
      if (ctx.store.getKeyRing(name)) throw new RpcError(grpc.status.ALREADY_EXISTS, `KeyRing ${name} already exists.`);
      const ring = ctx.store.createKeyRing(name);
      return { name: ring.name, createTime: timestamp(ring.createdAt) };
    },
  );
}

export function createCryptoKey(ctx: HandlerContext): Unary<CreateCryptoKeyRequest> {
  return unary<CreateCryptoKeyRequest>(
    ctx,
    'CreateCryptoKey',
    (request) => nameTarget(`${request.parent}/cryptoKeys/${request.cryptoKeyId}`),
    (request) => {
      if (!KEY_RING_NAME.test(String(request.parent))) {
        throw new RpcError(grpc.status.INVALID_ARGUMENT, `Resource name [${request.parent}] does not match any known resource name pattern for a KeyRing.`);
      }
      if (!ctx.store.getKeyRing(request.parent)) throw new RpcError(grpc.status.NOT_FOUND, `KeyRing ${request.parent} not found.`);
      if (!isValidId(String(request.cryptoKeyId))) {
        throw new RpcError(grpc.status.INVALID_ARGUMENT, `Invalid crypto key id [${request.cryptoKeyId}]: must match [a-zA-Z0-9_-]{1,63}.`);
      }
      const name = `${request.parent}/cryptoKeys/${request.cryptoKeyId}`;
      if (ctx.store.getCryptoKey(name)) throw new RpcError(grpc.status.ALREADY_EXISTS, `CryptoKey ${name} already exists.`);
      const purpose = request.cryptoKey?.purpose;
      if (purpose !== 'ASYMMETRIC_SIGN') {
        // The service supports other purposes; this emulator holds signing keys only.
        throw new RpcError(grpc.status.UNIMPLEMENTED, `The emulator creates ASYMMETRIC_SIGN keys only, not ${purpose ?? 'an unspecified purpose'}.`);
      }
      const algorithm = request.cryptoKey?.versionTemplate?.algorithm;
      if (!GCP_KMS_ALGORITHMS.includes(algorithm as GcpKmsAlgorithm)) {
        throw new RpcError(
          grpc.status.INVALID_ARGUMENT,
          `Algorithm ${algorithm ?? 'CRYPTO_KEY_VERSION_ALGORITHM_UNSPECIFIED'} is not supported here (${GCP_KMS_ALGORITHMS.join(', ')}).`,
        );
      }
      // The service's default protection level is SOFTWARE.
      const protectionLevel = request.cryptoKey?.versionTemplate?.protectionLevel === 'HSM' ? 'HSM' : 'SOFTWARE';
      const cryptoKey = ctx.store.createCryptoKey(name, algorithm as GcpKmsAlgorithm, protectionLevel);
      if (!request.skipInitialVersionCreation) generateVersion(ctx, name);
      return cryptoKeyResource(cryptoKey);
    },
  );
}

export function updateCryptoKeyVersion(ctx: HandlerContext): Unary<UpdateCryptoKeyVersionRequest> {
  return unary<UpdateCryptoKeyVersionRequest>(
    ctx,
    'UpdateCryptoKeyVersion',
    (request) => {
      const name = String(request.cryptoKeyVersion?.name ?? '');
      const version = ctx.store.get(name);
      return { resource: name, names: version ? keyNamesOf(version) : [name] };
    },
    (request) => {
      const paths = request.updateMask?.paths ?? [];
      if (paths.length === 0) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'update_mask is required.');
      const unknown = paths.filter((path) => path !== 'state');
      if (unknown.length > 0) throw new RpcError(grpc.status.INVALID_ARGUMENT, `update_mask path ${unknown[0]} cannot be updated.`);
      const version = findVersion(ctx, request.cryptoKeyVersion?.name);
      const target = request.cryptoKeyVersion?.state as GcpKmsVersionState | undefined;
      if (target !== 'ENABLED' && target !== 'DISABLED') {
        throw new RpcError(grpc.status.INVALID_ARGUMENT, `crypto_key_version.state may only be set to ENABLED or DISABLED, not ${target ?? 'unspecified'}.`);
      }
      if (version.state !== 'ENABLED' && version.state !== 'DISABLED') throw wrongState(version);
      return versionResource(ctx.store.setState(version.name, target));
    },
  );
}

export function destroyCryptoKeyVersion(ctx: HandlerContext): Unary<NameRequest> {
  return unary<NameRequest>(ctx, 'DestroyCryptoKeyVersion', (request) => nameTarget(String(request.name ?? '')), (request) => {
    const version = findVersion(ctx, request.name);
    if (version.state !== 'ENABLED' && version.state !== 'DISABLED') throw wrongState(version);
    return versionResource(ctx.store.setState(version.name, 'DESTROY_SCHEDULED'));
  });
}

export function restoreCryptoKeyVersion(ctx: HandlerContext): Unary<NameRequest> {
  return unary<NameRequest>(ctx, 'RestoreCryptoKeyVersion', (request) => nameTarget(String(request.name ?? '')), (request) => {
    const version = findVersion(ctx, request.name);
    if (version.state !== 'DESTROY_SCHEDULED') throw wrongState(version);
    return versionResource(ctx.store.setState(version.name, 'DISABLED'));
  });
}
