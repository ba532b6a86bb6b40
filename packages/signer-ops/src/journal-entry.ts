/**
 * One line of the issuance journal and its hash. Each entry commits to the one before it
 * (`prev`), so editing, deleting or reordering any line breaks every hash after it. The hash is
 * SHA-256 over the entry's fields in a fixed order (not JSON.stringify of an object whose key
 * order a hand edit could change).
 */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface JournalEntry {
  /** 0 for the first line, then +1. */
  seq: number;
  /** ISO 8601, when the entry was written. */
  time: string;
  /** certFingerprint of the issued cert, hex. */
  fingerprint: string;
  /** The cert's delegatePk, hex. */
  delegate: string;
  /** The cert's scopeRoot, hex. */
  scopeRoot: string;
  provider: string;
  keyId: string | null;
  /** The backend's request id (CloudTrail `requestID`, Vault audit `request.id`), when known. */
  requestId: string | null;
  /** Hash of the previous entry (GENESIS_HASH for the first). */
  prev: string;
  /** Hash of this entry. */
  hash: string;
}

const FIELDS = ['seq', 'time', 'fingerprint', 'delegate', 'scopeRoot', 'provider', 'keyId', 'requestId', 'prev'] as const;

export function entryHash(entry: Omit<JournalEntry, 'hash'>): string {
  const canonical = JSON.stringify(FIELDS.map((field) => entry[field]));
  return createHash('sha256').update('a1-issuance-journal-v1\n').update(canonical).digest('hex');
}

/** A line as written: the fields in their fixed order, then the hash. */
export function serializeEntry(entry: JournalEntry): string {
  return JSON.stringify(Object.fromEntries([...FIELDS, 'hash'].map((f) => [f, entry[f as keyof JournalEntry]])));
}
