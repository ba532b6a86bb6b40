/**
 * VerifiedToken: a receipt plus a BLAKE3 keyed MAC over its canonical bytes, so a verifier can
 * hand a proof of authorization to a downstream service that shares the key.
 */
import { equalBytes, fixedBytes, fromHex, toHex } from './bytes.js';
import { A1Error } from './errors.js';
import { keyedHash } from './hashing.js';
import { join, readByteArray, readObject, readString, readUnsigned, requireField } from './json-read.js';
import { orderedObject, parseJson, writeJson, type JsonValue, type WritableJson } from './json-text.js';
import { receiptCanonicalBytes, type VerificationReceipt } from './receipt.js';

export interface VerifiedToken {
  receipt: VerificationReceipt;
  /** Lowercase hex of the 32-byte MAC. */
  mac: string;
}

export function signToken(receipt: VerificationReceipt, key: Uint8Array): VerifiedToken {
  const k = fixedBytes(key, 32, 'MAC key');
  return { receipt, mac: toHex(keyedHash(k, receiptCanonicalBytes(receipt))) };
}

/** Returns the receipt when the MAC is right; MacVerificationFailed or WireFormatError otherwise. */
export function verifyToken(token: VerifiedToken, key: Uint8Array): VerificationReceipt {
  const k = fixedBytes(key, 32, 'MAC key');
  let mac: Uint8Array;
  try {
    mac = fromHex(token.mac, 'mac');
  } catch {
    throw A1Error.wire('invalid MAC hex');
  }
  if (mac.length !== 32) throw A1Error.wire('MAC must be 32 bytes');
  if (!equalBytes(mac, keyedHash(k, receiptCanonicalBytes(token.receipt)))) throw new A1Error('MacVerificationFailed');
  return token.receipt;
}

/** The reference's serde form: hashes as arrays of numbers, `namespace` omitted when absent. */
export function receiptToJson(receipt: VerificationReceipt): WritableJson {
  const entries: Array<[string, WritableJson]> = [
    ['chain_depth', receipt.chainDepth],
    ['verified_scope_root', Array.from(receipt.verifiedScopeRoot)],
    ['intent', Array.from(receipt.intent)],
    ['verified_at_unix', receipt.verifiedAtUnix],
    ['chain_fingerprint', Array.from(receipt.chainFingerprint)],
  ];
  if (receipt.namespace !== undefined) entries.push(['namespace', receipt.namespace]);
  return orderedObject(entries);
}

export function readReceipt(value: JsonValue, path: string): VerificationReceipt {
  const obj = readObject(value, path);
  const ns = obj.get('namespace');
  return {
    chainDepth: Number(readUnsigned(requireField(obj, 'chain_depth', path), join(path, 'chain_depth'), 2n ** 53n - 1n)),
    verifiedScopeRoot: readByteArray(requireField(obj, 'verified_scope_root', path), 32, join(path, 'verified_scope_root')),
    intent: readByteArray(requireField(obj, 'intent', path), 32, join(path, 'intent')),
    verifiedAtUnix: readUnsigned(requireField(obj, 'verified_at_unix', path), join(path, 'verified_at_unix')),
    chainFingerprint: readByteArray(requireField(obj, 'chain_fingerprint', path), 32, join(path, 'chain_fingerprint')),
    namespace: ns === undefined || ns === null ? undefined : readString(ns, join(path, 'namespace')),
  };
}

export function serializeReceipt(receipt: VerificationReceipt): string {
  return writeJson(receiptToJson(receipt));
}

export function parseReceipt(json: string): VerificationReceipt {
  return readReceipt(parseJson(json), '');
}

export function serializeToken(token: VerifiedToken): string {
  return writeJson(orderedObject([['receipt', receiptToJson(token.receipt)], ['mac', token.mac]]));
}

export function parseToken(json: string): VerifiedToken {
  const obj = readObject(parseJson(json), '');
  return { receipt: readReceipt(requireField(obj, 'receipt', ''), 'receipt'), mac: readString(requireField(obj, 'mac', ''), 'mac') };
}
