/**
 * `verifyJournal(file)`: walks the hash chain line by line. An edited line fails its own hash; a
 * deleted or moved line breaks the next line's `prev` (and `seq`). Cutting lines off the end
 * leaves a shorter valid chain: pass the head hash you recorded elsewhere as `expectHead` to catch that.
 */
import { readFile } from 'node:fs/promises';
import { entryHash, GENESIS_HASH, type JournalEntry } from './journal-entry.js';

export type JournalVerdict =
  | { ok: true; entries: number; head: string }
  | { ok: false; entries: number; line: number; problem: string };

const HEX64 = /^[0-9a-f]{64}$/;

export async function verifyJournal(file: string, options: { expectHead?: string } = {}): Promise<JournalVerdict> {
  const text = await readFile(file, 'utf8');
  return verifyJournalText(text, options);
}

export function verifyJournalText(text: string, options: { expectHead?: string } = {}): JournalVerdict {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  let prev = GENESIS_HASH;
  for (const [index, line] of lines.entries()) {
    const fail = (problem: string): JournalVerdict => ({ ok: false, entries: index, line: index + 1, problem });
    let entry: JournalEntry;
    try {
      entry = JSON.parse(line) as JournalEntry;
    } catch {
      return fail('not a JSON line (cut short or edited)');
    }
    if (typeof entry !== 'object' || entry === null || typeof entry.hash !== 'string' || !HEX64.test(entry.hash)) return fail('no hash');
    if (entry.seq !== index) return fail(`seq is ${String(entry.seq)}, expected ${index} (a line was deleted, inserted or moved before it)`);
    if (entry.prev !== prev) return fail("prev does not match the previous line's hash (a line before it was deleted, edited or moved)");
    const { hash, ...rest } = entry;
    if (entryHash(rest) !== hash) return fail('hash does not match the entry (the line was edited)');
    prev = hash;
  }
  if (options.expectHead !== undefined && options.expectHead !== prev) {
    return { ok: false, entries: lines.length, line: lines.length, problem: 'the last hash is not the expected head (lines were cut off the end, or the journal is another one)' };
  }
  return { ok: true, entries: lines.length, head: prev };
}
