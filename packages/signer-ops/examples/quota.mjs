// 200 certs at once through one AWS KMS key, paced under a 50 Sign/s quota by a bucket in Redis
// that every process using this key would share. (The emulator stands in for KMS.)
import { CertBuilder, intentHash, LocalSigner } from '@a1/core';
import { startAwsKms } from '@a1/emulators';
import { AwsKmsSigner } from '@a1/signer-aws';
import { withQuota } from '@a1/signer-ops';

// On Node 20 the AWS SDK prints a notice that its 2027 releases need Node 22; its documented opt-out.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const kms = await startAwsKms({ keys: [{ alias: 'alias/a1-root' }], quotas: [{ limit: 50, windowMs: 1000, operation: 'Sign' }] });
const { credentials } = kms.clientConfig();
const signer = withQuota(new AwsKmsSigner({ keyId: 'alias/a1-root', endpoint: kms.endpoint, region: kms.region, clientConfig: { credentials } }), {
  ratePerSecond: 45, // a little under the quota: calls reserved late in one second may land early in the next
  maxInFlight: 16,
  queueDeadlineMs: 30_000,
  shared: { url: process.env.A1_REDIS_URL, key: 'a1:quota:aws:us-east-1' },
});

const now = BigInt(Math.floor(Date.now() / 1000));
const issue = () =>
  new CertBuilder({ delegatePk: LocalSigner.generate().verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: now, expirationUnix: now + 3600n }).buildAsync(signer);
const started = Date.now();
const certs = await Promise.all(Array.from({ length: 200 }, issue));
console.log(`${certs.length} certs in ${((Date.now() - started) / 1000).toFixed(1)} s, ${kms.calls.get('Sign')} Sign calls (no throttle retried)`);
await signer.close();
await kms.close();
