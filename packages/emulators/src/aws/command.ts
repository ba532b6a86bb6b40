/** `a1-emulators aws`: an AWS KMS emulator with one Ed25519 demo key behind `alias/a1-demo`. */
import { startAwsKms } from './server.js';

export async function startAwsKmsCommand(options: { port: number; host: string }) {
  return startAwsKms({
    port: options.port,
    host: options.host,
    keys: [{ keySpec: 'ECC_NIST_EDWARDS25519', keyUsage: 'SIGN_VERIFY', alias: 'alias/a1-demo', description: 'A1 demo root key' }],
  });
}
