import { defineConfig } from 'tsup';

export default defineConfig({
  // libsodium is its own entry: browsers and apps that do not opt in never bundle it.
  entry: { index: 'src/index.ts', libsodium: 'src/ed25519-libsodium.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
