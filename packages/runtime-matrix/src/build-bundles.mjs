// Bundles the checks (core's vector test files, the matrix checks, @a1/core from its source, vitest's
// expect) into one ES module per target: dist/matrix.mjs for Node, Deno and Bun, and
// dist/browser/ (matrix.mjs + index.html) for Chromium; the P7/P8 bench likewise (dist/bench.mjs,
// dist/browser/bench.html). No Node built-in survives in any of them.
import { readdirSync, readFileSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { checkGroups } from './groups.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, '..');
const core = resolve(pkg, '../core');
const vectorsDir = join(core, 'test/vectors');

const matrixPlugin = {
  name: 'a1-matrix',
  setup(b) {
    b.onResolve({ filter: /^vitest$/ }, () => ({ path: join(here, 'bundle/vitest-shim.ts') }));
    b.onResolve({ filter: /^node:(fs|url|module)$/ }, () => ({ path: join(here, 'bundle/node-fs-shim.ts') }));
    // Core's tests import its source, internal modules included (json-text, ed25519-libsodium): the
    // matrix checks bundle @a1/core from that same source, so there is one copy of each class.
    b.onResolve({ filter: /^@a1\/core$/ }, () => ({ path: join(core, 'src/index.ts') }));
    // Core's tests get their helpers through the matrix's wrapper (a portable allBackends).
    b.onResolve({ filter: /^\.\/helpers\.js$/ }, (args) =>
      args.resolveDir === join(core, 'test') ? { path: join(here, 'bundle/core-test-helpers.ts') } : undefined,
    );
    b.onResolve({ filter: /^a1-matrix:core-helpers$/ }, () => ({ path: join(core, 'test/helpers.ts') }));
    b.onResolve({ filter: /^a1-matrix:(paths|vectors|groups)$/ }, (args) => ({ path: args.path.slice('a1-matrix:'.length), namespace: 'a1-matrix' }));
    // Each group's file behind an import() the bundler can see; each registers its tests on load.
    b.onLoad({ filter: /^groups$/, namespace: 'a1-matrix' }, () => ({
      contents: `export const GROUPS = [${checkGroups().map((g) => `{ name: ${JSON.stringify(g.name)}, load: () => import(${JSON.stringify(g.file)}) }`).join(',\n')}];`,
      loader: 'js',
      resolveDir: here,
    }));
    // Where sodium-native is required from (core's devDependency), for runtimes that can load it.
    b.onLoad({ filter: /^paths$/, namespace: 'a1-matrix' }, () => ({
      contents: `export const SODIUM_FROM = ${JSON.stringify(join(core, 'package.json'))};`,
      loader: 'js',
    }));
    // The reference vectors, as the text core's loadVector would read from test/vectors/.
    b.onLoad({ filter: /^vectors$/, namespace: 'a1-matrix' }, () => {
      const files = Object.fromEntries(
        readdirSync(vectorsDir)
          .filter((f) => f.endsWith('.json'))
          .map((f) => [f, readFileSync(join(vectorsDir, f), 'utf8')]),
      );
      return { contents: `export const VECTOR_FILES = ${JSON.stringify(files)};`, loader: 'js' };
    });
  },
};

const common = { bundle: true, format: 'esm', platform: 'browser', target: 'es2022', plugins: [matrixPlugin], logLevel: 'warning', legalComments: 'none' };
rmSync(join(pkg, 'dist'), { recursive: true, force: true });
await build({ ...common, entryPoints: [join(here, 'bundle/cli-entry.ts')], outfile: join(pkg, 'dist/matrix.mjs') });
await build({ ...common, entryPoints: [join(here, 'bundle/browser-entry.ts')], outfile: join(pkg, 'dist/browser/matrix.mjs') });
// The P7/P8 bench (bench/webcrypto-vs-noble.bench.mjs), built the same way.
await build({ ...common, entryPoints: [join(here, 'bundle/bench-cli-entry.ts')], outfile: join(pkg, 'dist/bench.mjs') });
await build({ ...common, entryPoints: [join(here, 'bundle/bench-browser-entry.ts')], outfile: join(pkg, 'dist/browser/bench.mjs') });
mkdirSync(join(pkg, 'dist/browser'), { recursive: true });
const page = (title, script) => `<!doctype html><meta charset="utf-8"><title>${title}</title><script type="module" src="./${script}"></script>\n`;
writeFileSync(join(pkg, 'dist/browser/index.html'), page('A1 runtime matrix', 'matrix.mjs'));
writeFileSync(join(pkg, 'dist/browser/bench.html'), page('A1 bench: WebCrypto vs @noble', 'bench.mjs'));
console.log('runtime-matrix: built dist/matrix.mjs, dist/bench.mjs and dist/browser/');
