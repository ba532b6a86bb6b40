/**
 * One Transit key with its versions, signing exactly like Vault: versions count from 1,
 * `key_version` 0 or absent means latest, signatures are `vault:v<N>:<base64>`.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { badRequest } from './http-error.js';

/** `ed25519` signs; the other two exist so signers can be tested against the wrong kind of key. */
export type TransitKeyType = 'ed25519' | 'ecdsa-p256' | 'aes256-gcm96';

export const TRANSIT_KEY_TYPES: readonly TransitKeyType[] = ['ed25519', 'ecdsa-p256', 'aes256-gcm96'];

/** Options of `POST <mount>/keys/<name>` beyond the type (Vault Transit API: derived, exportable). */
export interface TransitKeyOptions {
  /** Per-request key derivation: every operation needs a `context`; the read shows no public key without one. */
  derived?: boolean;
  /** The private key may be read back through `GET <mount>/export/signing-key/<name>`. */
  exportable?: boolean;
}

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

interface KeyVersion {
  createdAt: Date;
  /** Base key of a derived ed25519 version: the signing seed is HKDF-SHA256(base, context). */
  derivationBase?: Buffer;
  privateKey?: KeyObject;
  publicKey?: KeyObject;
  /** Symmetric key material (aes256-gcm96); never served. */
  secret?: Buffer;
}

export class TransitKey {
  private readonly versions: KeyVersion[] = [];
  minDecryptionVersion = 1;
  minEncryptionVersion = 0;

  readonly derived: boolean;
  readonly exportable: boolean;

  constructor(
    readonly name: string,
    readonly type: TransitKeyType,
    options: TransitKeyOptions = {},
  ) {
    if (options.derived && type === 'ecdsa-p256') throw badRequest('key derivation not supported for key type ecdsa-p256');
    this.derived = options.derived === true;
    this.exportable = options.exportable === true;
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
    } else if (this.derived) {
      this.versions.push({ createdAt, derivationBase: randomBytes(32) });
    } else {
      const pair =
        this.type === 'ed25519'
          ? generateKeyPairSync('ed25519')
          : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      this.versions.push({ createdAt, privateKey: pair.privateKey, publicKey: pair.publicKey });
    }
    return this.latestVersion;
  }

  /** Raw 32-byte Ed25519 public key of a version (undefined for other types, unknown versions, or derived keys without a context). */
  ed25519PublicKey(version = this.latestVersion, context?: Buffer): Uint8Array | undefined {
    if (this.type !== 'ed25519') return undefined;
    const pair = this.keyPair(version, context);
    return pair ? rawEd25519(pair.publicKey) : undefined;
  }

  /** The version's signing pair; for a derived key, the pair derived from `context` (none without one). */
  private keyPair(version: number, context: Buffer | undefined): { privateKey: KeyObject; publicKey: KeyObject } | undefined {
    const v = this.versions[version - 1];
    if (!v) return undefined;
    if (v.derivationBase) {
      if (!context || context.length === 0) return undefined;
      // Vault's default KDF for new keys, hkdf_sha256, with the context as info; the 32 bytes seed Ed25519.
      const seed = Buffer.from(hkdfSync('sha256', v.derivationBase, Buffer.alloc(0), context, 32));
      const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
      return { privateKey, publicKey: createPublicKey(privateKey) };
    }
    return v.privateKey && v.publicKey ? { privateKey: v.privateKey, publicKey: v.publicKey } : undefined;
  }

  /** `GET <mount>/export/signing-key/<name>`: the private keys, base64, only for exportable keys. */
  exportSigningKeys(): Record<string, string> {
    if (!this.exportable) throw badRequest('private key material is not exportable');
    if (!this.supportsSigning || this.derived) throw badRequest('signing-key export is not supported for this key');
    const keys: Record<string, string> = {};
    this.versions.forEach((v, i) => {
      const der = v.privateKey!.export({ type: 'pkcs8', format: 'der' });
      // Vault exports an Ed25519 key as the 64-byte private key (seed || public key), base64.
      keys[String(i + 1)] =
        this.type === 'ed25519'
          ? Buffer.concat([der.subarray(der.length - 32), Buffer.from(rawEd25519(v.publicKey!))]).toString('base64')
          : v.privateKey!.export({ type: 'sec1', format: 'pem' }).toString();
    });
    return keys;
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
  sign(input: Uint8Array, version: number, context?: Buffer): Buffer {
    if (!this.supportsSigning) throw badRequest(`key type ${this.type} does not support signing`);
    const pair = this.keyPair(version, context);
    if (!pair) throw badRequest(MISSING_CONTEXT);
    // Ed25519 is pure (no prehash); ECDSA P-256 uses Vault's default sha2-256 and ASN.1 marshaling.
    return this.type === 'ed25519' ? sign(null, input, pair.privateKey) : sign('sha256', input, pair.privateKey);
  }

  /** The `data` object of `GET /v1/<mount>/keys/<name>[?context=…]`, shaped like Vault's. */
  toReadResponse(context?: Buffer): Record<string, unknown> {
    const keys: Record<string, unknown> = {};
    this.versions.forEach((v, i) => {
      const created = Math.floor(v.createdAt.getTime() / 1000);
      if (this.type === 'aes256-gcm96') {
        keys[String(i + 1)] = created;
      } else if (this.type === 'ed25519') {
        // A derived key has no public key until a context says which one (Vault shows "").
        const publicKey = this.ed25519PublicKey(i + 1, context);
        keys[String(i + 1)] = {
          certificate_chain: '',
          creation_time: v.createdAt.toISOString(),
          name: 'ed25519',
          public_key: publicKey ? Buffer.from(publicKey).toString('base64') : '',
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
      derived: this.derived,
      exportable: this.exportable,
      ...(this.derived ? { kdf: 'hkdf_sha256' } : {}),
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

/** Vault's text when a derived key is used without a context (sdk/helper/keysutil/policy.go). */
export const MISSING_CONTEXT =
  "missing 'context' for key derivation; the key was created using a derived key, which means additional, per-request information must be included in order to perform operations with the key";

function rawEd25519(publicKey: KeyObject): Uint8Array {
  // SPKI DER for Ed25519 is a fixed 12-byte prefix followed by the 32-byte key.
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return new Uint8Array(der.subarray(der.length - 32));
}
