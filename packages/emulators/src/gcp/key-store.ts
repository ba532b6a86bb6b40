/**
 * The emulator's keys: real key pairs from node:crypto, addressed by Cloud KMS resource names
 * `projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/N`.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';

/** Algorithms the emulator can hold: Ed25519, plus two others for negative tests. */
export type GcpKmsAlgorithm = 'EC_SIGN_ED25519' | 'EC_SIGN_P256_SHA256' | 'RSA_SIGN_PKCS1_2048_SHA256';
export type GcpKmsProtectionLevel = 'SOFTWARE' | 'HSM';
/**
 * CryptoKeyVersion.CryptoKeyVersionState (google/cloud/kms/v1/resources.proto). Only ENABLED
 * versions sign or show their public key; the service answers FAILED_PRECONDITION otherwise.
 */
export type GcpKmsVersionState = 'PENDING_GENERATION' | 'ENABLED' | 'DISABLED' | 'DESTROYED' | 'DESTROY_SCHEDULED';

export const GCP_KMS_ALGORITHMS: readonly GcpKmsAlgorithm[] = ['EC_SIGN_ED25519', 'EC_SIGN_P256_SHA256', 'RSA_SIGN_PKCS1_2048_SHA256'];
/** The service's default `destroy_scheduled_duration`: 30 days. */
export const DESTROY_SCHEDULED_SECONDS = 30 * 86_400;

export interface GcpKmsKeySpec {
  project?: string;
  location?: string;
  keyRing?: string;
  /** CryptoKey id; a fresh `key-N` when omitted. An existing id gets a new version. */
  key?: string;
  algorithm?: GcpKmsAlgorithm;
  protectionLevel?: GcpKmsProtectionLevel;
}

/** One CryptoKeyVersion, as tests and the command see it (no private material). */
export interface GcpKmsKey {
  /** Full CryptoKeyVersion resource name: what a signer is configured with. */
  name: string;
  /** The parent CryptoKey resource name. */
  cryptoKeyName: string;
  algorithm: GcpKmsAlgorithm;
  protectionLevel: GcpKmsProtectionLevel;
  /** PEM SPKI, exactly as GetPublicKey answers it. */
  publicKeyPem: string;
  /** Raw 32-byte public key for Ed25519; SPKI DER for the other algorithms. */
  publicKey: Uint8Array;
  createdAt: Date;
  state: GcpKmsVersionState;
  /** When a DESTROY_SCHEDULED version is destroyed. */
  destroyTime?: Date;
  /** When the version was destroyed. */
  destroyEventTime?: Date;
}

export interface StoredKeyVersion extends GcpKmsKey {
  privateKey: KeyObject | undefined;
}

export interface StoredKeyRing {
  name: string;
  createdAt: Date;
}

export interface StoredCryptoKey {
  name: string;
  algorithm: GcpKmsAlgorithm;
  protectionLevel: GcpKmsProtectionLevel;
  createdAt: Date;
}

const NAME_PATTERN = /^projects\/([^/]+)\/locations\/([^/]+)\/keyRings\/([^/]+)\/cryptoKeys\/([^/]+)\/cryptoKeyVersions\/([^/]+)$/;
const ID_PATTERN = /^[a-zA-Z0-9_-]{1,63}$/;

export function isCryptoKeyVersionName(name: string): boolean {
  return NAME_PATTERN.test(name);
}

function rawEd25519(publicKey: KeyObject): Buffer {
  return Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url');
}

