// An issuing process of its own: its own AWS KMS signer, its own Redis client, its own event loop,
// all governed by one quota bucket in Redis shared with its siblings. The parent sends one
// { kind: 'issue', count } and gets back the outcome of each issuance.
import { CertBuilder, intentHash, LocalSigner } from '@a1/core';
import { AwsKmsSigner } from '@a1/signer-aws';
import { withQuota } from '../../dist/index.js';

const config = JSON.parse(process.env.A1_OPS_WORKER_CONFIG ?? '{}');

// One attempt per Sign: a throttle is an error here, never hidden by a retry.
const kms = new AwsKmsSigner({ keyId: config.keyId, endpoint: config.endpoint, region: config.region, clientConfig: { credentials: config.credentials }, maxAttempts: 1, timeoutMs: 60_000 });
await kms.verifyingKey();
const scopeRoot = intentHash('trade.equity');

let timeoutRetries = 0;

// A Sign the loaded machine left unanswered past the signer's deadline (a Timeout, which the signer
// never retries itself) is tried again, as an application would; a throttle is never retried.
async function issue(signer, attempt = 1) {
  const now = BigInt(Math.floor(Date.now() / 1000));
  try {
    await new CertBuilder({ delegatePk: LocalSigner.generate().verifyingKey(), scopeRoot, issuedAt: now, expirationUnix: now + 600n }).buildAsync(signer);
  } catch (error) {
    if (error?.code !== 'Timeout' || attempt >= 3) throw error;
    timeoutRetries += 1;
    return issue(signer, attempt + 1);
  }
}

process.on('message', async (message) => {
  if (message.kind === 'issue') {
    // A shared bucket lives in Redis; without one, each process paces itself alone.
    const shared = message.bucketKey ? { shared: { url: config.redisUrl, key: message.bucketKey, timeoutMs: 30_000 } } : {};
    const signer = withQuota({ provider: kms.provider, keyId: kms.keyId, verifyingKey: () => kms.verifyingKey(), signMessage: (m, o) => kms.signMessage(m, o) }, { ...message.quota, ...shared });
    await signer.verifyingKey();
    process.send({ kind: 'started' });
    const failures = [];
    timeoutRetries = 0;
    const outcomes = await Promise.all(
      Array.from({ length: message.count }, () =>
        issue(signer).then(
          () => 'ok',
          (e) => {
            failures.push(`${e?.code}: ${e?.message} / ${e?.cause?.name}: ${e?.cause?.message}`);
            return e?.code ?? String(e);
          },
        ),
      ),
    );
    await signer.close(); // the bucket's own Redis client; the KMS signer stays open
    process.send({ kind: 'done', outcomes, failures: failures.slice(0, 3), timeoutRetries });
  } else if (message.kind === 'close') {
    await kms.close();
    process.exit(0);
  }
});
process.send({ kind: 'ready' });
