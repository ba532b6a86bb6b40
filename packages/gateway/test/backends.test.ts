// End to end on every signer backend: the a1-gateway binary signs through the real vendor SDKs
// against the loopback emulators and a SoftHSM2 token. A client issues a cert through it, verifies
// the cert offline with @a1/core against the gateway's advertised key, revokes it, and is refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorize, intentHash, parseCert, parseSignedChain, toHex, verifyCertSignature, LocalSigner } from '@a1/core';
import { startAwsKms, startAzureKeyVault, startGcpKms, startVaultTransit } from '@a1/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractClient, oneHopChain } from './support/contract-client.js';
import { baseEnv, startGatewayProcess } from './support/gateway-process.js';
import { findSoftHsm, softHsmToken } from './support/softhsm.js';

type Started<T extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<T>>;
const SECRET = 'backends-admin-secret';
const dir = mkdtempSync(join(tmpdir(), 'a1-gateway-backends-'));
let aws: Started<typeof startAwsKms>;
let gcp: Started<typeof startGcpKms>;
let vault: Started<typeof startVaultTransit>;
let azure: Started<typeof startAzureKeyVault>;
let env: NodeJS.ProcessEnv;
const uris: Record<string, string> = {};
const softhsm = findSoftHsm();

beforeAll(async () => {
  [aws, gcp, vault, azure] = await Promise.all([startAwsKms(), startGcpKms(), startVaultTransit(), startAzureKeyVault()]);
  aws.createKey({ alias: 'alias/a1-gateway' });
  const gcpKey = gcp.createKey({ project: 'acme', location: 'global', keyRing: 'a1', key: 'gateway' });
  vault.createKey({ name: 'a1-gateway', type: 'ed25519' });
  azure.createKey({ name: 'a1-gateway', kty: 'OKP' });
  writeFileSync(join(dir, 'azure-ca.pem'), azure.ca);
  writeFileSync(join(dir, 'root.key'), `${toHex(LocalSigner.generate().exportSeed())}\n`, { mode: 0o600 });
  const { credentials } = aws.clientConfig();
  env = baseEnv({
    A1_ADMIN_SECRET: SECRET,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    VAULT_ADDR: vault.endpoint,
    VAULT_TOKEN: vault.rootToken,
    A1_AZURE_TOKEN: azure.token,
    NODE_EXTRA_CA_CERTS: join(dir, 'azure-ca.pem'),
  });
  uris.file = 'file:./root.key';
  uris.aws = `awskms://${new URL(aws.endpoint).host}/alias/a1-gateway?region=${aws.region}`;
  uris.gcp = `gcpkms://${gcpKey.name}?endpoint=${gcp.endpoint}`;
  uris.vault = 'hashivault://a1-gateway?mount=transit';
  uris.azure = `azurekms://${new URL(azure.endpoint).host}/a1-gateway`;
  if (softhsm) {
    const token = await softHsmToken(softhsm, dir, 'gw-pin-5531', 'A1_TEST_PKCS11_PIN');
    env.SOFTHSM2_CONF = token.conf;
    env.A1_TEST_PKCS11_PIN = 'gw-pin-5531';
    uris.pkcs11 = token.uri;
  }
}, 120_000);

afterAll(async () => {
  await Promise.all([aws?.close(), gcp?.close(), vault?.close(), azure?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('a1-gateway on every signer backend', () => {
  const backends = ['file', 'aws', 'gcp', 'vault', 'azure', ...(softhsm || process.env.CI === 'true' ? ['pkcs11'] : [])];
  it.each(backends)('%s: issue → verify offline against the advertised key → revoke → authorize refused', async (name) => {
    expect(uris[name], `${name}: SoftHSM2 missing (run scripts/ensure-softhsm.sh; CI needs it)`).toBeDefined();
    const gateway = await startGatewayProcess({ ...env, A1_GATEWAY_SIGNER: uris[name] }, { cwd: dir });
    try {
      const client = new ContractClient(gateway.url);
      const admin = client.with({ credential: SECRET });
      const advertised = (await client.health()).json.signing_pk_hex as string;
      expect((await client.wellKnown()).json.gateway_signing_pk_hex).toBe(advertised);

      const agent = LocalSigner.generate();
      const issued = await admin.issueCert({ delegate_pk_hex: toHex(agent.verifyingKey()), intents: [{ name: 'invoice.pay' }], ttl_seconds: 900 });
      expect(issued.status, issued.text).toBe(201);

      // Offline, with @a1/core only: the cert is signed by the advertised key and authorizes the intent.
      const cert = parseCert(JSON.stringify(issued.json.cert));
      expect(toHex(cert.delegatorPk)).toBe(advertised);
      expect(verifyCertSignature(cert)).toBe(true);
      const chain = oneHopChain(advertised, issued.json);
      const receipt = await authorize(parseSignedChain(JSON.stringify(chain)), { agentPk: agent.verifyingKey(), intent: intentHash('invoice.pay') });
      expect(receipt.chainDepth).toBe(1);

      expect((await admin.revoke(issued.json.fingerprint_hex)).status).toBe(200);
      const refused = await client.authorize({ chain, intent_name: 'invoice.pay', executor_pk_hex: toHex(agent.verifyingKey()) });
      expect(refused.status).toBe(403);
      expect(refused.json.error_code).toBe('CERT_REVOKED');
    } finally {
      // Graceful shutdown on SIGTERM: exit code 0.
      expect(await gateway.stop()).toBe(0);
    }
  });

  it('one public-key fetch per gateway process (AWS)', () => {
    expect(aws.calls.get('GetPublicKey')).toBe(1);
    expect(aws.calls.get('Sign')).toBe(1);
  });

  it('a bad signer URI stops the binary with exit code 2 and a message naming the variable', async () => {
    await expect(startGatewayProcess({ ...env, A1_GATEWAY_SIGNER: 'nope:thing' }, { cwd: dir })).rejects.toThrow(/exited with 2[\s\S]*scheme/);
    await expect(startGatewayProcess({ ...env, A1_GATEWAY_SIGNER: '' }, { cwd: dir })).rejects.toThrow(/exited with 2[\s\S]*A1_GATEWAY_SIGNER/);
  });
});
