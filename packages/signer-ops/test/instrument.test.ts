/**
 * instrument() and instrumentAuthorize() read back through the OpenTelemetry SDK's in-memory
 * exporters, in front of real signers (the AWS KMS and Vault emulators) and a third-party one.
 */
import { A1Error, authorize, CertBuilder, intentHash, LocalSigner, type AsyncSigner } from '@a1/core';
import { startAwsKms, type AwsKmsEmulator, type VaultTransitEmulator } from '@a1/emulators';
import { AwsKmsSigner } from '@a1/signer-aws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ATTR, failover, instrument, instrumentAuthorize, METRIC, withQuota } from '../src/index.js';
import { counted, otelHarness } from './support/otel.js';
import { plainSigner, signerRejection } from './support/third-party-signer.js';
import { restoreKey, startVault, vaultSigner } from './support/vault-pair.js';

const scope = intentHash('trade.equity');
let kms: AwsKmsEmulator;
let otel: ReturnType<typeof otelHarness>;

function awsSigner(): AwsKmsSigner {
  return new AwsKmsSigner({ keyId: 'alias/a1-root', endpoint: kms.endpoint, region: kms.region, clientConfig: { credentials: kms.clientConfig().credentials }, maxAttempts: 1 });
}

async function issue(signer: AsyncSigner) {
  const agent = LocalSigner.generate();
  const now = BigInt(Math.floor(Date.now() / 1000));
  const cert = await new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 600n }).buildAsync(signer);
  return { cert, agent, now };
}

beforeAll(async () => {
  kms = await startAwsKms({ keys: [{ alias: 'alias/a1-root' }] });
});
beforeEach(async () => {
  kms.faults.clear();
  await otel?.shutdown();
  otel = otelHarness();
});
afterAll(async () => {
  await otel?.shutdown();
  await kms?.close();
});

describe('instrument', () => {
  it('a span per verifyingKey and signMessage with provider, key id and outcome; signatures counted; latency recorded', async () => {
    const signer = instrument(awsSigner(), { tracer: otel.tracer, meter: otel.meter });
    expect(signer.provider).toBe('aws-kms');
    expect(signer.keyId).toBe('alias/a1-root');
    await issue(signer);
    await issue(signer);
    const spans = otel.spans();
    expect(spans.map((s) => s.name)).toEqual(['a1.signer verifyingKey', 'a1.signer signMessage', 'a1.signer verifyingKey', 'a1.signer signMessage']);
    expect(spans[1]!.attributes).toEqual({
      [ATTR.provider]: 'aws-kms',
      [ATTR.keyId]: 'alias/a1-root',
      [ATTR.operation]: 'signMessage',
      [ATTR.outcome]: 'ok',
    });
    const metrics = await otel.metrics();
    expect(counted(metrics.get(METRIC.signatures))).toBe(2);
    expect(counted(metrics.get(METRIC.signerDuration), { [ATTR.operation]: 'signMessage', [ATTR.outcome]: 'ok' })).toBe(2);
    expect(metrics.get(METRIC.signerDuration)!.descriptor.unit).toBe('s');
    await signer.close();
  });

  it('a throttled call: error span with the SignerError code and retryable flag; errors and throttles counted', async () => {
    const signer = instrument(awsSigner(), { tracer: otel.tracer, meter: otel.meter });
    await signer.verifyingKey();
    kms.faults.quota({ limit: 0, windowMs: 60_000, operation: 'Sign' });
    const error = await signerRejection(issue(signer));
    expect(error.code).toBe('Throttled');
    const span = otel.spans().find((s) => s.name === 'a1.signer signMessage')!;
    expect(span.status).toEqual({ code: 2, message: 'Throttled' });
    expect(span.attributes).toMatchObject({ [ATTR.outcome]: 'error', [ATTR.errorType]: 'Throttled', [ATTR.retryable]: true });
    const metrics = await otel.metrics();
    expect(counted(metrics.get(METRIC.errors), { [ATTR.errorType]: 'Throttled' })).toBe(1);
    expect(counted(metrics.get(METRIC.throttles))).toBe(1);
    expect(counted(metrics.get(METRIC.signatures))).toBe(0);
    await signer.close();
  });

  it('counts the retries of a failover group and the throttles a quota governor reacts to', async () => {
    const local = LocalSigner.generate();
    const a = plainSigner(local, 'a');
    const b = plainSigner(local, 'b');
    a.throttleNext = 1;
    const signer = instrument(withQuota(failover([a, b]), { ratePerSecond: 1_000, burst: 10 }), { tracer: otel.tracer, meter: otel.meter });
    await issue(signer); // a throttles, b signs: one failover retry
    a.throttleNext = 1;
    b.throttleNext = 1;
    await signerRejection(issue(signer)); // both throttle: a retry, then the governor eases off
    const metrics = await otel.metrics();
    expect(counted(metrics.get(METRIC.retries), { [ATTR.retryReason]: 'failover' })).toBe(2);
    expect(counted(metrics.get(METRIC.throttles), { [ATTR.retryReason]: 'quota' })).toBe(1);
    expect(counted(metrics.get(METRIC.throttles), { [ATTR.retryReason]: 'backend' })).toBe(1);
    expect(counted(metrics.get(METRIC.signatures))).toBe(1);
  });

  it('never puts a secret or an error message in spans or metrics', async () => {
    const vault: VaultTransitEmulator = await startVault();
    const signer = instrument(vaultSigner(vault), { tracer: otel.tracer, meter: otel.meter });
    await issue(signer);
    vault.faults.inject({ fault: { kind: 'unavailable' }, operation: 'Sign' });
    const error = await signerRejection(issue(signer));
    const exported = JSON.stringify({ spans: otel.spans().map((s) => ({ a: s.attributes, st: s.status, ev: s.events })), metrics: [...(await otel.metrics()).values()] });
    expect(exported).not.toContain(vault.rootToken);
    expect(exported).not.toContain(error.message);
    expect(exported).toContain('Unavailable');
    await signer.close();
    await vault.close();
  });

  it('works with no OpenTelemetry SDK installed (the API is a no-op) and with a third-party signer', async () => {
    const signer = instrument(plainSigner());
    const { cert } = await issue(signer);
    expect(cert.signature).toHaveLength(64);
    expect(signer.provider).toBe('third-party');
  });
});

