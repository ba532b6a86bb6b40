import type { PostgresConnection } from './postgres-connection.js';

export const DEFAULT_PURGE_BATCH_SIZE = 1_000;
export const DEFAULT_PURGE_MAX_BATCHES = 100;

export interface PurgeOptions {
  /** Rows deleted per statement. Default 1000. */
  batchSize?: number;
  /** Statements per call; the rest waits for the next call. Default 100. */
  maxBatches?: number;
}

/**
 * Deletes this tenant's rows whose `expires_at` has passed on the database's clock, a bounded batch
 * per statement, each statement its own short transaction. `SKIP LOCKED` passes over rows another
 * transaction holds, so a purge never waits on, or makes wait, a consume in progress; rows without
 * `expires_at` (the reference's, and anything kept for good) are never touched.
 */
export async function purgeExpired(
  connection: PostgresConnection,
  table: 'a1_nonces' | 'a1_revocations',
  tenantId: string,
  options: PurgeOptions = {},
): Promise<number> {
  const batchSize = options.batchSize ?? DEFAULT_PURGE_BATCH_SIZE;
  const maxBatches = options.maxBatches ?? DEFAULT_PURGE_MAX_BATCHES;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  if (!Number.isInteger(maxBatches) || maxBatches < 1) throw new RangeError('maxBatches must be a positive integer');
  const sql = `DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
    SELECT ctid FROM ${table} WHERE tenant_id = $1 AND expires_at < now() LIMIT $2 FOR UPDATE SKIP LOCKED))`;
  let total = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const deleted = await connection.run(`purge ${table}`, async (client) => (await client.query(sql, [tenantId, batchSize])).rowCount ?? 0);
    total += deleted;
    if (deleted < batchSize) break;
  }
  return total;
}

export type PurgeOutcome = { at: Date; deleted: number } | { at: Date; error: Error };

/** Runs `purge` every `intervalMs` in the background, never two at once; unref'd, so it never keeps a process alive. */
export class PurgeTimer {
  readonly #timer: NodeJS.Timeout;
  #running = false;
  last: PurgeOutcome | undefined;

  constructor(intervalMs: number, purge: () => Promise<number>) {
    if (!Number.isFinite(intervalMs) || intervalMs < 1) throw new RangeError('purgeIntervalMs must be a positive number');
    this.#timer = setInterval(() => {
      if (this.#running) return;
      this.#running = true;
      purge().then(
        (deleted) => (this.last = { at: new Date(), deleted }),
        (error: unknown) => (this.last = { at: new Date(), error: error as Error }),
      ).finally(() => (this.#running = false));
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
