export {
  startAwsKms,
  DEFAULT_AWS_EMULATOR_CREDENTIAL,
  type AwsKmsEmulator,
  type AwsKmsEmulatorOptions,
  type AwsKmsEmulatorDescription,
} from './server.js';
export type { AwsCredential } from './sigv4.js';
export type { AwsKeySpec, AwsKeyUsage, AwsKeyState, CreateAwsKeyOptions, CreatedAwsKey } from './key-store.js';
