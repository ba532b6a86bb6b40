import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function buildBundles(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../src/build-bundles.mjs', import.meta.url))], { stdio: 'inherit' });
}
