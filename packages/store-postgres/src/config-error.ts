/**
 * A store was configured wrongly (no connection settings, a bad URL, a bad option). Raised at
 * construction, never during authorization: a verifier that cannot be built fails at start-up
 * instead of rejecting traffic later.
 */
export class PostgresStoreConfigError extends Error {
  override readonly name = 'PostgresStoreConfigError';
  readonly code = 'PostgresStoreConfig' as const;
}
