/**
 * The vault's keys: each name holds a list of versions, each version its own key pair. Ed25519
 * keys follow the Managed HSM preview contract (`kty` `OKP`/`OKP-HSM`, `crv` `Ed25519`); EC
 * P-256 and RSA keys exist so signers can be shown refusing them.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';

export type AzureKeyType = 'OKP' | 'OKP-HSM' | 'EC' | 'EC-HSM' | 'RSA' | 'RSA-HSM';

export interface CreateAzureKeyOptions {
  /** Key name (letters, digits, dashes). */
  name: string;
  /** Default `OKP` (Ed25519). */
  kty?: AzureKeyType;
  /** Default `['sign', 'verify']` (RSA adds the encryption operations, as Key Vault does). */
  keyOps?: string[];
  enabled?: boolean;
  /** `nbf`: epoch seconds before which the key may not sign. */
  notBefore?: number;
  /** `exp`: epoch seconds from which the key may not sign. */
  expires?: number;
}

/** The attributes `PATCH /keys/NAME/VERSION` may change (Key Vault's KeyUpdateParameters). */
export interface AzureKeyUpdate {
  enabled?: boolean;
  notBefore?: number | null;
  expires?: number | null;
  keyOps?: string[];
}

export interface AzureKeyVersion {
  name: string;
  version: string;
  kty: AzureKeyType;
  /** `Ed25519`, `P-256`, or undefined for RSA. */
  crv: string | undefined;
  keyOps: string[];
  enabled: boolean;
  notBefore: number | undefined;
  expires: number | undefined;
  created: number;
  updated: number;
  privateKey: KeyObject;
  /** Public JWK members as Key Vault returns them (base64url): x, y, n, e. */
  publicJwk: Record<string, string>;
  /** Raw public key: 32 bytes for Ed25519; the 65-byte uncompressed point for EC; the DER SPKI for RSA. */
  publicKeyRaw: Uint8Array;
}

/** What tests get back from `createKey` / `rotateKey`. */
export interface CreatedAzureKey {
  name: string;
  version: string;
  /** Full key identifier, `https://host:port/keys/NAME/VERSION`. */
  kid: string;
  kty: AzureKeyType;
  crv: string | undefined;
  publicKey: Uint8Array;
}

const KEY_NAME = /^[0-9a-zA-Z-]{1,127}$/;

export function isAzureKeyType(value: unknown): value is AzureKeyType {
  return typeof value === 'string' && ['OKP', 'OKP-HSM', 'EC', 'EC-HSM', 'RSA', 'RSA-HSM'].includes(value);
}

function newKeyPair(kty: AzureKeyType): Pick<AzureKeyVersion, 'crv' | 'privateKey' | 'publicJwk' | 'publicKeyRaw'> {
  if (kty === 'OKP' || kty === 'OKP-HSM') {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const x = publicKey.export({ format: 'jwk' }).x!;
    return { crv: 'Ed25519', privateKey, publicJwk: { x }, publicKeyRaw: Buffer.from(x, 'base64url') };
  }
  if (kty === 'EC' || kty === 'EC-HSM') {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
    return { crv: 'P-256', privateKey, publicJwk: { x: jwk.x!, y: jwk.y! }, publicKeyRaw: point };
  }
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' });
  return {
    crv: undefined,
    privateKey,
    publicJwk: { n: jwk.n!, e: jwk.e! },
    publicKeyRaw: publicKey.export({ format: 'der', type: 'spki' }),
  };
}

export class AzureKeyStore {
  private readonly keys = new Map<string, AzureKeyVersion[]>();

  constructor(private readonly vaultUrl: () => string) {}

  kidOf(key: AzureKeyVersion): string {
    return `${this.vaultUrl()}/keys/${key.name}/${key.version}`;
  }

