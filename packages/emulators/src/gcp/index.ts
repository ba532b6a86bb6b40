export { startGcpKms, type GcpKmsEmulator, type GcpKmsEmulatorOptions, type GcpKmsEmulatorDescription } from './gcp-kms-emulator.js';
export type { GcpKmsAlgorithm, GcpKmsKey, GcpKmsKeySpec, GcpKmsProtectionLevel } from './key-store.js';
export type { GcpKmsQuirks } from './handlers.js';
