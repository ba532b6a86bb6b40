// The AWS KMS emulator in a process of its own, so the bench process measures only the client side.
import { startAwsKms } from '@a1/emulators';

const kms = await startAwsKms({ keys: [{ alias: 'alias/a1-root' }] });
process.send({ endpoint: kms.endpoint, region: kms.region, credentials: kms.clientConfig().credentials });
process.on('message', async () => {
  await kms.close();
  process.exit(0);
});
