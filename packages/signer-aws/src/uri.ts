/**
 * `awskms:///KEY?region=R` (the service's own endpoint) and `awskms://HOST:PORT/KEY?region=R`
 * (a custom endpoint), where KEY is a key id, key ARN, `alias/name` or alias ARN. Pure: no
 * network, no environment; returns options for `new AwsKmsSigner()`.
 */
import { isRegion, keyIdProblem, parseKeyId } from './key-id.js';
import { misconfigured } from './misconfigured.js';

export const AWS_KMS_URI_SCHEME = 'awskms:';

export interface AwsKmsUriOptions {
  keyId: string;
  region?: string;
  endpoint?: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9.-]+)(?::(\d{1,5}))?$/;
const QUERY_KEYS = new Set(['region', 'scheme']);
/** Credential names someone may try to put in the URI: named back with a pointer to the chain. */
const CREDENTIAL_KEYS = /^(aws_)?(access_key(_id)?|secret(_access_key|_key)?|session_token|token|password|profile)$/i;

/**
 * Neither the URI nor an unknown parameter is ever echoed (`awskms:///alias/a1?wJalr…KEY` would
 * print the secret): only a parameter name we know is shown, as packages/signer-vault/src/uri.ts does.
 */
function unknownParameter(name: string): string {
  if (CREDENTIAL_KEYS.test(name)) {
    return `AWS KMS URI parameter "${name.toLowerCase()}" does not belong in the key URI: credentials come from the AWS credential chain (environment, profile, SSO, instance role), never the URI`;
  }
  return 'AWS KMS URI has an unknown parameter (not shown: it may hold a secret; allowed: region, scheme)';
}

/**
 * `awskms://alias/a1-root` (two slashes) makes "alias" the host and "a1-root" the key. When the
 * host and the key together are a key name, say so and show the three-slash form. Only a host that
 * is part of a valid key name is echoed (never an authority that could hold user:secret@).
 */
function twoSlashesMistake(authority: string, keyId: string): string | undefined {
  if (authority === '' || authority.includes('@')) return undefined;
  const joined = keyId === '' ? authority : `${authority}/${keyId}`;
  if (keyIdProblem(joined) !== undefined) return undefined;
  // A real host with a valid key (awskms://kms.example.com/1234…) is a custom endpoint, not a mistake.
  if (keyIdProblem(keyId) === undefined && HOST_PORT.test(authority)) return undefined;
  return `AWS KMS URI: "${authority}" was read as a host (awskms://HOST:PORT/KEY names a custom endpoint); for the regional endpoint use three slashes: awskms:///${joined}`;
}

/**
 * Parse an `awskms://` URI. A custom endpoint is reached over https, except loopback hosts
 * (the emulator) which default to http; `scheme=http|https` overrides either.
 */
export function parseAwsKmsUri(uri: string): AwsKmsUriOptions {
  if (typeof uri !== 'string' || !uri.startsWith('awskms://')) {
    throw misconfigured('AWS KMS URI must start with awskms:// (awskms:///alias/name?region=us-east-1)');
  }
  if (uri.includes('#')) throw misconfigured('AWS KMS URI must not have a #fragment');
  const rest = uri.slice('awskms://'.length);
  const queryAt = rest.indexOf('?');
  const beforeQuery = queryAt === -1 ? rest : rest.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : rest.slice(queryAt + 1));
  const slash = beforeQuery.indexOf('/');
  if (slash === -1) {
    const mistake = twoSlashesMistake(beforeQuery, '');
    throw misconfigured(mistake ?? 'AWS KMS URI has no key: expected awskms://[HOST:PORT]/KEY');
  }
  const authority = beforeQuery.slice(0, slash);
  // Decoding keeps `alias%2Fname` usable; ARNs and alias names need no escaping.
  let keyId: string;
  try {
    keyId = decodeURIComponent(beforeQuery.slice(slash + 1));
  } catch {
    throw misconfigured('AWS KMS URI key is not valid percent-encoding');
  }

  for (const name of query.keys()) {
    if (!QUERY_KEYS.has(name)) throw misconfigured(unknownParameter(name));
  }
  const twoSlashes = twoSlashesMistake(authority, keyId);
  if (twoSlashes) throw misconfigured(twoSlashes);
  const problem = keyIdProblem(keyId);
  if (problem) throw misconfigured(`AWS KMS URI: ${problem}`);

  const options: AwsKmsUriOptions = { keyId };
  const arnRegion = parseKeyId(keyId)?.region;
  const region = query.get('region') ?? undefined;
  if (region !== undefined) {
    if (!isRegion(region)) throw misconfigured('AWS KMS URI region (not shown) is not an AWS region name such as us-east-1');
    if (arnRegion !== undefined && arnRegion !== region) {
      throw misconfigured(`AWS KMS URI region "${region}" differs from the key ARN's region "${arnRegion}"`, keyId);
    }
    options.region = region;
  } else if (arnRegion !== undefined) {
    options.region = arnRegion;
  }

  const scheme = query.get('scheme') ?? undefined;
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') {
    throw misconfigured('AWS KMS URI scheme must be http or https (the value given is not shown)');
  }
  if (authority !== '') {
    // Never echo the authority here: a mistaken user:secret@ would land in logs.
    if (authority.includes('@')) throw misconfigured('AWS KMS URI must not carry credentials (user@host); use the AWS credential chain');
    const hostPort = HOST_PORT.exec(authority);
    const port = hostPort?.[2] === undefined ? undefined : Number(hostPort[2]);
    if (!hostPort || (port !== undefined && (port < 1 || port > 65535))) {
      throw misconfigured('AWS KMS URI endpoint (not shown) is not HOST or HOST:PORT with a port from 1 to 65535');
    }
    const host = hostPort[1]!.toLowerCase();
    options.endpoint = `${scheme ?? (LOOPBACK_HOSTS.has(host) ? 'http' : 'https')}://${authority}`;
  } else if (scheme !== undefined) {
    throw misconfigured('AWS KMS URI scheme= needs a custom endpoint (awskms://HOST:PORT/KEY)');
  }
  return options;
}