describe('instrumentAuthorize', () => {
  it('counts verifications and records latency by outcome: ok or the A1Error code', async () => {
    const root = LocalSigner.generate();
    const verify = instrumentAuthorize(authorize, { tracer: otel.tracer, meter: otel.meter });
    const { cert, agent, now } = await issue(plainSigner(root));
    const chain = { principalPk: root.verifyingKey(), principalScope: scope, certs: [cert] };
    await verify(chain, { agentPk: agent.verifyingKey(), intent: scope, now });
    const wrongAgent = LocalSigner.generate().verifyingKey();
    const failure = await verify(chain, { agentPk: wrongAgent, intent: scope, now }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(A1Error);
    const metrics = await otel.metrics();
    expect(counted(metrics.get(METRIC.authorizations), { [ATTR.outcome]: 'ok' })).toBe(1);
    expect(counted(metrics.get(METRIC.authorizations), { [ATTR.outcome]: (failure as A1Error).code })).toBe(1);
    expect(counted(metrics.get(METRIC.authorizeDuration))).toBe(2);
    expect(otel.spans().filter((s) => s.name === 'a1.authorize').map((s) => s.attributes[ATTR.outcome])).toEqual(['ok', (failure as A1Error).code]);
  });
});

describe('the wrappers compose over real providers', () => {
  it('withQuota(instrument(failover([vault, vault]))) issues certs that verify offline', async () => {
    const [p, r] = await Promise.all([startVault(), startVault()]);
    restoreKey(p, r);
    const signer = withQuota(instrument(failover([vaultSigner(p), vaultSigner(r)]), { tracer: otel.tracer, meter: otel.meter }), { ratePerSecond: 100, burst: 5 });
    const { cert, agent, now } = await issue(signer);
    await authorize({ principalPk: await signer.verifyingKey(), principalScope: scope, certs: [cert] }, { agentPk: agent.verifyingKey(), intent: scope, now });
    expect(signer.provider).toBe('vault-transit');
    await signer.close();
    await Promise.all([p.close(), r.close()]);
  });
});
