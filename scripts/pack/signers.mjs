/**
 * One entry per signer package: its vendor, the emulator it talks to, and how a user would
 * construct it against that emulator's printed description (`d`). The same body runs as ESM
 * (`import()`) and as CommonJS (`require`), so both builds issue and verify a real cert.
 */
export const SIGNERS = [
  {
    name: '@a1/signer-aws',
    vendor: 'aws',
    backend: 'aws',
    className: 'AwsKmsSigner',
    construct: `new mod.AwsKmsSigner({ keyId: d.env.A1_KMS_KEY_ID, region: d.region, endpoint: d.endpoint, clientConfig: { credentials: d.credentials[0] } })`,
  },
  {
    name: '@a1/signer-gcp',
    vendor: 'gcp',
    backend: 'gcp',
    className: 'GcpKmsSigner',
    construct: `new mod.GcpKmsSigner({ name: d.keys.find((k) => k.algorithm === 'EC_SIGN_ED25519').name, endpoint: d.endpoint })`,
  },
  {
    name: '@a1/signer-vault',
    vendor: 'vault',
    backend: 'vault',
    className: 'VaultTransitSigner',
    construct: `new mod.VaultTransitSigner({ endpoint: d.endpoint, keyName: d.env.A1_VAULT_KEY, token: d.rootToken })`,
  },
  {
    name: '@a1/signer-azure',
    vendor: 'azure',
    backend: 'azure',
    className: 'AzureKeyVaultSigner',
    construct: `new mod.AzureKeyVaultSigner({
      vaultUrl: d.endpoint,
      keyName: d.env.A1_AZURE_KEY,
      credential: { getToken: async () => ({ token: d.token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
      clientOptions: { tlsOptions: { ca: d.ca }, disableChallengeResourceVerification: true },
    })`,
  },
  {
    name: '@a1/signer-pkcs11',
    vendor: 'pkcs11',
    backend: null, // a SoftHSM2 token, set up by the harness through A1_PKCS11_* variables
    className: 'Pkcs11Signer',
    construct: `mod.Pkcs11Signer.fromEnv(process.env)`,
  },
];

/**
 * The smoke program: load core and the signer (checking which file each resolved to), build a
 * cert with the backend's key, round-trip it through JSON and authorize it offline.
 * `A1_PACK_EMULATOR` holds the emulator's JSON; `A1_PACK_LOAD_ONLY=1` stops after loading.
 */
export function smokeProgram(signer, format) {
  const esm = format === 'esm';
  const load = esm ? 'async (name) => import(name)' : 'async (name) => require(name)';
  const resolved = esm ? '(name) => import.meta.resolve(name)' : '(name) => require.resolve(name)';
  const ext = esm ? '.js' : '.cjs';
  return `${esm ? '' : "'use strict';\n"}const load = ${load};
const resolved = ${resolved};
const main = async () => {
  for (const name of ['@a1/core', ${JSON.stringify(signer.name)}]) {
    const file = resolved(name);
    if (!file.endsWith('/dist/index${ext}')) throw new Error(name + ' resolved to ' + file + ', expected dist/index${ext}');
  }
  const core = await load('@a1/core');
  const mod = await load(${JSON.stringify(signer.name)});
  if (typeof mod.${signer.className} !== 'function') throw new Error('${signer.className} is not exported');
  if (process.env.A1_PACK_LOAD_ONLY === '1') return { loaded: true };
  const d = JSON.parse(process.env.A1_PACK_EMULATOR || '{}');
  const signer = ${signer.construct};
  try {
    const agent = core.LocalSigner.generate();
    const scope = core.intentHash('trade.equity');
    const now = BigInt(Math.floor(Date.now() / 1000));
    const cert = await new core.CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 600n }).buildAsync(signer);
    const chain = { principalPk: await signer.verifyingKey(), principalScope: scope, certs: [cert] };
    const received = core.parseSignedChain(core.serializeSignedChain(chain));
    const receipt = await core.authorize(received, { agentPk: agent.verifyingKey(), intent: scope, now });
    return { verified: true, depth: Number(receipt.chainDepth), keyId: signer.keyId };
  } finally {
    await signer.close?.();
  }
};
main().then(
  (result) => { console.log(JSON.stringify(result)); process.exit(0); },
  (error) => { console.error(error && error.stack ? error.stack : String(error)); process.exit(1); },
);
`;
}

/** TypeScript users' program: the signer class is an AsyncSigner and feeds CertBuilder.buildAsync. */
export function typescriptProgram(signer) {
  return `import { CertBuilder, LocalSigner, intentHash, type AsyncSigner, type DelegationCert } from '@a1/core';
import { ${signer.className} } from '${signer.name}';

export async function issue(root: ${signer.className}): Promise<DelegationCert> {
  const contract: AsyncSigner = root;
  const agent = LocalSigner.generate();
  const scope: Uint8Array = intentHash('trade.equity');
  const pk: Uint8Array = await contract.verifyingKey();
  void pk;
  return new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: 0n, expirationUnix: 60n }).buildAsync(contract);
}
`;
}
