/**
 * The data-plane RPCs (AsymmetricSign, GetPublicKey, GetCryptoKeyVersion) with the real
 * service's validation: INVALID_ARGUMENT for a malformed name, a digest on an Ed25519 key or a
 * data_crc32c that does not match; NOT_FOUND for an unknown version; FAILED_PRECONDITION
 * "<name> is not enabled, current state is: <STATE>." for a version that is not ENABLED (with a
 * google.rpc.PreconditionFailure of type KEY_DISABLED for a disabled one, as gcloud shows it).
 */
import { randomBytes, sign as cryptoSign, type KeyObject } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import { crc32c } from '@node-rs/crc32';
import { isCryptoKeyVersionName, keyNamesOf, type StoredKeyVersion } from './key-store.js';
import {
  int64,
  RpcError,
  sameChecksum,
  timestamp,
  unary,
  type AsymmetricSignRequest,
  type HandlerContext,
  type NameRequest,
  type Unary,
} from './rpc.js';
import { richStatusError } from './status-details.js';

/** The real service caps AsymmetricSign data at 64 KiB. */
const MAX_DATA_BYTES = 64 * 1024;

/** Looks the version up, or throws why the name is not one. */
export function findVersion(ctx: HandlerContext, name: unknown): StoredKeyVersion {
  if (typeof name !== 'string' || name.length === 0) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'name is required.');
  if (!isCryptoKeyVersionName(name)) {
    throw new RpcError(
      grpc.status.INVALID_ARGUMENT,
      `Resource name [${name}] does not match any known resource name pattern for a CryptoKeyVersion.`,
    );
  }
  const version = ctx.store.get(name);
  if (!version) throw new RpcError(grpc.status.NOT_FOUND, `${name} not found.`);
  return version;
}

/** Only ENABLED versions sign or show a public key. */
function enabledVersion(ctx: HandlerContext, name: unknown): StoredKeyVersion & { privateKey: KeyObject } {
  const version = findVersion(ctx, name);
  if (version.state !== 'ENABLED' || !version.privateKey) {
    const message = `${version.name} is not enabled, current state is: ${version.state}.`;
    if (version.state !== 'DISABLED') throw new RpcError(grpc.status.FAILED_PRECONDITION, message);
    throw richStatusError(grpc.status.FAILED_PRECONDITION, message, [
      { type: 'PreconditionFailure', violations: [{ type: 'KEY_DISABLED', subject: version.name, description: '' }] },
    ]);
  }
  return version as StoredKeyVersion & { privateKey: KeyObject };
}

/** Fault and access matching for a call naming one version. */
function versionTarget(ctx: HandlerContext) {
  return (request: NameRequest) => {
    const name = String(request.name ?? '');
    const version = ctx.store.get(name);
    return { resource: name, names: version ? keyNamesOf(version) : [name] };
  };
}

function signData(version: StoredKeyVersion & { privateKey: KeyObject }, data: Buffer): Buffer {
  switch (version.algorithm) {
    case 'EC_SIGN_ED25519':
      return cryptoSign(null, data, version.privateKey);
    case 'EC_SIGN_P256_SHA256':
    case 'RSA_SIGN_PKCS1_2048_SHA256':
      return cryptoSign('sha256', data, version.privateKey);
  }
}

export function asymmetricSign(ctx: HandlerContext): Unary<AsymmetricSignRequest> {
  return unary<AsymmetricSignRequest>(ctx, 'AsymmetricSign', versionTarget(ctx), (request, alter) => {
    const version = enabledVersion(ctx, request.name);
    const data = request.data ?? Buffer.alloc(0);
    const hasDigest = request.digest !== null && request.digest !== undefined;
    if (hasDigest && data.length > 0) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'Only one of data or digest may be set.');
    if (hasDigest && version.algorithm === 'EC_SIGN_ED25519') {
      throw new RpcError(grpc.status.INVALID_ARGUMENT, 
        `The request for ${version.name} must use data, not digest: algorithm EC_SIGN_ED25519 does not support pre-hashed input.`,
      );
    }
    if (hasDigest) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'The emulator signs data only; send data instead of digest.');
    if (data.length === 0) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'data is required.');
    if (data.length > MAX_DATA_BYTES) throw new RpcError(grpc.status.INVALID_ARGUMENT, `data exceeds the limit of ${MAX_DATA_BYTES} bytes.`);
    if (request.dataCrc32c && !sameChecksum(request.dataCrc32c, crc32c(data))) {
      throw new RpcError(grpc.status.INVALID_ARGUMENT, 'The checksum in field data_crc32c did not match the data in field data.');
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
  return unary<NameRequest>(ctx, 'GetPublicKey', versionTarget(ctx), (request, alter) => {
    const version = enabledVersion(ctx, request.name);
    let pem = ctx.quirks.answerPem ?? version.publicKeyPem;
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
  return unary<NameRequest>(ctx, 'GetCryptoKeyVersion', versionTarget(ctx), (request) => versionResource(findVersion(ctx, request.name)));
}

/** A CryptoKeyVersion as the API shows it (google/cloud/kms/v1/resources.proto). */
export function versionResource(version: StoredKeyVersion): Record<string, unknown> {
  return {
    name: version.name,
    state: version.state,
    protectionLevel: version.protectionLevel,
    algorithm: version.algorithm,
    createTime: timestamp(version.createdAt),
    ...(version.state === 'PENDING_GENERATION' ? {} : { generateTime: timestamp(version.createdAt) }),
    ...(version.destroyTime ? { destroyTime: timestamp(version.destroyTime) } : {}),
    ...(version.destroyEventTime ? { destroyEventTime: timestamp(version.destroyEventTime) } : {}),
    importOnly: false,
  };
}
