/**
 * Cloud KMS CryptoKeyVersion resource names. A1 signs with one pinned version, so the
 * public key fetched once and every signature come from the same key material.
 */
import { misconfigured } from './errors.js';

export interface GcpKmsKeyName {
  project: string;
  location: string;
  keyRing: string;
  key: string;
  keyVersion: string;
}

const SEGMENT = /^[A-Za-z0-9_.:-]{1,100}$/;
const VERSION = /^[1-9][0-9]{0,18}$/;
const NAME =
  /^projects\/([^/]+)\/locations\/([^/]+)\/keyRings\/([^/]+)\/cryptoKeys\/([^/]+)\/cryptoKeyVersions\/([^/]+)$/;

type Field = keyof GcpKmsKeyName;

/**
 * Checks each part and returns them; throws a `Misconfigured` SignerError naming the bad part
 * (by its option name, or by the label given, e.g. the environment variable). A part's text is
 * never shown: a secret pasted into a key URI (`gcpkms://u:SECRET@projects/…`) would be printed.
 */
export function checkKeyName(
  parts: Partial<Record<Field, string | number | undefined>>,
  labels: Partial<Record<Field, string>> = {},
): GcpKmsKeyName {
  const label = (field: Field): string => labels[field] ?? field;
  const checked: Partial<GcpKmsKeyName> = {};
  for (const field of ['project', 'location', 'keyRing', 'key'] as const) {
    const value = parts[field];
    if (value === undefined || value === '') throw misconfigured(`${label(field)} is required`);
    if (typeof value !== 'string' || !SEGMENT.test(value)) {
      throw misconfigured(`${label(field)} (not shown) is not a valid Cloud KMS id: 1 to 100 letters, digits, "_", "-", "." or ":"`);
    }
    checked[field] = value;
  }
  const version = parts.keyVersion;
  if (version === undefined || version === '') {
    throw misconfigured(
      `${label('keyVersion')} is required: pin the CryptoKeyVersion so the public key and signatures match`,
    );
  }
  if (!VERSION.test(String(version))) {
    throw misconfigured(`${label('keyVersion')} (not shown) must be a positive integer`);
  }
  return { ...(checked as Omit<GcpKmsKeyName, 'keyVersion'>), keyVersion: String(version) };
}

/** Splits `projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/N`. */
export function parseKeyName(name: string): GcpKmsKeyName {
  const match = NAME.exec(name);
  if (!match) {
    throw misconfigured(
      'the key name (not shown) is not a CryptoKeyVersion name (projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/N)',
    );
  }
  const [, project, location, keyRing, key, keyVersion] = match;
  return checkKeyName({ project, location, keyRing, key, keyVersion });
}

export function formatKeyName(n: GcpKmsKeyName): string {
  return `projects/${n.project}/locations/${n.location}/keyRings/${n.keyRing}/cryptoKeys/${n.key}/cryptoKeyVersions/${n.keyVersion}`;
}
