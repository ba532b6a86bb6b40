/**
 * The TrentService operations the emulator answers, with the validation order of the real
 * service: model constraints, then key lookup and permission, then key state and usage, then
 * algorithm/message compatibility.
 */
import { randomBytes, sign, type KeyObject } from 'node:crypto';
import type { Fault } from '../faults.js';
import {
  type AwsKeyStore,
  type AwsKmsAlias,
  type AwsKmsKey,
  isKeySpec,
  signingAlgorithmsOf,
  type AwsKeyUsage,
} from './key-store.js';
import type { GrantBook } from './grants.js';
import { KmsServiceError, validationError } from './kms-error.js';
import {
  optionalBoolean,
  optionalEnum,
  optionalInteger,
  optionalString,
  requiredBlob,
  requiredEnum,
  requiredString,
  type RequestBody,
} from './request-fields.js';
import type { AwsCredential } from './sigv4.js';

export interface OperationContext {
  store: AwsKeyStore;
  grants: GrantBook;
  caller: AwsCredential;
  /** Faults that hit this call and change the answer's content (not its delivery). */
  faults: readonly Fault[];
  /** A key no KMS key name points at, for wrong-key-signature answers. */
  strangerKey: KeyObject;
}

export interface Operation {
  /** The `KeyId`-like member the call addresses, for fault matching. */
  keyField?: (body: RequestBody) => string | undefined;
  run(ctx: OperationContext, body: RequestBody): unknown;
}

const SIGNING_ALGORITHMS = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'ECDSA_SHA_256',
  'ECDSA_SHA_384',
  'ECDSA_SHA_512',
  'SM2DSA',
  'ML_DSA_SHAKE_256',
  'ED25519_SHA_512',
  'ED25519_PH_SHA_512',
] as const;
const MESSAGE_TYPES = ['RAW', 'DIGEST', 'EXTERNAL_MU'] as const;
const KEY_USAGES = [
  'SIGN_VERIFY',
  'ENCRYPT_DECRYPT',
  'GENERATE_VERIFY_MAC',
  'KEY_AGREEMENT',
  'ENCAPSULATE_DECAPSULATE',
] as const;
/** Sign's RAW message limit in the real service. */
export const MAX_RAW_MESSAGE_BYTES = 4096;

export function principalOf(ctx: OperationContext): string {
  return `arn:aws:iam::${ctx.store.accountId}:user/${ctx.caller.accessKeyId}`;
}

/** GrantTokens (0-10 strings of 1-8192 characters); an unknown token is InvalidGrantTokenException. */
function grantTokens(ctx: OperationContext, body: RequestBody): string[] {
  const tokens = body['GrantTokens'];
  if (tokens === undefined) return [];
  if (!Array.isArray(tokens) || tokens.length > 10 || !tokens.every((t) => typeof t === 'string' && t.length >= 1 && t.length <= 8192)) {
    throw validationError(`Value at 'grantTokens' failed to satisfy constraint: Member must have length less than or equal to 10`);
  }
  for (const token of tokens as string[]) {
    if (!ctx.grants.isKnownToken(token)) throw new KmsServiceError('InvalidGrantTokenException', 'The grant token is invalid.');
  }
  return tokens as string[];
}

