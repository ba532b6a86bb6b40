/**
 * The issuance journal: every cert a process issues, appended as a hash-chained JSON line, so an
 * operator can later match the KMS audit log (CloudTrail, Cloud Audit Logs, Vault's audit device)
 * against the certs really issued, and spot a signature nobody accounted for.
 * One writer per file: appends are serialised within this process; give each process its own file.
 */
import { appendFile, readFile } from 'node:fs/promises';
import { certFingerprint, providerOf, toHex, type AsyncSigner, type DelegationCert } from '@a1/core';
import { GENESIS_HASH, entryHash, serializeEntry, type JournalEntry } from './journal-entry.js';
import { verifyJournalText } from './verify-journal.js';

/**
 * Optional on any signer, so the AsyncSigner contract does not widen: the backend's request id of
 * the signer's last call. Pass `requestId` to `record()` instead when calls run concurrently.
 */
export interface RequestIdSource {
  readonly lastRequestId?: string;
}

export class IssuanceJournal {
  #prev: string;
  #seq: number;
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    head: { prev: string; seq: number },
    private readonly now: () => Date,
  ) {
    this.#prev = head.prev;
    this.#seq = head.seq;
  }

  /** Opens (or starts) a journal; refuses one whose chain is already broken. */
  static async open(file: string, options: { now?: () => Date } = {}): Promise<IssuanceJournal> {
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const verdict = verifyJournalText(text);
    if (!verdict.ok) throw new Error(`issuance journal ${file} is broken at line ${verdict.line}: ${verdict.problem}; keep it as evidence and start a new file`);
    return new IssuanceJournal(file, { prev: verdict.head, seq: verdict.entries }, options.now ?? (() => new Date()));
  }

  /** Appends one issued cert; resolves to the entry once it is written. */
  record(cert: DelegationCert, signer: AsyncSigner, options: { requestId?: string } = {}): Promise<JournalEntry> {
    const write = this.#tail.then(async () => {
      const body: Omit<JournalEntry, 'hash'> = {
        seq: this.#seq,
        time: this.now().toISOString(),
        fingerprint: toHex(certFingerprint(cert)),
        delegate: toHex(cert.delegatePk),
        scopeRoot: toHex(cert.scopeRoot),
        provider: providerOf(signer),
        keyId: signer.keyId ?? null,
        requestId: options.requestId ?? (signer as RequestIdSource).lastRequestId ?? null,
        prev: this.#prev,
      };
      const entry: JournalEntry = { ...body, hash: entryHash(body) };
      await appendFile(this.file, `${serializeEntry(entry)}\n`, { flag: 'a' });
      this.#prev = entry.hash;
      this.#seq += 1;
      return entry;
    });
    this.#tail = write.catch(() => undefined);
    return write;
  }

  /** Hash of the last entry: log it elsewhere to detect lines cut off the end later. */
  get head(): string {
    return this.#prev;
  }
}

export { GENESIS_HASH };
