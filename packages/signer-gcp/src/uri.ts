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
      if (param !== 'endpoint') throw misconfigured(unknownParameter(param));
      if (!value) throw misconfigured('the gcpkms URI endpoint parameter is empty');
      result.endpoint = value;
    }
  }
  return result;
}

/** Credential names someone may try to put in the URI: named back with a pointer to ADC. */
const CREDENTIAL_PARAMS = /^(access_token|token|key|api_?key|credentials?|password|secret|private_key)$/i;

/**
 * An unknown parameter is never shown (`gcpkms://…/1?SECRET` would print the secret); only a
 * name we know is, as packages/signer-vault/src/uri.ts does.
 */
function unknownParameter(name: string): string {
  if (CREDENTIAL_PARAMS.test(name)) {
    return `gcpkms URI parameter "${name.toLowerCase()}" does not belong in the key URI: credentials come from Application Default Credentials (GOOGLE_APPLICATION_CREDENTIALS) or the client options, never the URI`;
  }
  return 'unknown gcpkms URI parameter (not shown: it may hold a secret; known: endpoint)';
}

export function formatGcpKmsUri(name: GcpKmsKeyName, endpoint?: string): string {
  const base = `${GCP_KMS_URI_SCHEME}${formatKeyName(name)}`;
  return endpoint ? `${base}?${new URLSearchParams({ endpoint })}` : base;
}