function generate(algorithm: GcpKmsAlgorithm): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (algorithm) {
    case 'EC_SIGN_ED25519':
      return generateKeyPairSync('ed25519');
    case 'EC_SIGN_P256_SHA256':
      return generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    case 'RSA_SIGN_PKCS1_2048_SHA256':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
  }
}

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export class GcpKeyStore {
  private readonly versions = new Map<string, StoredKeyVersion>();
  private readonly versionCounts = new Map<string, number>();
  private readonly rings = new Map<string, StoredKeyRing>();
  private readonly cryptoKeys = new Map<string, StoredCryptoKey>();
  private keyCounter = 0;

  /** A test-side shortcut: creates the ring and CryptoKey as needed, then an ENABLED version. */
  create(spec: GcpKmsKeySpec = {}): GcpKmsKey {
    const project = spec.project ?? 'a1-emulator';
    const location = spec.location ?? 'global';
    const keyRing = spec.keyRing ?? 'a1';
    const key = spec.key ?? `key-${++this.keyCounter}`;
    for (const [field, id] of Object.entries({ project, location, keyRing, key })) {
      if (!ID_PATTERN.test(id)) throw new Error(`invalid ${field} id ${JSON.stringify(id)}`);
    }
    const ringName = `projects/${project}/locations/${location}/keyRings/${keyRing}`;
    const cryptoKeyName = `${ringName}/cryptoKeys/${key}`;
    const algorithm = spec.algorithm ?? 'EC_SIGN_ED25519';
    const existing = this.cryptoKeys.get(cryptoKeyName);
    if (existing && existing.algorithm !== algorithm) {
      throw new Error(`${cryptoKeyName} holds ${existing.algorithm} versions; cannot add ${algorithm}`);
    }
    if (!this.rings.has(ringName)) this.createKeyRing(ringName);
    if (!existing) this.createCryptoKey(cryptoKeyName, algorithm, spec.protectionLevel ?? 'HSM');
    return publicView(this.createVersion(cryptoKeyName, 'ENABLED'));
  }

  getKeyRing(name: string): StoredKeyRing | undefined {
    return this.rings.get(name);
  }

  createKeyRing(name: string): StoredKeyRing {
    const ring = { name, createdAt: new Date() };
    this.rings.set(name, ring);
    return ring;
  }

  getCryptoKey(name: string): StoredCryptoKey | undefined {
    return this.cryptoKeys.get(name);
  }

  createCryptoKey(name: string, algorithm: GcpKmsAlgorithm, protectionLevel: GcpKmsProtectionLevel): StoredCryptoKey {
    const cryptoKey = { name, algorithm, protectionLevel, createdAt: new Date() };
    this.cryptoKeys.set(name, cryptoKey);
    return cryptoKey;
  }

  /** The next version of an existing CryptoKey, in the given state (the RPCs start at PENDING_GENERATION). */
  createVersion(cryptoKeyName: string, state: GcpKmsVersionState): StoredKeyVersion {
    const cryptoKey = this.cryptoKeys.get(cryptoKeyName);
    if (!cryptoKey) throw new Error(`${cryptoKeyName} does not exist`);
    const { algorithm } = cryptoKey;
    const version = (this.versionCounts.get(cryptoKeyName) ?? 0) + 1;
    this.versionCounts.set(cryptoKeyName, version);

    const pair = generate(algorithm);
    const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const der = pair.publicKey.export({ type: 'spki', format: 'der' });
    const stored: StoredKeyVersion = {
      name: `${cryptoKeyName}/cryptoKeyVersions/${version}`,
      cryptoKeyName,
      algorithm,
      protectionLevel: cryptoKey.protectionLevel,
      publicKeyPem,
      publicKey: new Uint8Array(algorithm === 'EC_SIGN_ED25519' ? rawEd25519(pair.publicKey) : der),
      createdAt: new Date(),
      state,
      privateKey: pair.privateKey,
    };
    this.versions.set(stored.name, stored);
    return stored;
  }

  /** Moves a version to `state`; DESTROYED drops the private key, as the service destroys the material. */
  setState(name: string, state: GcpKmsVersionState): StoredKeyVersion {
    const version = this.versions.get(name);
    if (!version) throw new Error(`${name} does not exist`);
    version.state = state;
    if (state === 'DESTROY_SCHEDULED') version.destroyTime = new Date(Date.now() + DESTROY_SCHEDULED_SECONDS * 1000);
    else delete version.destroyTime;
    if (state === 'DESTROYED') {
      version.destroyEventTime = new Date();
      version.privateKey = undefined;
    }
    return version;
  }

  versionsOf(cryptoKeyName: string): StoredKeyVersion[] {
    return [...this.versions.values()].filter((v) => v.cryptoKeyName === cryptoKeyName);
  }

  get(name: string): StoredKeyVersion | undefined {
    return this.versions.get(name);
  }

  list(): GcpKmsKey[] {
    return [...this.versions.values()].map(publicView);
  }
}

function publicView(stored: StoredKeyVersion): GcpKmsKey {
  const { privateKey: _secret, ...rest } = stored;
  return { ...rest, publicKey: new Uint8Array(rest.publicKey) };
}

/** Every name a fault rule may use for this version: version name, CryptoKey name, short key id. */
export function keyNamesOf(version: GcpKmsKey): string[] {
  const shortId = version.cryptoKeyName.slice(version.cryptoKeyName.lastIndexOf('/') + 1);
  return [version.name, version.cryptoKeyName, shortId];
}
