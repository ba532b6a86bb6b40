// One key in two Regions (a multi-Region key): the primary Region is down, the replica signs.
// Here the "primary" endpoint is a closed port and both signers name the same emulated key.
import { CertBuilder, intentHash, LocalSigner } from '@a1/core';
import { startAwsKms } from '@a1/emulators';
import { AwsKmsSigner } from '@a1/signer-aws';
import { failover } from '@a1/signer-ops';

// On Node 20 the AWS SDK prints a notice that its 2027 releases need Node 22; its documented opt-out.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const kms = await startAwsKms({ keys: [{ alias: 'alias/a1-root' }] });
const { credentials } = kms.clientConfig();
const primary = new AwsKmsSigner({ keyId: 'alias/a1-root', region: kms.region, endpoint: 'http://127.0.0.1:9', clientConfig: { credentials }, maxAttempts: 1 });
const replica = new AwsKmsSigner({ keyId: 'alias/a1-root', endpoint: kms.endpoint, region: kms.region, clientConfig: { credentials } });
const signer = failover([primary, replica], { hedgeAfterMs: 500 });

const now = BigInt(Math.floor(Date.now() / 1000));
const cert = await new CertBuilder({ delegatePk: LocalSigner.generate().verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: now, expirationUnix: now + 3600n }).buildAsync(signer);
console.log(`issued ${Buffer.from(cert.signature).toString('hex').slice(0, 16)}… on the replica (${kms.calls.get('Sign')} Sign there)`);
await signer.close();
await kms.close();
