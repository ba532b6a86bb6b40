/**
 * The emulator's keys: real key pairs from node:crypto, addressed by Cloud KMS resource names
 * `projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/N`.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';

/** Algorithms the emulator can hold: Ed25519, plus two others for negative tests. */
export type GcpKmsAlgorithm = 'EC_SIGN_ED25519' | 'EC_SIGN_P256_SHA256' | 'RSA_SIGN_PKCS1_2048_SHA256';
export type GcpKmsProtectionLevel = 'SOFTWARE' | 'HSM';

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
}

export interface StoredKeyVersion extends GcpKmsKey {
  privateKey: KeyObject;
}

const NAME_PATTERN = /^projects\/([^/]+)\/locations\/([^/]+)\/keyRings\/([^/]+)\/cryptoKeys\/([^/]+)\/cryptoKeyVersions\/([^/]+)$/;
const ID_PATTERN = /^[a-zA-Z0-9_-]{1,63}$/;
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function isCryptoKeyVersionName(name: string): boolean {
  return NAME_PATTERN.test(name);
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

export class GcpKeyStore {
  private readonly versions = new Map<string, StoredKeyVersion>();
  private readonly versionCounts = new Map<string, number>();
  private keyCounter = 0;

  create(spec: GcpKmsKeySpec = {}): GcpKmsKey {
    const project = spec.project ?? 'a1-emulator';
    const location = spec.location ?? 'global';
    const keyRing = spec.keyRing ?? 'a1';
    const key = spec.key ?? `key-${++this.keyCounter}`;
    for (const [field, id] of Object.entries({ project, location, keyRing, key })) {
      if (!ID_PATTERN.test(id)) throw new Error(`invalid ${field} id ${JSON.stringify(id)}`);
    }
    const cryptoKeyName = `projects/${project}/locations/${location}/keyRings/${keyRing}/cryptoKeys/${key}`;
    const algorithm = spec.algorithm ?? 'EC_SIGN_ED25519';
    const existing = [...this.versions.values()].find((v) => v.cryptoKeyName === cryptoKeyName);
    if (existing && existing.algorithm !== algorithm) {
      throw new Error(`${cryptoKeyName} holds ${existing.algorithm} versions; cannot add ${algorithm}`);
    }
    const version = (this.versionCounts.get(cryptoKeyName) ?? 0) + 1;
    this.versionCounts.set(cryptoKeyName, version);

    const pair = generate(algorithm);
    const publicKeyPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const der = pair.publicKey.export({ type: 'spki', format: 'der' });
    const stored: StoredKeyVersion = {
      name: `${cryptoKeyName}/cryptoKeyVersions/${version}`,
      cryptoKeyName,
      algorithm,
      protectionLevel: spec.protectionLevel ?? 'HSM',
      publicKeyPem,
      publicKey: new Uint8Array(algorithm === 'EC_SIGN_ED25519' ? der.subarray(ED25519_SPKI_PREFIX.length) : der),
      createdAt: new Date(),
      privateKey: pair.privateKey,
    };
    this.versions.set(stored.name, stored);
    return publicView(stored);
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
