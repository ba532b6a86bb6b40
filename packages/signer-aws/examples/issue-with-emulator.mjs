// Issue and verify an A1 cert with a root key held by (an emulator of) AWS KMS.
// Run from packages/signer-aws after `pnpm build`: node examples/issue-with-emulator.mjs
import { authorize, CertBuilder, intentHash, LocalSigner } from '@a1/core';
import { startAwsKms } from '@a1/emulators';
import { AwsKmsSigner } from '@a1/signer-aws';

// On Node 20 the AWS SDK prints a 9-line notice that its releases after January 2027 need Node 22.
// This is the SDK's documented opt-out (aws/aws-sdk-js-v3#7983); not needed on Node 22 or later.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A loopback AWS KMS with one Ed25519 key (ECC_NIST_EDWARDS25519) behind alias/a1-root.
const kms = await startAwsKms({ keys: [{ alias: 'alias/a1-root' }] });
const { endpoint, region, credentials } = kms.clientConfig();

const signer = new AwsKmsSigner({ keyId: 'alias/a1-root', region, endpoint, clientConfig: { credentials } });
const agent = LocalSigner.generate();
const scope = intentHash('trade.equity');
const now = BigInt(Math.floor(Date.now() / 1000));

// KMS signs the cert's 32-byte signable message with pure Ed25519; the builder verifies it.
const cert = await new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 3600n })
  .buildAsync(signer);

// Offline verification: the root public key travels in the chain, no KMS call needed.
const chain = { principalPk: await signer.verifyingKey(), principalScope: scope, certs: [cert] };
await authorize(chain, { agentPk: agent.verifyingKey(), intent: scope, now });
console.log(`cert verified, signed by ${signer.keyArn}`);
console.log(`emulator calls: ${JSON.stringify(kms.calls.snapshot())}`);

await signer.close();
await kms.close();