/** IAM (the credential's `allow` list), then grants on the key (usable once propagated, or with their token). */
function authorize(ctx: OperationContext, action: string, resource: string, key?: AwsKmsKey, tokens: readonly string[] = []): void {
  if (ctx.caller.allow === undefined || ctx.caller.allow.includes(action)) return;
  if (key && ctx.grants.allows(key.keyId, principalOf(ctx), action.replace(/^kms:/, ''), tokens)) return;
  throw new KmsServiceError(
    'AccessDeniedException',
    `User: ${principalOf(ctx)} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
  );
}

/**
 * What a cryptographic call gets in each key state: DisabledException (409) for Disabled,
 * KMSInvalidStateException (409, "<arn> is pending deletion." as the service words it) for the
 * others that cannot be used (https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html).
 */
const UNUSABLE_STATE_TEXT: Partial<Record<AwsKmsKey['state'], string>> = {
  Creating: 'creating',
  Updating: 'updating',
  PendingDeletion: 'pending deletion',
  PendingReplicaDeletion: 'pending replica deletion',
  PendingImport: 'pending import',
  Unavailable: 'unavailable',
};

/** Resolve, authorize, and check the key can be used for a cryptographic operation. */
function usableKey(ctx: OperationContext, body: RequestBody, action: string): AwsKmsKey {
  const key = ctx.store.resolve(requiredString(body, 'KeyId'));
  authorize(ctx, action, key.arn, key, grantTokens(ctx, body));
  if (key.state === 'Disabled') throw new KmsServiceError('DisabledException', `${key.arn} is disabled.`);
  const text = UNUSABLE_STATE_TEXT[key.state];
  if (text !== undefined) throw new KmsServiceError('KMSInvalidStateException', `${key.arn} is ${text}.`);
  return key;
}

function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

function keyMetadata(store: AwsKeyStore, key: AwsKmsKey): Record<string, unknown> {
  const signing = signingAlgorithmsOf(key);
  return {
    AWSAccountId: store.accountId,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: epochSeconds(key.creationDate),
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.state,
    ...(key.deletionDate ? { DeletionDate: epochSeconds(key.deletionDate) } : {}),
    Origin: 'AWS_KMS',
    KeyManager: 'CUSTOMER',
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    ...(signing.length > 0 ? { SigningAlgorithms: signing } : {}),
    ...(key.keyUsage === 'KEY_AGREEMENT' ? { KeyAgreementAlgorithms: ['ECDH'] } : {}),
    MultiRegion: false,
  };
}

function aliasEntry(alias: AwsKmsAlias): Record<string, unknown> {
  return {
    AliasName: alias.aliasName,
    AliasArn: alias.aliasArn,
    TargetKeyId: alias.targetKeyId,
    CreationDate: epochSeconds(alias.creationDate),
    LastUpdatedDate: epochSeconds(alias.lastUpdatedDate),
  };
}

function hasFault(ctx: OperationContext, kind: Fault['kind']): boolean {
  return ctx.faults.some((f) => f.kind === kind);
}

/** Check the algorithm/message pairing and produce the signature bytes. */
function signMessage(key: AwsKmsKey, algorithm: string, messageType: string, message: Buffer, signingKey: KeyObject): Buffer {
  if (!signingAlgorithmsOf(key).includes(algorithm)) {
    throw new KmsServiceError(
      'InvalidKeyUsageException',
      `${algorithm} is not a supported signing algorithm for ${key.arn} (KeySpec ${key.keySpec}). Supported: ${signingAlgorithmsOf(key).join(', ')}`,
    );
  }
  if (messageType === 'EXTERNAL_MU') throw validationError(`MessageType EXTERNAL_MU is only supported for ML_DSA keys`);
  if (algorithm === 'ED25519_SHA_512') {
    if (messageType !== 'RAW') throw validationError(`ED25519_SHA_512 signing algorithm requires MessageType RAW`);
    return sign(null, message, signingKey);
  }
  if (algorithm === 'ED25519_PH_SHA_512') {
    if (messageType !== 'DIGEST') throw validationError(`ED25519_PH_SHA_512 signing algorithm requires MessageType DIGEST`);
    if (message.length !== 64) throw validationError(`Digest is invalid length for algorithm ED25519_PH_SHA_512.`);
    // node:crypto has no Ed25519ph; A1 never uses it (it is not pure Ed25519).
    throw new KmsServiceError('UnsupportedOperationException', 'This emulator does not implement Ed25519ph (ED25519_PH_SHA_512).');
  }
  // ECDSA_SHA_256 on a P-256 key (negative tests only need RAW).
  if (messageType !== 'RAW') {
    throw new KmsServiceError('UnsupportedOperationException', 'This emulator implements ECDSA_SHA_256 for RAW messages only.');
  }
  return sign('sha256', message, { key: signingKey, dsaEncoding: 'der' });
}

const keyIdField = (body: RequestBody): string | undefined =>
  typeof body['KeyId'] === 'string' ? body['KeyId'] : undefined;

export const OPERATIONS: Record<string, Operation> = {
  Sign: {
    keyField: keyIdField,
    run(ctx, body) {
      requiredString(body, 'KeyId');
      const message = requiredBlob(body, 'Message', MAX_RAW_MESSAGE_BYTES);
      const messageType = optionalEnum(body, 'MessageType', MESSAGE_TYPES) ?? 'RAW';
      const algorithm = requiredEnum(body, 'SigningAlgorithm', SIGNING_ALGORITHMS);
      const dryRun = optionalBoolean(body, 'DryRun') ?? false;
      const key = usableKey(ctx, body, 'kms:Sign');
      if (key.keyUsage !== 'SIGN_VERIFY') {
        throw new KmsServiceError('InvalidKeyUsageException', `${key.arn} key usage is ${key.keyUsage} which is not valid for Sign.`);
      }
      const wrongKey = hasFault(ctx, 'wrong-key-signature') && key.keySpec === 'ECC_NIST_EDWARDS25519';
      let signature = signMessage(key, algorithm, messageType, message, wrongKey ? ctx.strangerKey : key.privateKey);
      if (dryRun) throw new KmsServiceError('DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.');
      if (hasFault(ctx, 'garbage-signature')) signature = randomBytes(signature.length);
      return { KeyId: key.arn, Signature: signature.toString('base64'), SigningAlgorithm: algorithm };
    },
  },

  GetPublicKey: {
    keyField: keyIdField,
    run(ctx, body) {
      const key = usableKey(ctx, body, 'kms:GetPublicKey');
      const publicKey = hasFault(ctx, 'garbage-signature') ? randomBytes(key.publicKeySpki.length) : key.publicKeySpki;
      const signing = signingAlgorithmsOf(key);
      return {
        KeyId: key.arn,
        PublicKey: publicKey.toString('base64'),
        CustomerMasterKeySpec: key.keySpec,
        KeySpec: key.keySpec,
        KeyUsage: key.keyUsage,
        ...(signing.length > 0 ? { SigningAlgorithms: signing } : {}),
        ...(key.keyUsage === 'KEY_AGREEMENT' ? { KeyAgreementAlgorithms: ['ECDH'] } : {}),
      };
    },
  },

  DescribeKey: {
    keyField: keyIdField,
    run(ctx, body) {
      const key = ctx.store.resolve(requiredString(body, 'KeyId'));
      authorize(ctx, 'kms:DescribeKey', key.arn, key, grantTokens(ctx, body));
      return { KeyMetadata: keyMetadata(ctx.store, key) };
    },
  },

  CreateKey: {
    run(ctx, body) {
      const keySpec =
        optionalString(body, 'KeySpec') ?? optionalString(body, 'CustomerMasterKeySpec') ?? 'SYMMETRIC_DEFAULT';
      // The real default usage is ENCRYPT_DECRYPT, which no ECC key accepts.
      const keyUsage = optionalEnum(body, 'KeyUsage', KEY_USAGES) ?? 'ENCRYPT_DECRYPT';
      const description = optionalString(body, 'Description', 8192) ?? '';
      authorize(ctx, 'kms:CreateKey', '*');
      if (!isKeySpec(keySpec)) {
        throw new KmsServiceError(
          'UnsupportedOperationException',
          `KeySpec ${keySpec} is not supported by this emulator (ECC_NIST_EDWARDS25519, ECC_NIST_P256)`,
        );
      }
      const key = ctx.store.create({ keySpec, keyUsage: keyUsage as AwsKeyUsage, description });
      return { KeyMetadata: keyMetadata(ctx.store, key) };
    },
  },

  CreateAlias: {
    keyField: (body) => (typeof body['TargetKeyId'] === 'string' ? body['TargetKeyId'] : undefined),
    run(ctx, body) {
      const aliasName = requiredString(body, 'AliasName', 256);
      const target = requiredString(body, 'TargetKeyId');
      authorize(ctx, 'kms:CreateAlias', `arn:aws:kms:${ctx.store.region}:${ctx.store.accountId}:${aliasName}`);
      ctx.store.createAlias(aliasName, target);
      return {};
    },
  },

  UpdateAlias: {
    keyField: (body) => (typeof body['TargetKeyId'] === 'string' ? body['TargetKeyId'] : undefined),
    run(ctx, body) {
      const aliasName = requiredString(body, 'AliasName', 256);
      const target = requiredString(body, 'TargetKeyId');
      authorize(ctx, 'kms:UpdateAlias', `arn:aws:kms:${ctx.store.region}:${ctx.store.accountId}:${aliasName}`);
      ctx.store.updateAlias(aliasName, target);
      return {};
    },
  },

  ListAliases: {
    keyField: keyIdField,
    run(ctx, body) {
      const keyId = optionalString(body, 'KeyId');
      const limit = optionalInteger(body, 'Limit', 1, 1000) ?? 100;
      const marker = optionalString(body, 'Marker', 1024);
      authorize(ctx, 'kms:ListAliases', '*');
      const aliases = ctx.store.listAliases(keyId);
      const start = marker === undefined ? 0 : Number.parseInt(marker, 10);
      if (!Number.isInteger(start) || start < 0 || start > aliases.length) {
        throw new KmsServiceError('InvalidMarkerException', 'The marker is not valid.');
      }
      const page = aliases.slice(start, start + limit);
      const truncated = start + limit < aliases.length;
      return { Aliases: page.map(aliasEntry), Truncated: truncated, ...(truncated ? { NextMarker: String(start + limit) } : {}) };
    },
  },

  EnableKey: {
    keyField: keyIdField,
    run(ctx, body) {
      const key = ctx.store.resolve(requiredString(body, 'KeyId'));
      authorize(ctx, 'kms:EnableKey', key.arn);
      if (key.state === 'PendingDeletion') throw new KmsServiceError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
      ctx.store.setState(key.keyId, 'Enabled');
      return {};
    },
  },

  DisableKey: {
    keyField: keyIdField,
    run(ctx, body) {
      const key = ctx.store.resolve(requiredString(body, 'KeyId'));
      authorize(ctx, 'kms:DisableKey', key.arn);
      if (key.state === 'PendingDeletion') throw new KmsServiceError('KMSInvalidStateException', `${key.arn} is pending deletion.`);
      ctx.store.setState(key.keyId, 'Disabled');
      return {};
    },
  },

  CancelKeyDeletion: {
    keyField: keyIdField,
    run(ctx, body) {
      const key = ctx.store.resolve(requiredString(body, 'KeyId'));
      authorize(ctx, 'kms:CancelKeyDeletion', key.arn);
      if (key.state !== 'PendingDeletion') throw new KmsServiceError('KMSInvalidStateException', `${key.arn} is not pending deletion.`);
      // A cancelled deletion leaves the key Disabled, as in the service.
      ctx.store.setState(key.keyId, 'Disabled');
      return { KeyId: key.arn };
    },
  },

  CreateGrant: {
    keyField: keyIdField,
    run(ctx, body) {
      const key = ctx.store.resolve(requiredString(body, 'KeyId'));
      const grantee = requiredString(body, 'GranteePrincipal', 256);
      const operations = body['Operations'];
      if (!Array.isArray(operations) || operations.length === 0 || !operations.every((o) => typeof o === 'string')) {
        throw validationError(`Value at 'operations' failed to satisfy constraint: Member must not be null`);
      }
      authorize(ctx, 'kms:CreateGrant', key.arn);
      const grant = ctx.grants.create(key.keyId, grantee, operations as string[]);
      return { GrantToken: grant.grantToken, GrantId: grant.grantId };
    },
  },

  ScheduleKeyDeletion: {
    keyField: keyIdField,
    run(ctx, body) {
      const key = ctx.store.resolve(requiredString(body, 'KeyId'));
      const days = optionalInteger(body, 'PendingWindowInDays', 7, 30) ?? 30;
      authorize(ctx, 'kms:ScheduleKeyDeletion', key.arn);
      ctx.store.setState(key.keyId, 'PendingDeletion');
      key.deletionDate = new Date(Date.now() + days * 86_400_000);
      return { KeyId: key.arn, DeletionDate: epochSeconds(key.deletionDate), KeyState: key.state, PendingWindowInDays: days };
    },
  },
};
