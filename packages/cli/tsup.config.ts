import { defineConfig } from 'tsup';

export default defineConfig({
  // bin: the `a1` command; demo: `node dist/demo.js` (what `a1 demo` runs). Commands are
  // dynamic imports, so each lands in its own chunk and `a1 verify` loads no signer code.
  entry: { index: 'src/index.ts', bin: 'src/bin.ts', demo: 'src/demo/main.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts' } },
  splitting: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  shims: true,
  define: { A1_OFFLINE_BUNDLE: 'false' },
});
