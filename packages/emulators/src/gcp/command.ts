/** `a1-emulators gcp --port N`: Cloud KMS emulator with a demo Ed25519 key and a P-256 key for negative tests. */
import { startGcpKms, type GcpKmsEmulator } from './gcp-kms-emulator.js';

export async function startGcpKmsCommand(options: { port: number; host: string }): Promise<GcpKmsEmulator> {
  const emulator = await startGcpKms({ port: options.port, host: options.host });
  emulator.createKey({ key: 'a1-root', algorithm: 'EC_SIGN_ED25519' });
  emulator.createKey({ key: 'p256-not-ed25519', algorithm: 'EC_SIGN_P256_SHA256' });
  return emulator;
}
