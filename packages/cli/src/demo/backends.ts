/**
 * The demo's key backends: the four loopback emulators (real wire protocols, real vendor SDKs on
 * our side) and SoftHSM2 when installed. Each gets an Ed25519 key and a signer URI; the
 * environment is set the way an operator would set it for the SDKs.
 */
import type { SignerFromUriOptions } from '@a1/signer-uri';
import { createDemoToken, findSoftHsm, type SoftHsmToken } from './softhsm-token.js';

type Emulators = typeof import('@a1/emulators');

export interface DemoBackend {
  name: string;
  uri: string;
  options: SignerFromUriOptions;
  /** Signatures the backend itself counted (emulator counters); undefined when it keeps none. */
  signCalls(): number | undefined;
}

export interface DemoBackends {
  backends: DemoBackend[];
  /** Why SoftHSM2 is missing, when it is. */
  softHsmMissing?: string;
  vault: Awaited<ReturnType<Emulators['startVaultTransit']>>;
  close(): Promise<void>;
}

export async function startBackends(emulators: Emulators): Promise<DemoBackends> {
  const closers: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const closeOne of closers.reverse()) await closeOne();
  };
  try {
    const [aws, gcp, vault, azure] = await Promise.all([
      emulators.startAwsKms(),
      emulators.startGcpKms(),
      emulators.startVaultTransit(),
      emulators.startAzureKeyVault(),
    ]);
    closers.push(() => aws.close(), () => gcp.close(), () => vault.close(), () => azure.close());

    aws.createKey({ alias: 'alias/a1-demo' });
    const gcpKey = gcp.createKey({ project: 'acme', location: 'global', keyRing: 'a1', key: 'a1-root' });
    vault.createKey({ name: 'a1-root', type: 'ed25519' });
    azure.createKey({ name: 'a1-root', kty: 'OKP' });

    // What an operator exports for the SDKs: AWS credentials chain and Vault's own variables.
    const { credentials } = aws.clientConfig();
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      VAULT_ADDR: vault.endpoint,
      VAULT_TOKEN: vault.rootToken,
    });

    const awsHost = new URL(aws.endpoint).host;
    const backends: DemoBackend[] = [
      { name: 'AWS KMS', uri: `awskms://${awsHost}/alias/a1-demo?region=${aws.region}`, options: {}, signCalls: () => aws.calls.get('Sign') },
      { name: 'Cloud KMS', uri: `gcpkms://${gcpKey.name}?endpoint=${gcp.endpoint}`, options: {}, signCalls: () => gcp.calls.get('AsymmetricSign') },
      { name: 'Vault Transit', uri: 'hashivault://a1-root?mount=transit', options: {}, signCalls: () => vault.calls.get('Sign') },
      {
        name: 'Azure Managed HSM*',
        uri: `azurekms://${new URL(azure.endpoint).host}/a1-root`,
        options: { azure: { credential: azure.credential(), clientOptions: { tlsOptions: { ca: azure.ca } } } },
        signCalls: () => azure.calls.get('Sign'),
      },
    ];

    const install = findSoftHsm();
    let softHsmMissing: string | undefined;
    if (install) {
      const token: SoftHsmToken = await createDemoToken(install);
      closers.push(() => token.remove());
      backends.push({ name: 'PKCS#11 (SoftHSM2)', uri: token.uri, options: {}, signCalls: () => undefined });
    } else {
      softHsmMissing = 'SoftHSM2 is not installed, so the PKCS#11 backend is skipped (install it: sudo apt-get install softhsm2, or scripts/ensure-softhsm.sh)';
    }
    return { backends, vault, close, ...(softHsmMissing ? { softHsmMissing } : {}) };
  } catch (error) {
    await close();
    throw error;
  }
}
