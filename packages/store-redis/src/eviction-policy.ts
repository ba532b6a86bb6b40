import { ReplyError, type Cluster, type Redis } from 'ioredis';
import type { RedisClient } from './redis-client.js';

/**
 * What a store does about Redis' `maxmemory-policy`, checked before its first operation and again
 * every `evictionRecheckSeconds` (default 30) on the next operation:
 * - `refuse` (default): every call is `StorageFailure` unless the policy is `noeviction`, and also
 *   when the server does not let us read it (CONFIG disabled, as on ElastiCache and MemoryDB);
 * - `warn`: the same findings go to `onWarning` (each new one once), and the store works anyway;
 * - `skip`: no check — for managed Redis where CONFIG is disabled and you have set `noeviction`
 *   in the provider's settings (ElastiCache parameter group, Azure Cache "maxmemory-policy").
 *
 * Why: nonce keys carry a TTL, so `volatile-*` policies (ElastiCache's default is `volatile-lru`)
 * and every `allkeys-*` policy evict consumed nonces when memory runs short, and a consumed chain
 * is then accepted again; `allkeys-*` also evict revocations. `noeviction` makes a full Redis refuse
 * writes instead, which the stores turn into `StorageFailure`: closed, not open.
 */
export type EvictionCheck = 'refuse' | 'warn' | 'skip';

export const EVICTION_CHECKS: readonly EvictionCheck[] = ['refuse', 'warn', 'skip'];

/** A finding that blocks the store under `refuse`; `undefined` when the policy is `noeviction`. */
export async function evictionPolicyProblem(client: RedisClient): Promise<string | undefined> {
  const nodes: Redis[] = client.isCluster ? (client as Cluster).nodes('master') : [client as Redis];
  for (const node of nodes) {
    const problem = await problemOn(node);
    if (problem) return client.isCluster ? `${problem} (on cluster node ${node.options.host}:${node.options.port})` : problem;
  }
  return undefined;
}

async function problemOn(node: Redis): Promise<string | undefined> {
  let reply: unknown;
  try {
    reply = await node.config('GET', 'maxmemory-policy');
  } catch (error) {
    if (!(error instanceof ReplyError)) throw error; // connection trouble: transient, not a finding
    return (
      'cannot read maxmemory-policy (CONFIG GET is disabled or not permitted, as on ElastiCache and ' +
      'MemoryDB): make sure the server runs with maxmemory-policy noeviction (ElastiCache/MemoryDB: ' +
      'the parameter group; Azure Cache for Redis: the maxmemory-policy setting), then set the ' +
      "store option evictionCheck: 'skip' (A1_REDIS_EVICTION_CHECK=skip) to say so"
    );
  }
  const policy = Array.isArray(reply) ? reply[1] : undefined;
  if (policy === 'noeviction') return undefined;
  return (
    `maxmemory-policy is ${JSON.stringify(policy ?? 'unknown')}: a full Redis would evict consumed ` +
    'nonces (accepting a replayed chain) or revocations. Run Redis with maxmemory-policy noeviction ' +
    "(redis.conf, CONFIG SET, or the provider's parameter group), or set the store option " +
    "evictionCheck: 'warn' (A1_REDIS_EVICTION_CHECK=warn) to accept that risk"
  );
}
