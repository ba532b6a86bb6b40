/**
 * The emulator's keys and aliases, and the KMS rules for naming them: a key is addressed by its
 * id, its ARN, an alias name (`alias/x`) or an alias ARN.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { KmsServiceError, validationError } from './kms-error.js';

export type AwsKeySpec = 'ECC_NIST_EDWARDS25519' | 'ECC_NIST_P256';
export type AwsKeyUsage = 'SIGN_VERIFY' | 'KEY_AGREEMENT';
/** KeyState in the KMS API (https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html). */
export type AwsKeyState =
  | 'Creating'
  | 'Enabled'
  | 'Disabled'
  | 'PendingDeletion'
  | 'PendingImport'
  | 'PendingReplicaDeletion'
  | 'Unavailable'
  | 'Updating';

export interface CreateAwsKeyOptions {
  /** Default `ECC_NIST_EDWARDS25519`. `ECC_NIST_P256` exists for negative tests. */
  keySpec?: AwsKeySpec;
  /** Default `SIGN_VERIFY`. */
  keyUsage?: AwsKeyUsage;
  /** `alias/name` to point at the new key. */
  alias?: string;
  description?: string;
}

export interface AwsKmsKey {
  keyId: string;
  arn: string;
  keySpec: AwsKeySpec;
  keyUsage: AwsKeyUsage;
  state: AwsKeyState;
  description: string;
  creationDate: Date;
  deletionDate?: Date;
  privateKey: KeyObject;
  /** SubjectPublicKeyInfo DER, what GetPublicKey returns. */
  publicKeySpki: Buffer;
  /** The raw public key: 32 bytes for Ed25519, the 65-byte uncompressed point for P-256. */
  publicKeyRaw: Buffer;
}

export interface AwsKmsAlias {
  aliasName: string;
  aliasArn: string;
  targetKeyId: string;
  creationDate: Date;
  lastUpdatedDate: Date;
}

/** What `createKey` hands back to tests: the names of the key and its public halves. */
export interface CreatedAwsKey {
  keyId: string;
  arn: string;
  alias?: string;
  keySpec: AwsKeySpec;
  keyUsage: AwsKeyUsage;
  publicKey: Uint8Array;
  publicKeySpki: Uint8Array;
}

const SIGNING_ALGORITHMS: Record<AwsKeySpec, readonly string[]> = {
  ECC_NIST_EDWARDS25519: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'],
  ECC_NIST_P256: ['ECDSA_SHA_256'],
};

const USAGES: Record<AwsKeySpec, readonly AwsKeyUsage[]> = {
  ECC_NIST_EDWARDS25519: ['SIGN_VERIFY'],
  ECC_NIST_P256: ['SIGN_VERIFY', 'KEY_AGREEMENT'],
};

const ALIAS_NAME = /^alias\/[a-zA-Z0-9/_-]+$/;

export function signingAlgorithmsOf(key: AwsKmsKey): readonly string[] {
  return key.keyUsage === 'SIGN_VERIFY' ? SIGNING_ALGORITHMS[key.keySpec] : [];
}

export function isKeySpec(value: unknown): value is AwsKeySpec {
  return value === 'ECC_NIST_EDWARDS25519' || value === 'ECC_NIST_P256';
}

export class AwsKeyStore {
  private readonly keys = new Map<string, AwsKmsKey>();
  private readonly aliases = new Map<string, AwsKmsAlias>();

  constructor(
    readonly region: string,
    readonly accountId: string,
  ) {}

  private arnPrefix(): string {
    return `arn:aws:kms:${this.region}:${this.accountId}:`;
  }

  create(options: CreateAwsKeyOptions = {}): AwsKmsKey {
    const keySpec = options.keySpec ?? 'ECC_NIST_EDWARDS25519';
    const keyUsage = options.keyUsage ?? 'SIGN_VERIFY';
    if (!isKeySpec(keySpec)) {
      throw new KmsServiceError(
        'UnsupportedOperationException',
        `KeySpec ${String(keySpec)} is not supported by this emulator (ECC_NIST_EDWARDS25519, ECC_NIST_P256)`,
      );
    }
    if (!USAGES[keySpec].includes(keyUsage)) {
      throw validationError(`KeyUsage ${String(keyUsage)} is not compatible with KeySpec ${keySpec}`);
    }
    if (options.alias !== undefined) this.checkNewAlias(options.alias);
    const { privateKey, publicKey } =
      keySpec === 'ECC_NIST_EDWARDS25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const keyId = randomUUID();
    const key: AwsKmsKey = {
      keyId,
      arn: `${this.arnPrefix()}key/${keyId}`,
      keySpec,
      keyUsage,
      state: 'Enabled',
      description: options.description ?? '',
      creationDate: new Date(),
      privateKey,
      publicKeySpki: publicKey.export({ type: 'spki', format: 'der' }),
      publicKeyRaw: rawPublicKey(publicKey),
    };
    this.keys.set(keyId, key);
    if (options.alias !== undefined) this.createAlias(options.alias, keyId);
    return key;
  }

  all(): AwsKmsKey[] {
    return [...this.keys.values()];
  }

