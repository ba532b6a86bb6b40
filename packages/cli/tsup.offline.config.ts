import { defineConfig } from 'tsup';

// dist/offline.js: `a1 verify`, `inspect`, `convert`, `keygen` and help in one file (see src/offline.ts).
export default defineConfig({
  entry: { offline: 'src/offline.ts' },
  format: ['esm'],
  splitting: false,
  sourcemap: true,
  clean: false,
  target: 'node20',
  minify: true,
  noExternal: ['@a1/core', '@a1/signer-uri', /^@noble\//],
  // Optional backend of @a1/core: loaded only if installed and chosen; never bundled.
  external: ['sodium-native'],
  define: { A1_OFFLINE_BUNDLE: 'true' },
});
