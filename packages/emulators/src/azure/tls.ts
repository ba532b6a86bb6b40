/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1/localhost, so the
 * Azure SDK reaches the emulator over real HTTPS and trusts it only through an explicit CA
 * (`tlsOptions: { ca }`), never by switching verification off.
 */
import { generate } from 'selfsigned';

export interface EmulatorTls {
  /** PEM of the generated CA: what clients pass as `ca`. */
  caPem: string;
  /** Server certificate (PEM), issued by the CA. */
  certPem: string;
  /** Server private key (PEM). */
  keyPem: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export async function generateEmulatorTls(commonName = 'a1 emulator CA'): Promise<EmulatorTls> {
  // EC P-256 keeps generation in milliseconds (RSA-2048 keygen takes far longer on a busy box).
  const notBeforeDate = new Date(Date.now() - DAY_MS);
  const notAfterDate = new Date(Date.now() + 30 * DAY_MS);
  const ca = await generate([{ name: 'commonName', value: commonName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  return { caPem: ca.cert, certPem: server.cert, keyPem: server.private };
}
