/**
 * The wrappers over a real PKCS#11 HSM (SoftHSM2 through @a1/signer-pkcs11): composed, they issue
 * certs that verify offline; failover refuses two HSM keys that differ; the journal records the
 * PKCS#11 provider. Missing SoftHSM2 fails under CI=true and skips visibly elsewhere.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorize, CertBuilder, intentHash, LocalSigner, type AsyncSigner } from '@a1/core';
import { generateEd25519KeyPair, Pkcs11Signer } from '@a1/signer-pkcs11';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { failover, instrument, IssuanceJournal, verifyJournal, withQuota } from '../src/index.js';
import { createTokens, describeWithSoftHsm, USER_PIN, type TestToken } from '../../signer-pkcs11/test/softhsm.js';
import { signerRejection } from './support/third-party-signer.js';

const scope = intentHash('trade.equity');

describeWithSoftHsm('signer-ops wrappers over Pkcs11Signer on SoftHSM2', ({ modulePath, util }) => {
  let token: TestToken;
  const opened: AsyncSigner[] = [];
  const hsm = (label: string) => {
    const s = new Pkcs11Signer({ module: modulePath, tokenLabel: 'a1-ops', pin: USER_PIN, label });
    opened.push(s);
    return s;
  };

  async function issueAndVerify(signer: AsyncSigner) {
    const agent = LocalSigner.generate();
    const now = BigInt(Math.floor(Date.now() / 1000));
    const cert = await new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 600n }).buildAsync(signer);
    await authorize({ principalPk: await signer.verifyingKey(), principalScope: scope, certs: [cert] }, { agentPk: agent.verifyingKey(), intent: scope, now });
    return cert;
  }

  beforeAll(async () => {
    [token] = createTokens({ modulePath, util }, ['a1-ops']) as [TestToken];
    await generateEd25519KeyPair({ module: modulePath, token: 'a1-ops', pin: USER_PIN, label: 'root', id: Uint8Array.of(1) });
    await generateEd25519KeyPair({ module: modulePath, token: 'a1-ops', pin: USER_PIN, label: 'other', id: Uint8Array.of(2) });
  });
  afterAll(async () => {
    await Promise.all(opened.map((s) => s.close?.()));
    token?.remove();
  });

  it('withQuota(instrument(failover([hsm, hsm]))) issues certs that verify, keeping provider and key id', async () => {
    const signer = withQuota(instrument(failover([hsm('root'), hsm('root')])), { ratePerSecond: 200, burst: 4, maxInFlight: 4 });
    expect(signer.provider).toBe('pkcs11');
    expect(signer.keyId).toBe(hsm('root').keyId);
    await Promise.all(Array.from({ length: 8 }, () => issueAndVerify(signer)));
  });

  it('failover refuses two HSM keys that differ', async () => {
    const error = await signerRejection(failover([hsm('root'), hsm('other')]).verifyingKey());
    expect(error.code).toBe('Misconfigured');
  });

  it('the journal records certs issued on the HSM', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'a1-journal-hsm-')), 'issued.jsonl');
    const journal = await IssuanceJournal.open(file);
    const signer = hsm('root');
    const entry = await journal.record(await issueAndVerify(signer), signer);
    expect(entry.provider).toBe('pkcs11');
    expect(await verifyJournal(file)).toMatchObject({ ok: true, entries: 1 });
  });
});
