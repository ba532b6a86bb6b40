/** Writing a chain file in the chosen JSON form, and the facts printed about a new hop. */
import { certFingerprint, chainFingerprint, serializeSignedChain, toHex, type DelegationCert, type JsonForm, type SignedChain } from '@a1/core';
import { usageError } from './cli-error.js';

export function parseForm(text: string | undefined, flag = '--format'): JsonForm {
  if (text === undefined || text === 'reference') return 'reference';
  if (text === 'schema') return 'schema';
  throw usageError(`${flag} must be reference or schema, not "${text}"`);
}

export function chainText(chain: SignedChain, form: JsonForm): string {
  return `${serializeSignedChain(chain, { format: form, pretty: true })}\n`;
}

export function hopFacts(chain: SignedChain, cert: DelegationCert, capabilities: readonly string[]) {
  return {
    hop: chain.certs.length - 1,
    delegator_pk: toHex(cert.delegatorPk),
    delegate_pk: toHex(cert.delegatePk),
    capabilities: [...capabilities],
    issued_at: cert.issuedAt,
    expiration_unix: cert.expirationUnix,
    cert_fingerprint: toHex(certFingerprint(cert)),
    chain_fingerprint: toHex(chainFingerprint({ ...chain, namespace: undefined })),
  };
}
