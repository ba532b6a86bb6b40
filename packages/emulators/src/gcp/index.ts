export { startGcpKms, type GcpKmsEmulator, type GcpKmsEmulatorOptions, type GcpKmsEmulatorDescription } from './gcp-kms-emulator.js';
export type { GcpKmsAlgorithm, GcpKmsKey, GcpKmsKeySpec, GcpKmsProtectionLevel, GcpKmsVersionState } from './key-store.js';
export type { GcpKmsQuirks } from './rpc.js';
export type { AccessPolicy as GcpKmsAccessPolicy } from './access.js';
