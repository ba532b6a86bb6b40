import { defineConfig } from 'tsup';

export default defineConfig({
  // libsodium and retry are their own entries: browsers and apps that do not opt in never bundle them.
  entry: { index: 'src/index.ts', libsodium: 'src/ed25519-libsodium.ts', retry: 'src/retry.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  esbuildPlugins: [
    {
      // retry throws and tests core's SignerError: it must be the one class `@a1/core` exports,
      // not a copy bundled into retry.js (then `instanceof SignerError` would fail across the
      // entries). Taking it from the package keeps the main bundle as it was (no shared chunk).
      name: 'retry-uses-core-signer-error',
      setup(build) {
        build.onResolve({ filter: /^\.\/signer-error\.js$/ }, (args) =>
          args.importer.endsWith('/src/retry.ts') ? { path: '@a1/core', external: true } : undefined,
        );
      },
    },
  ],
});
