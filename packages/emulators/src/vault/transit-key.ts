/**
 * One Transit key with its versions, signing exactly like Vault: versions count from 1,
 * `key_version` 0 or absent means latest, signatures are `vault:v<N>:<base64>`.
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { badRequest } from './http-error.js';

/** `ed25519` signs; the other two exist so signers can be tested against the wrong kind of key. */
export type TransitKeyType = 'ed25519' | 'ecdsa-p256' | 'aes256-gcm96';

export const TRANSIT_KEY_TYPES: readonly TransitKeyType[] = ['ed25519', 'ecdsa-p256', 'aes256-gcm96'];

interface KeyVersion {
  createdAt: Date;
  privateKey?: KeyObject;
  publicKey?: KeyObject;
  /** Symmetric key material (aes256-gcm96); never served. */
  secret?: Buffer;
}

export class TransitKey {
  private readonly versions: KeyVersion[] = [];
  minDecryptionVersion = 1;
  minEncryptionVersion = 0;

  constructor(
    readonly name: string,
    readonly type: TransitKeyType,
  ) {
    this.rotate();
  }

  get latestVersion(): number {
    return this.versions.length;
  }

  get supportsSigning(): boolean {
    return this.type !== 'aes256-gcm96';
  }

  /** Adds a new version and returns its number. */
  rotate(): number {
    const createdAt = new Date();
    if (this.type === 'aes256-gcm96') {
      this.versions.push({ createdAt, secret: randomBytes(32) });
    } else {
      const pair =
        this.type === 'ed25519'
          ? generateKeyPairSync('ed25519')
          : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      this.versions.push({ createdAt, privateKey: pair.privateKey, publicKey: pair.publicKey });
    }
    return this.latestVersion;
  }

  /** Raw 32-byte Ed25519 public key of a version (undefined for other types or unknown versions). */
  ed25519PublicKey(version = this.latestVersion): Uint8Array | undefined {
    const v = this.versions[version - 1];
    if (this.type !== 'ed25519' || !v?.publicKey) return undefined;
    return rawEd25519(v.publicKey);
  }

  /** Resolves the version a sign request addresses, with Vault's checks and messages. */
  signingVersion(requested: number | undefined): number {
    if (!this.supportsSigning) throw badRequest(`key type ${this.type} does not support signing`);
    const version = requested === undefined || requested === 0 ? this.latestVersion : requested;
    if (!Number.isInteger(version) || version < 0) throw badRequest('invalid key version');
    if (version > this.latestVersion) throw badRequest('requested version for signing is higher than the latest key version');
    if (this.minEncryptionVersion > 0 && version < this.minEncryptionVersion) {
      throw badRequest('requested version for signing is less than the minimum encryption key version');
    }
    return version;
  }

  /** Signs with a version (already resolved by `signingVersion`); returns the raw signature. */
  sign(input: Uint8Array, version: number): Buffer {
    const v = this.versions[version - 1];
    if (!v?.privateKey) throw badRequest(`key type ${this.type} does not support signing`);
    // Ed25519 is pure (no prehash); ECDSA P-256 uses Vault's default sha2-256 and ASN.1 marshaling.
    return this.type === 'ed25519' ? sign(null, input, v.privateKey) : sign('sha256', input, v.privateKey);
  }

  /** The `data` object of `GET /v1/<mount>/keys/<name>`, shaped like Vault's. */
  toReadResponse(): Record<string, unknown> {
    const keys: Record<string, unknown> = {};
    this.versions.forEach((v, i) => {
      const created = Math.floor(v.createdAt.getTime() / 1000);
      if (this.type === 'aes256-gcm96') {
        keys[String(i + 1)] = created;
      } else if (this.type === 'ed25519') {
        keys[String(i + 1)] = {
          certificate_chain: '',
          creation_time: v.createdAt.toISOString(),
          name: 'ed25519',
          public_key: Buffer.from(rawEd25519(v.publicKey!)).toString('base64'),
        };
      } else {
        keys[String(i + 1)] = {
          certificate_chain: '',
          creation_time: v.createdAt.toISOString(),
          name: 'P-256',
          public_key: v.publicKey!.export({ type: 'spki', format: 'pem' }).toString(),
        };
      }
    });
    return {
      allow_plaintext_backup: false,
      auto_rotate_period: 0,
      deletion_allowed: false,
      derived: false,
      exportable: false,
      imported_key: false,
      keys,
      latest_version: this.latestVersion,
      min_available_version: 0,
      min_decryption_version: this.minDecryptionVersion,
      min_encryption_version: this.minEncryptionVersion,
      name: this.name,
      supports_decryption: this.type === 'aes256-gcm96',
      supports_derivation: this.type !== 'ecdsa-p256',
      supports_encryption: this.type === 'aes256-gcm96',
      supports_signing: this.supportsSigning,
      type: this.type,
    };
  }
}

function rawEd25519(publicKey: KeyObject): Uint8Array {
  // SPKI DER for Ed25519 is a fixed 12-byte prefix followed by the 32-byte key.
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return new Uint8Array(der.subarray(der.length - 32));
}
