/** Flag values to domain values: public keys, capability lists, unix times, intent parameters. */
import { fromHex, isValidPublicKey } from '@a1/core';
import { usageError } from './cli-error.js';
import type { ParsedValues } from './command-spec.js';
import { parseDuration } from './duration.js';

export function requireString(values: ParsedValues, name: string, hint?: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v.trim() === '') throw usageError(`--${name} is required`, hint);
  return v.trim();
}

export function optionalString(values: ParsedValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

/** A 32-byte Ed25519 public key in hex (64 characters). */
export function parsePublicKey(text: string, flag: string): Uint8Array {
  const hex = text.trim().replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw usageError(`${flag} must be a 32-byte Ed25519 public key in hex (64 characters)`, 'a1 pubkey --signer URI prints one');
  const key = fromHex(hex, flag);
  // isValidPublicKey refuses non-points and the small-order points (all-zero, identity…) under
  // which one signature verifies for every message: a delegate no one needs a key to impersonate.
  if (!isValidPublicKey(key)) throw usageError(`${flag} is not a usable Ed25519 public key: not a curve point, or a small-order point (like 00…00) whose signatures anyone can forge`);
  return key;
}

/** `--capabilities a,b --capabilities c` → [a, b, c], trimmed, duplicates removed, order kept. */
export function parseCapabilities(values: ParsedValues, name = 'capabilities'): string[] {
  const raw = values[name];
  const items = (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []) as string[];
  const list = [...new Set(items.flatMap((item) => item.split(',')).map((c) => c.trim()).filter((c) => c !== ''))];
  if (list.length === 0) throw usageError(`--${name} is required (comma-separated or repeated)`, 'e.g. --capabilities trade.equity,portfolio.read');
  for (const c of list) {
    if (Buffer.byteLength(c) > 256) throw usageError(`capability "${c.slice(0, 40)}…" is longer than 256 bytes`);
  }
  return list;
}

export function parseTtl(values: ParsedValues, fallback: string): number {
  return parseDuration(optionalString(values, 'ttl') ?? fallback, '--ttl');
}

/** A unix time in seconds (u64, exact). */
export function parseUnixTime(text: string, flag: string): bigint {
  if (!/^\d{1,20}$/.test(text.trim())) throw usageError(`${flag} must be a unix time in seconds, e.g. 1700000000`);
  const value = BigInt(text.trim());
  if (value > 0xffff_ffff_ffff_ffffn) throw usageError(`${flag} is beyond the largest u64`);
  return value;
}

export function parseNonNegativeInteger(text: string, flag: string, max: number): number {
  if (!/^\d{1,10}$/.test(text.trim()) || Number(text) > max) throw usageError(`${flag} must be a whole number from 0 to ${max}`);
  return Number(text);
}

/** `--param k=v` (repeatable) → `{ k: v }`. */
export function parseParams(values: ParsedValues): Record<string, string> {
  const raw = (values.param ?? []) as string[];
  const params: Record<string, string> = {};
  for (const item of raw) {
    const at = item.indexOf('=');
    if (at <= 0) throw usageError(`--param "${item}" must be KEY=VALUE`);
    const key = item.slice(0, at);
    if (key in params) throw usageError(`--param ${key} given twice`);
    params[key] = item.slice(at + 1);
  }
  return params;
}
