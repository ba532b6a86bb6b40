/**
 * `/v1/authorize/batch` per item exactly as upstream (§4.6), built from core's `authorize` (no
 * stores: structure, terminal delegate, signatures, first intent) and the stores directly, because
 * core's `authorizeBatch` reports revocation and replay as BATCH_ITEM_FAILED and throws on store
 * errors where upstream answers per item.
 */
import {
  A1Error,
  authorize,
  certFingerprint,
  DEFAULT_DRIFT_TOLERANCE_SECS,
  equalBytes,
  toHex,
  chainFingerprint,
  type NonceStore,
  type RevocationStore,
  type SignedChain,
} from '@a1/core';
import { upstreamErrorText } from './contract.js';

export interface BatchIntent {
  name: string;
  hash: Uint8Array;
}

export interface BatchItemOutcome {
  intent_name: string;
  authorized: boolean;
  chain_fingerprint?: string;
  error?: string;
  error_code?: string;
}

export interface BatchOutcome {
  all_authorized: boolean;
  authorized_count: number;
  total_count: number;
  results: BatchItemOutcome[];
}

const failed = (name: string, error: string, errorCode: string): BatchItemOutcome => ({ intent_name: name, authorized: false, error, error_code: errorCode });
const itemFailed = (index: number, reason: string) => `batch authorization failed at index ${index}: ${reason}`;

function outcome(results: BatchItemOutcome[]): BatchOutcome {
  const authorizedCount = results.filter((r) => r.authorized).length;
  return { all_authorized: authorizedCount === results.length, authorized_count: authorizedCount, total_count: results.length, results };
}

function storageText(error: unknown): string {
  const a1 = error instanceof A1Error ? error : new A1Error('StorageFailure', { reason: error instanceof Error ? error.message : String(error) });
  return upstreamErrorText(a1.code === 'StorageFailure' ? a1 : new A1Error('StorageFailure', { reason: a1.message }));
}

export interface BatchContext {
  agentPk: Uint8Array;
  revocations: RevocationStore;
  nonces: NonceStore;
  /** Fixed at the start of the request (§4.6). */
  now: bigint;
}

export async function authorizeBatchItems(chain: SignedChain, intents: readonly BatchIntent[], ctx: BatchContext): Promise<BatchOutcome> {
  // 1. An empty batch is "all authorized" without looking at the chain (as upstream).
  if (intents.length === 0) return outcome([]);
  const everyItem = (make: (intent: BatchIntent, index: number) => BatchItemOutcome) => outcome(intents.map(make));

  // 2. Structure, terminal delegate and signatures, with the first intent.
  try {
    await authorize(chain, { agentPk: ctx.agentPk, intent: intents[0]!.hash, now: ctx.now });
  } catch (error) {
    if (!(error instanceof A1Error)) throw error;
    return everyItem((intent, i) => failed(intent.name, itemFailed(i, error.message), 'BATCH_ITEM_FAILED'));
  }

  // 3. Revocation of every cert.
  try {
    for (const cert of chain.certs) {
      if (await ctx.revocations.isRevoked(certFingerprint(cert))) {
        const revoked = new A1Error('Revoked');
        return everyItem((intent) => failed(intent.name, revoked.message, 'CERT_REVOKED'));
      }
    }
  } catch (error) {
    const text = itemFailed(0, storageText(error));
    return everyItem((intent) => failed(intent.name, text, 'BATCH_ITEM_FAILED'));
  }

  // 4. Each intent against the terminal scope (empty proof: equality).
  const terminalScope = chain.certs[chain.certs.length - 1]!.scopeRoot;
  const fingerprint = toHex(chainFingerprint(chain));
  const results = intents.map((intent, i): BatchItemOutcome =>
    equalBytes(intent.hash, terminalScope)
      ? { intent_name: intent.name, authorized: true, chain_fingerprint: fingerprint }
      : failed(intent.name, itemFailed(i, new A1Error('ScopeViolation').message), 'BATCH_ITEM_FAILED'),
  );
  // 5. Any miss: stop, nothing consumed (the hits still read as authorized, as upstream).
  if (results.some((r) => !r.authorized)) return outcome(results);

  // 6. All nonces at once.
  const drift = BigInt(DEFAULT_DRIFT_TOLERANCE_SECS);
  try {
    const fresh = await ctx.nonces.tryConsumeBatch(
      chain.certs.map((c) => c.nonce),
      { retainUntil: chain.certs.map((c) => c.expirationUnix + drift), now: ctx.now },
    );
    if (!fresh) {
      const replay = new A1Error('NonceReplay');
      return everyItem((intent) => failed(intent.name, replay.message, 'NONCE_REPLAY'));
    }
  } catch (error) {
    const text = itemFailed(0, storageText(error));
    return everyItem((intent) => failed(intent.name, text, 'BATCH_ITEM_FAILED'));
  }
  return outcome(results);
}
