export { FaultPlan, CallCounter, type Fault, type FaultKind, type FaultRule, type QuotaRule, parseQuotaRule } from './faults.js';
// One line per emulator, each added by the emulator's own folder:
export * from './aws/index.js';
export * from './gcp/index.js';
export * from './vault/index.js';
export * from './azure/index.js';
