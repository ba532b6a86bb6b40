/**
 * The issuance journal: certs issued by a real signer (AWS KMS emulator) and a third-party one are
 * recorded as a hash chain; verifyJournal and the `a1-journal` bin catch an edited, deleted or
 * moved line, and a cut-off end when the head is known.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CertBuilder, certFingerprint, intentHash, LocalSigner, toHex, type AsyncSigner } from '@a1/core';
import { startAwsKms, type AwsKmsEmulator } from '@a1/emulators';
import { AwsKmsSigner } from '@a1/signer-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IssuanceJournal, verifyJournal } from '../src/index.js';
import { plainSigner } from './support/third-party-signer.js';

const scope = intentHash('trade.equity');
const dir = mkdtempSync(join(tmpdir(), 'a1-journal-'));
let kms: AwsKmsEmulator;
let counter = 0;

async function issue(signer: AsyncSigner) {
  const now = BigInt(Math.floor(Date.now() / 1000));
  return new CertBuilder({ delegatePk: LocalSigner.generate().verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 600n }).buildAsync(signer);
}

/** A journal of `n` entries written through the real AWS signer; returns its path and lines. */
async function journalOf(n: number): Promise<{ file: string; lines: string[]; journal: IssuanceJournal }> {
  const file = join(dir, `journal-${counter++}.jsonl`);
  const journal = await IssuanceJournal.open(file);
  const signer = new AwsKmsSigner({ keyId: 'alias/a1-root', endpoint: kms.endpoint, region: kms.region, clientConfig: { credentials: kms.clientConfig().credentials } });
  for (let i = 0; i < n; i++) await journal.record(await issue(signer), signer);
  await signer.close();
  return { file, lines: readFileSync(file, 'utf8').trimEnd().split('\n'), journal };
}

function rewrite(file: string, lines: string[]): void {
  writeFileSync(file, `${lines.join('\n')}\n`);
}

beforeAll(async () => {
  kms = await startAwsKms({ keys: [{ alias: 'alias/a1-root' }] });
});
afterAll(async () => {
  await kms?.close();
});

describe('IssuanceJournal', () => {
  it('records fingerprint, time, delegate, scope root, provider and key id; the chain verifies', async () => {
    const { file, lines, journal } = await journalOf(3);
    const first = JSON.parse(lines[0]!);
    expect(Object.keys(first)).toEqual(['seq', 'time', 'fingerprint', 'delegate', 'scopeRoot', 'provider', 'keyId', 'requestId', 'prev', 'hash']);
    expect(first).toMatchObject({ seq: 0, provider: 'aws-kms', keyId: 'alias/a1-root', scopeRoot: toHex(scope), prev: '0'.repeat(64) });
    expect(JSON.parse(lines[1]!).prev).toBe(first.hash);
    expect(await verifyJournal(file)).toEqual({ ok: true, entries: 3, head: journal.head });
  });

  it('records the fingerprint of the cert and a request id the signer exposes (optional lastRequestId)', async () => {
    const file = join(dir, 'third-party.jsonl');
    const journal = await IssuanceJournal.open(file);
    const signer = Object.assign(plainSigner(), { lastRequestId: 'req-0001' });
    const cert = await issue(signer);
    const entry = await journal.record(cert, signer);
    expect(entry.fingerprint).toBe(toHex(certFingerprint(cert)));
    expect(entry.delegate).toBe(toHex(cert.delegatePk));
    expect(entry.requestId).toBe('req-0001');
    expect((await journal.record(cert, signer, { requestId: 'req-0002' })).requestId).toBe('req-0002');
  });

  it('keeps the chain across reopening, and under concurrent records', async () => {
    const { file } = await journalOf(2);
    const reopened = await IssuanceJournal.open(file);
    const signer = plainSigner();
    const certs = await Promise.all(Array.from({ length: 5 }, () => issue(signer)));
    await Promise.all(certs.map((c) => reopened.record(c, signer)));
    expect(await verifyJournal(file)).toMatchObject({ ok: true, entries: 7 });
  });

  it.each([
    ['an edited line', (l: string[]) => { l[1] = l[1]!.replace(/"keyId":"[^"]*"/, '"keyId":"alias/other"'); }, 2, 'edited'],
    ['a deleted line', (l: string[]) => { l.splice(1, 1); }, 2, 'seq'],
    ['two lines swapped', (l: string[]) => { [l[1], l[2]] = [l[2]!, l[1]!]; }, 2, 'seq'],
    ['a line cut short', (l: string[]) => { l[3] = l[3]!.slice(0, 40); }, 4, 'JSON'],
  ])('finds %s', async (_name, tamper, line, word) => {
    const { file, lines } = await journalOf(4);
    tamper(lines);
    rewrite(file, lines);
    const verdict = await verifyJournal(file);
    expect(verdict).toMatchObject({ ok: false, line });
    expect(verdict.ok === false && verdict.problem).toContain(word);
  });

  it('finds an edited line whose hash was recomputed: the next line no longer matches', async () => {
    const { file, lines } = await journalOf(3);
    const { entryHash } = await import('../src/journal-entry.js');
    const edited = JSON.parse(lines[1]!);
    edited.delegate = 'ff'.repeat(32);
    const { hash: _old, ...rest } = edited;
    edited.hash = entryHash(rest);
    lines[1] = JSON.stringify(edited);
    rewrite(file, lines);
    expect(await verifyJournal(file)).toMatchObject({ ok: false, line: 3 });
  });

  it('finds lines cut off the end when the head is known, and refuses to append to a broken journal', async () => {
    const { file, lines, journal } = await journalOf(3);
    const head = journal.head;
    rewrite(file, lines.slice(0, 2));
    expect(await verifyJournal(file)).toMatchObject({ ok: true, entries: 2 });
    expect(await verifyJournal(file, { expectHead: head })).toMatchObject({ ok: false });
    lines[0] = lines[0]!.replace('"seq":0', '"seq":9');
    rewrite(file, lines);
    await expect(IssuanceJournal.open(file)).rejects.toThrow(/broken at line 1/);
  });
});

describe('a1-journal verify (the bin)', () => {
  const bin = join(__dirname, '..', 'dist', 'journal-bin.js');
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [bin, ...args]).then(
      (r) => ({ code: 0, out: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
    );

  it('exits 0 on a sound journal and 1 naming the line of a broken one', async () => {
    const { file, lines } = await journalOf(2);
    expect(await run(['verify', file])).toMatchObject({ code: 0, out: expect.stringMatching(/^ok: 2 entries, head [0-9a-f]{64}/) });
    rewrite(file, [lines[1]!, lines[0]!]);
    expect(await run(['verify', file])).toMatchObject({ code: 1, out: expect.stringContaining('BROKEN at line 1') });
    expect((await run(['nonsense'])).code).toBe(2);
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    expect(await run(['--help'])).toMatchObject({ code: 0, out: expect.stringContaining('usage: a1-journal verify FILE') });
  });
});
