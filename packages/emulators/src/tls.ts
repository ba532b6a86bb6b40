/**
 * A throwaway certificate authority and a loopback server certificate it signs, so HTTPS
 * clients can be tested the way production runs them: trusting one CA, not "skip verify".
 */
import { generate } from 'selfsigned';

export interface CertificateAuthority {
  /** CA certificate, PEM: what a client passes as its trusted CA. */
  cert: string;
  /** CA private key, PEM. */
  key: string;
}

export interface ServerTls {
  /** The CA that signed `cert`, PEM. */
  caCert: string;
  /** Server certificate, PEM (SANs: 127.0.0.1, ::1, localhost). */
  cert: string;
  /** Server private key, PEM. */
  key: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function generateCertificateAuthority(commonName = 'A1 emulator test CA'): Promise<CertificateAuthority> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** A loopback server certificate signed by `ca` (a fresh CA when omitted). */
export async function issueServerTls(ca?: CertificateAuthority): Promise<ServerTls> {
  const authority = ca ?? (await generateCertificateAuthority());
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - DAY_MS),
    ca: authority,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
          { type: 2, value: 'localhost' },
        ],
      },
    ],
  });
  return { caCert: authority.cert, cert: pems.cert, key: pems.private };
}
