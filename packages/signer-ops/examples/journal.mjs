// Record each issued cert in a hash-chained journal, then verify the chain (as `a1-journal verify FILE` does).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CertBuilder, intentHash, LocalSigner } from '@a1/core';
import { IssuanceJournal, verifyJournal } from '@a1/signer-ops';

const signer = LocalSigner.generate(); // any signer: AwsKmsSigner, VaultTransitSigner, Pkcs11Signer…
const file = join(mkdtempSync(join(tmpdir(), 'a1-journal-')), 'issued.jsonl');
const journal = await IssuanceJournal.open(file);
const now = BigInt(Math.floor(Date.now() / 1000));
for (let i = 0; i < 3; i++) {
  const cert = await new CertBuilder({ delegatePk: LocalSigner.generate().verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: now, expirationUnix: now + 3600n }).buildAsync(signer);
  await journal.record(cert, signer);
}
console.log(await verifyJournal(file, { expectHead: journal.head }));
