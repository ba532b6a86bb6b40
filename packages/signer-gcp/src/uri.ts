/**
 * `gcpkms://projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/N[?endpoint=…]`,
 * the form sigstore and cosign use, plus an optional `endpoint` for an emulator or a private
 * endpoint. Pure: returns options, touches no network.
 */
import { misconfigured } from './errors.js';
import { formatKeyName, parseKeyName, type GcpKmsKeyName } from './key-name.js';

export const GCP_KMS_URI_SCHEME = 'gcpkms://';

export interface GcpKmsUri extends GcpKmsKeyName {
  /** Full CryptoKeyVersion resource name. */
  name: string;
  /** `http://host:port` (plaintext, emulators) or `https://host[:port]`, when given. */
  endpoint?: string;
}

export function parseGcpKmsUri(uri: string): GcpKmsUri {
  if (typeof uri !== 'string' || !uri.startsWith(GCP_KMS_URI_SCHEME)) {
    throw misconfigured(`a Cloud KMS key URI starts with ${GCP_KMS_URI_SCHEME}`);
  }
  const rest = uri.slice(GCP_KMS_URI_SCHEME.length);
  const queryAt = rest.indexOf('?');
  const path = queryAt === -1 ? rest : rest.slice(0, queryAt);
  const parts = parseKeyName(path);
  const result: GcpKmsUri = { ...parts, name: formatKeyName(parts) };
  if (queryAt !== -1) {
    for (const [param, value] of new URLSearchParams(rest.slice(queryAt + 1))) {
      if (param !== 'endpoint') throw misconfigured(`unknown gcpkms URI parameter ${JSON.stringify(param.slice(0, 40))}`);
      if (!value) throw misconfigured('the gcpkms URI endpoint parameter is empty');
      result.endpoint = value;
    }
  }
  return result;
}

export function formatGcpKmsUri(name: GcpKmsKeyName, endpoint?: string): string {
  const base = `${GCP_KMS_URI_SCHEME}${formatKeyName(name)}`;
  return endpoint ? `${base}?${new URLSearchParams({ endpoint })}` : base;
}