  /** Names a fault rule may use for this key: id, ARN, alias names and alias ARNs. */
  namesOf(key: AwsKmsKey): string[] {
    const names = [key.keyId, key.arn];
    for (const alias of this.aliases.values()) {
      if (alias.targetKeyId === key.keyId) names.push(alias.aliasName, alias.aliasArn);
    }
    return names;
  }

  aliasesOf(key: AwsKmsKey): string[] {
    return [...this.aliases.values()].filter((a) => a.targetKeyId === key.keyId).map((a) => a.aliasName);
  }

  /** Resolve a KeyId request field (id, key ARN, alias name, alias ARN) the way KMS does. */
  resolve(keyIdField: string): AwsKmsKey {
    const prefix = this.arnPrefix();
    if (keyIdField.startsWith('alias/') || keyIdField.startsWith(`${prefix}alias/`)) {
      const aliasName = keyIdField.startsWith('alias/') ? keyIdField : keyIdField.slice(prefix.length);
      const alias = this.aliases.get(aliasName);
      if (!alias) throw new KmsServiceError('NotFoundException', `Alias ${prefix}${aliasName} is not found.`);
      return this.byId(alias.targetKeyId);
    }
    if (keyIdField.startsWith('arn:')) {
      if (!keyIdField.startsWith(`${prefix}key/`)) {
        throw new KmsServiceError('NotFoundException', `Invalid arn ${keyIdField}`);
      }
      return this.byId(keyIdField.slice(prefix.length + 'key/'.length));
    }
    return this.byId(keyIdField);
  }

  private byId(keyId: string): AwsKmsKey {
    const key = this.keys.get(keyId);
    if (!key) throw new KmsServiceError('NotFoundException', `Key '${this.arnPrefix()}key/${keyId}' does not exist`);
    return key;
  }

  /** CreateAlias targets a key id or key ARN, never another alias. */
  createAlias(aliasName: string, targetKeyId: string): AwsKmsAlias {
    this.checkNewAlias(aliasName);
    const key = this.resolveTarget(targetKeyId);
    const now = new Date();
    const alias: AwsKmsAlias = {
      aliasName,
      aliasArn: `${this.arnPrefix()}${aliasName}`,
      targetKeyId: key.keyId,
      creationDate: now,
      lastUpdatedDate: now,
    };
    this.aliases.set(aliasName, alias);
    return alias;
  }

  /** Point an existing alias at another key (how operators rotate a root key). */
  updateAlias(aliasName: string, targetKeyId: string): void {
    const alias = this.aliases.get(aliasName);
    if (!alias) throw new KmsServiceError('NotFoundException', `Alias ${this.arnPrefix()}${aliasName} is not found.`);
    const key = this.resolveTarget(targetKeyId);
    alias.targetKeyId = key.keyId;
    alias.lastUpdatedDate = new Date();
  }

  listAliases(keyIdField?: string): AwsKmsAlias[] {
    const all = [...this.aliases.values()].sort((a, b) => a.aliasName.localeCompare(b.aliasName));
    if (keyIdField === undefined) return all;
    const key = this.resolveTarget(keyIdField);
    return all.filter((a) => a.targetKeyId === key.keyId);
  }

  setState(keyIdField: string, state: AwsKeyState): AwsKmsKey {
    const key = this.resolve(keyIdField);
    key.state = state;
    if (state === 'PendingDeletion') key.deletionDate = new Date(Date.now() + 30 * 86_400_000);
    else delete key.deletionDate;
    return key;
  }

  private resolveTarget(targetKeyId: string): AwsKmsKey {
    if (targetKeyId.startsWith('alias/') || targetKeyId.includes(':alias/')) {
      throw validationError(`Value '${targetKeyId}' at 'targetKeyId' must be a key id or key ARN, not an alias`);
    }
    return this.resolve(targetKeyId);
  }

  private checkNewAlias(aliasName: string): void {
    if (!ALIAS_NAME.test(aliasName) || aliasName.length > 256) {
      throw validationError(
        `Value '${aliasName}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^alias/[a-zA-Z0-9/_-]+$`,
      );
    }
    if (aliasName.startsWith('alias/aws/')) {
      throw new KmsServiceError('NotFoundException', `Alias names beginning with alias/aws/ are reserved by AWS.`);
    }
    if (this.aliases.has(aliasName)) {
      throw new KmsServiceError('AlreadyExistsException', `An alias with the name ${this.arnPrefix()}${aliasName} already exists`);
    }
  }
}

function rawPublicKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x ?? '', 'base64url');
  if (jwk.kty === 'OKP') return x;
  return Buffer.concat([Buffer.from([0x04]), x, Buffer.from(jwk.y ?? '', 'base64url')]);
}

export function describeCreatedKey(store: AwsKeyStore, key: AwsKmsKey): CreatedAwsKey {
  const alias = store.aliasesOf(key)[0];
  return {
    keyId: key.keyId,
    arn: key.arn,
    ...(alias !== undefined ? { alias } : {}),
    keySpec: key.keySpec,
    keyUsage: key.keyUsage,
    publicKey: new Uint8Array(key.publicKeyRaw),
    publicKeySpki: new Uint8Array(key.publicKeySpki),
  };
}