  /** Creates a key, or a new (now current) version when the name exists, as Key Vault does. */
  create(options: CreateAzureKeyOptions): CreatedAzureKey {
    if (!KEY_NAME.test(options.name)) throw new Error(`invalid Key Vault key name: ${JSON.stringify(options.name)}`);
    const kty = options.kty ?? 'OKP';
    if (!isAzureKeyType(kty)) throw new Error(`unsupported key type: ${String(kty)}`);
    const isRsa = kty === 'RSA' || kty === 'RSA-HSM';
    const version: AzureKeyVersion = {
      name: options.name,
      version: randomBytes(16).toString('hex'),
      kty,
      keyOps: options.keyOps ?? (isRsa ? ['sign', 'verify', 'encrypt', 'decrypt', 'wrapKey', 'unwrapKey'] : ['sign', 'verify']),
      enabled: options.enabled ?? true,
      notBefore: options.notBefore,
      expires: options.expires,
      created: Math.floor(Date.now() / 1000),
      updated: Math.floor(Date.now() / 1000),
      ...newKeyPair(kty),
    };
    const versions = this.keys.get(options.name) ?? [];
    versions.push(version);
    this.keys.set(options.name, versions);
    return this.describeVersion(version);
  }

  /** A new current version with the same type and operations. */
  rotate(name: string): CreatedAzureKey {
    const current = this.latest(name);
    if (!current) throw new Error(`no key named ${name}`);
    return this.create({ name, kty: current.kty, keyOps: current.keyOps });
  }

  setEnabled(name: string, enabled: boolean, version?: string): void {
    const targets = version === undefined ? this.keys.get(name) ?? [] : [this.find(name, version)].filter((k) => k !== undefined);
    if (targets.length === 0) throw new Error(`no key named ${name}${version ? ` with version ${version}` : ''}`);
    for (const key of targets) key.enabled = enabled;
  }

  /** Applies an update to one version; the `updated` timestamp moves, as Key Vault's does. */
  update(key: AzureKeyVersion, changes: AzureKeyUpdate): void {
    if (changes.enabled !== undefined) key.enabled = changes.enabled;
    if (changes.notBefore !== undefined) key.notBefore = changes.notBefore ?? undefined;
    if (changes.expires !== undefined) key.expires = changes.expires ?? undefined;
    if (changes.keyOps !== undefined) key.keyOps = [...changes.keyOps];
    key.updated = Math.floor(Date.now() / 1000);
  }

  latest(name: string): AzureKeyVersion | undefined {
    return this.keys.get(name)?.at(-1);
  }

  /** The named version; the current one when `version` is empty. */
  find(name: string, version: string): AzureKeyVersion | undefined {
    if (version === '') return this.latest(name);
    return this.keys.get(name)?.find((k) => k.version === version);
  }

  list(): CreatedAzureKey[] {
    return [...this.keys.values()].flat().map((k) => this.describeVersion(k));
  }

  describeVersion(key: AzureKeyVersion): CreatedAzureKey {
    return {
      name: key.name,
      version: key.version,
      kid: this.kidOf(key),
      kty: key.kty,
      crv: key.crv,
      publicKey: new Uint8Array(key.publicKeyRaw),
    };
  }

  /** The key bundle of GET /keys/NAME/VERSION: public JWK and attributes, never private parts. */
  bundle(key: AzureKeyVersion): Record<string, unknown> {
    return {
      key: {
        kid: this.kidOf(key),
        kty: key.kty,
        ...(key.crv ? { crv: key.crv } : {}),
        ...key.publicJwk,
        key_ops: key.keyOps,
      },
      attributes: {
        enabled: key.enabled,
        ...(key.notBefore !== undefined ? { nbf: key.notBefore } : {}),
        ...(key.expires !== undefined ? { exp: key.expires } : {}),
        created: key.created,
        updated: key.updated,
        recoveryLevel: 'Recoverable+Purgeable',
        recoverableDays: 90,
        exportable: false,
      },
    };
  }
}
