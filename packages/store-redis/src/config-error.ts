/**
 * A store was configured wrongly (missing `A1_REDIS_URL`, a bad URL, a key prefix that Cluster
 * would scatter). Raised at construction, never during authorization: a verifier that cannot be
 * built fails at start-up instead of rejecting traffic later.
 */
export class RedisStoreConfigError extends Error {
  override readonly name = 'RedisStoreConfigError';
  readonly code = 'RedisStoreConfig' as const;
}
