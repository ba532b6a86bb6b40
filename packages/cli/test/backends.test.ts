// `a1` against every key backend through the real vendor SDKs: the four loopback emulators (one
// set for the file) and a SoftHSM2 token. Credentials come from the variables the SDKs read.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startAwsKms, startAzureKeyVault, startGcpKms, startVaultTransit } from '@a1/emulators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSync } from '../../../scripts/lib/run.mjs';
import { findSoftHsm } from '../src/demo/softhsm-token.js';
import { baseEnv, hasStackTrace, json, runA1, tempDir } from './helpers.js';

type Started<T extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<T>>;

const tmp = tempDir();
const cwd = tmp.dir;
let aws: Started<typeof startAwsKms>;
let gcp: Started<typeof startGcpKms>;
let vault: Started<typeof startVaultTransit>;
let azure: Started<typeof startAzureKeyVault>;
let env: NodeJS.ProcessEnv;
const uris: Record<string, string> = {};
let agent = '';
const softhsm = findSoftHsm();
const PIN = 'cli-test-pin-4821';

beforeAll(async () => {
  [aws, gcp, vault, azure] = await Promise.all([startAwsKms(), startGcpKms(), startVaultTransit(), startAzureKeyVault()]);
  aws.createKey({ alias: 'alias/a1-cli' });
  aws.createKey({ alias: 'alias/p256', keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
  const gcpKey = gcp.createKey({ project: 'acme', location: 'global', keyRing: 'a1', key: 'root' });
  vault.createKey({ name: 'a1-root', type: 'ed25519' });
  vault.createKey({ name: 'not-ed25519', type: 'ecdsa-p256' });
  azure.createKey({ name: 'a1-root', kty: 'OKP' });
  writeFileSync(join(cwd, 'azure-ca.pem'), azure.ca);
  const { credentials } = aws.clientConfig();
  env = baseEnv({
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    VAULT_ADDR: vault.endpoint,
    VAULT_TOKEN: vault.rootToken,
    A1_AZURE_TOKEN: azure.token,
    NODE_EXTRA_CA_CERTS: join(cwd, 'azure-ca.pem'),
  });
  uris.aws = `awskms://${new URL(aws.endpoint).host}/alias/a1-cli?region=${aws.region}`;
  uris.gcp = `gcpkms://${gcpKey.name}?endpoint=${gcp.endpoint}`;
  uris.vault = 'hashivault://a1-root?mount=transit';
  uris.azure = `azurekms://${new URL(azure.endpoint).host}/a1-root`;
  if (softhsm) {
    mkdirSync(join(cwd, 'tokens'));
    const conf = join(cwd, 'softhsm2.conf');
    writeFileSync(conf, `directories.tokendir = ${join(cwd, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
    runSync(softhsm.util, ['--init-token', '--free', '--label', 'a1-cli', '--so-pin', `so-${PIN}`, '--pin', PIN], { env: { ...process.env, SOFTHSM2_CONF: conf } });
    process.env.SOFTHSM2_CONF = conf;
    const { generateEd25519KeyPair } = await import('@a1/signer-pkcs11');
    await generateEd25519KeyPair({ module: softhsm.modulePath, token: 'a1-cli', pin: PIN, label: 'a1-root' });
    env.SOFTHSM2_CONF = conf;
    env.A1_TEST_PKCS11_PIN = PIN;
    uris.pkcs11 = `pkcs11:token=a1-cli;object=a1-root?module-path=${softhsm.modulePath}&pin-source=env:A1_TEST_PKCS11_PIN`;
  }
  agent = (await runA1(['keygen', '-o', 'agent.key'], { cwd, env })).stdout.trim();
}, 60_000);

afterAll(async () => {
  await Promise.all([aws?.close(), gcp?.close(), vault?.close(), azure?.close()]);
  tmp.remove();
});

const a1 = (...args: string[]) => runA1(args, { cwd, env });

describe('every backend: pubkey → passport issue → cert issue → verify', () => {
  const backends = ['aws', 'gcp', 'vault', 'azure', ...(softhsm || process.env.CI ? ['pkcs11'] : [])];
  it.each(backends)('%s', async (name) => {
    expect(uris[name], `${name}: SoftHSM2 missing (CI needs it)`).toBeDefined();
    const uri = uris[name]!;
    const pub = await a1('pubkey', '--signer', uri, '--json');
    expect(pub.code, pub.stderr).toBe(0);
    const { public_key: publicKey, key_id: keyId } = json<{ public_key: string; key_id: string }>(pub.stdout);
    expect(publicKey).toMatch(/^[0-9a-f]{64}$/);
    expect(keyId).toBeTruthy();

    const passport = await a1('passport', 'issue', '--signer', uri, '--namespace', `acme-${name}`, '--capabilities', 'trade.equity,audit.read', '--ttl', '1d', '-o', `${name}-passport.json`, '--json');
    expect(passport.code, passport.stderr).toBe(0);
    expect(json(passport.stdout)).toMatchObject({ holder_pk: publicKey, namespace: `acme-${name}` });

    const cert = await a1('cert', 'issue', '--signer', uri, '--passport', `${name}-passport.json`, '--delegate', agent, '--capabilities', 'trade.equity', '--ttl', '1h', '-o', `${name}-chain.json`);
    expect(cert.code, cert.stderr).toBe(0);
    expect(cert.stderr).toBe('');

    const verified = await a1('verify', '--chain', `${name}-chain.json`, '--agent', agent, '--intent', 'trade.equity', '--passport', `${name}-passport.json`);
    expect(verified.code, verified.stderr).toBe(0);
    const refused = await a1('verify', '--chain', `${name}-chain.json`, '--agent', agent, '--intent', 'audit.read', '--root', publicKey);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('ScopeViolation');
  });

  it('counts: one GetPublicKey per process, one Sign per cert (AWS)', () => {
    // pubkey (1 process), passport issue (1), cert issue (1): three key reads, two signatures.
    expect(aws.calls.get('GetPublicKey')).toBe(3);
    expect(aws.calls.get('Sign')).toBe(2);
  });
});

describe('backend failures: exit 3 (or 2 for configuration), the code, no stack trace', () => {
  it('a key that is not Ed25519 (Vault ecdsa-p256) → WrongKeyType, exit 3', async () => {
    const result = await a1('pubkey', '--signer', 'hashivault://not-ed25519');
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('WrongKeyType');
    expect(hasStackTrace(result.stderr)).toBe(false);
  });

  it('a P-256 AWS key → WrongKeyType, exit 3, JSON names the provider', async () => {
    const result = await a1('pubkey', '--signer', `awskms://${new URL(aws.endpoint).host}/alias/p256?region=${aws.region}`, '--json');
    expect(result.code).toBe(3);
    expect(json<{ error: Record<string, unknown> }>(result.stderr).error).toMatchObject({ code: 'WrongKeyType', provider: 'aws-kms', exit_code: 3 });
  });

  it('a missing key → KeyNotFound, exit 3', async () => {
    const result = await a1('pubkey', '--signer', `gcpkms://projects/acme/locations/global/keyRings/a1/cryptoKeys/nope/cryptoKeyVersions/1?endpoint=${gcp.endpoint}`);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('KeyNotFound');
  });

  it('a wrong Vault token → AccessDenied, exit 3, the token never printed', async () => {
    const result = await runA1(['pubkey', '--signer', uris.vault!], { cwd, env: { ...env, VAULT_TOKEN: 'hvs.secret-token-value-123' } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('AccessDenied');
    expect(result.stderr).not.toContain('secret-token-value');
  });

  it('a malformed provider URI → Misconfigured, exit 2', async () => {
    const result = await a1('pubkey', '--signer', 'awskms:///alias/a1?region=mars&color=red');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Misconfigured');
  });

  it('a wrong PKCS#11 PIN → exit 3, the PIN never printed', async () => {
    if (!uris.pkcs11) return;
    const result = await runA1(['pubkey', '--signer', uris.pkcs11], { cwd, env: { ...env, A1_TEST_PKCS11_PIN: 'wrong-pin-9137' } });
    expect(result.code).toBe(3);
    expect(result.stderr).not.toContain('wrong-pin-9137');
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});

describe('messages say the provider and the key once (issue 11 #1)', () => {
  const count = (text: string, part: string) => text.split(part).length - 1;

  it('WrongKeyType from Vault: vault-transit and the key path once each', async () => {
    const result = await a1('pubkey', '--signer', 'hashivault://not-ed25519');
    expect(result.code).toBe(3);
    expect(count(result.stderr, 'vault-transit'), result.stderr).toBe(1);
  });

  it('WrongKeyType from AWS: aws-kms once', async () => {
    const result = await a1('pubkey', '--signer', `awskms://${new URL(aws.endpoint).host}/alias/p256?region=${aws.region}`);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^a1: WrongKeyType: aws-kms key alias\/p256: /);
    expect(count(result.stderr, 'aws-kms'), result.stderr).toBe(1);
  });
});

describe('PKCS#11 pin-value warning (issue 11 #9)', () => {
  it('is printed as an a1 message, not in Node\'s process-warning format, and never shows the PIN', async () => {
    if (!uris.pkcs11) {
      if (process.env.CI === 'true') throw new Error('SoftHSM2 is missing under CI=true');
      return;
    }
    const uri = uris.pkcs11.replace('pin-source=env:A1_TEST_PKCS11_PIN', `pin-value=${PIN}`);
    const result = await a1('pubkey', '--signer', uri);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('a1: warning: a PKCS#11 URI carries pin-value; prefer pin-source=env:NAME or file:/path');
    expect(result.stderr).not.toContain('(node:');
    expect(result.stderr).not.toContain('--trace-warnings');
    expect(result.stderr).not.toContain(PIN);
    const asJson = await a1('pubkey', '--signer', uri, '--json');
    expect(json<{ warning: { code: string } }>(asJson.stderr.trim()).warning.code).toBe('A1_PKCS11_PIN_VALUE');
  });
});

describe('cert batch against a KMS', () => {
  it('issues many certs concurrently through Vault', async () => {
    const agents = await Promise.all([1, 2, 3, 4, 5, 6].map(async (i) => (await a1('keygen', '-o', `batch-${i}.key`)).stdout.trim()));
    writeFileSync(join(cwd, 'vault-requests.jsonl'), agents.map((d) => JSON.stringify({ delegate: d, capabilities: ['trade.equity'], ttl: '15m' })).join('\n'));
    const before = vault.calls.get('Sign');
    const result = await a1('cert', 'batch', '--signer', uris.vault!, '--passport', 'vault-passport.json', '--input', 'vault-requests.jsonl', '-o', 'vault-out.jsonl', '--concurrency', '3', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(json(result.stdout)).toMatchObject({ issued: 6, failed: 0, concurrency: 3, provider: 'vault-transit' });
    expect(vault.calls.get('Sign') - before).toBe(6);
  });
});
