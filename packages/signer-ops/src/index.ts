export { withQuota, type QuotaOptions, type QuotaSigner } from './with-quota.js';
export { failover, type FailoverOptions, type FailoverSigner } from './failover.js';
export type { WrappedSigner } from './signer-identity.js';
export type { OpsEvent, OpsListener, OpsEventSource } from './ops-events.js';
export type { AimdOptions } from './aimd-rate.js';
export type { CircuitBreakerOptions } from './circuit-breaker.js';
export { SHARED_BUCKET_LUA } from './shared-bucket.js';
