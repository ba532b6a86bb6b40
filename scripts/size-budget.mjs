#!/usr/bin/env node
/**
 * Size budget for @a1/core in the browser: its whole public API bundled with its dependencies
 * (@noble/*) the way a browser bundler would (esbuild, platform browser, minified, ESM), then
 * gzipped. Fails over budget, and fails if the bundle pulls in any Node built-in: core reaches
 * node:crypto only through `process.getBuiltinModule`, so a browser build must not see one.
 *
 * Needs @a1/core built (`pnpm turbo run build --filter=@a1/core`). Ends with `N passed, N failed`.
 *   node scripts/size-budget.mjs [--budget-kib 30] [--metafile out.json]
 */
import { createRequire } from 'node:module';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const option = (name, fallback) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : fallback);
// 31 KiB since 2026-12-01 (was 30): the one Ed25519 rule checked before every backend, the WebCrypto
// backend, backends safe to call directly and typed refusals of malformed inputs added ~2 KiB.
// A verifier-only app bundles ~25 KiB. Bring it back under 30 by moving server-only parts (tokens,
// pinned-key checks) to their own entry points, as libsodium and retry already are.
const BUDGET_BYTES = Number(option('--budget-kib', '31')) * 1024;
const coreDir = join(root, 'packages', 'core');

// esbuild is what tsup (a root devDependency) builds with; take the copy tsup itself uses.
const fromRoot = createRequire(join(root, 'package.json'));
const esbuild = createRequire(fromRoot.resolve('tsup/package.json'))('esbuild');

let passed = 0;
let failed = 0;
const check = (ok, line) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${line}`);
  ok ? passed++ : failed++;
};

async function main() {
  if (!existsSync(join(coreDir, 'dist', 'index.js'))) {
    check(false, '@a1/core is not built: run pnpm turbo run build --filter=@a1/core');
    return;
  }
  // The whole public API: no export can be tree-shaken away, so this is the worst case and the
  // figure the budget applies to. Typical apps import less; those sizes are printed below it.
  const result = await bundle("export * from '@a1/core';");
  const code = result.outputFiles[0].contents;
  const gzipped = gzipSync(code, { level: 9 }).length;
  const inputs = Object.entries(result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].inputs)
    .map(([file, { bytesInOutput }]) => [file.replace(/^.*node_modules\//, ''), bytesInOutput])
    .sort((a, b) => b[1] - a[1]);
  const byPackage = new Map();
  for (const [file, bytes] of inputs) {
    const name = file.startsWith('@') ? file.split('/').slice(0, 2).join('/') : file.startsWith('packages/') || file.includes('/packages/core/') ? '@a1/core' : file.split('/')[0];
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytes);
  }
  console.log('@a1/core, browser bundle (esbuild, platform browser, minify, esm, whole API):');
  for (const [name, bytes] of [...byPackage].sort((a, b) => b[1] - a[1])) console.log(`  ${name.padEnd(16)} ${kib(bytes).padStart(10)} minified`);
  console.log(`  total            ${kib(code.length).padStart(10)} minified, ${kib(gzipped)} gzipped (budget ${kib(BUDGET_BYTES)})`);
  for (const [label, names] of TYPICAL_APPS) {
    const app = await bundle(`export { ${names.join(', ')} } from '@a1/core';`);
    const bytes = app.outputFiles[0].contents;
    console.log(`  ${label.padEnd(44)} ${kib(bytes.length).padStart(10)} minified, ${kib(gzipSync(bytes, { level: 9 }).length)} gzipped`);
  }
  if (option('--metafile')) writeFileSync(option('--metafile'), JSON.stringify(result.metafile, null, 2));

  const warnings = result.warnings.map((w) => w.text);
  check(warnings.length === 0, `the browser build has no warnings${warnings.length ? `: ${warnings.join('; ')}` : ''}`);
  const nodeImports = Object.keys(result.metafile.inputs).filter((f) => f.startsWith('node:') || /^(crypto|fs|net|path|os)$/.test(f));
  const text = new TextDecoder().decode(code);
  const nodeSpecifiers = [...text.matchAll(/\b(?:from|import)\s*\(?\s*["'](node:[^"']+)["']/g)].map((m) => m[1]);
  check(nodeImports.length === 0 && nodeSpecifiers.length === 0, `no Node built-in imported by the bundle${nodeSpecifiers.length ? `: ${nodeSpecifiers.join(', ')}` : ''}`);
  check(gzipped <= BUDGET_BYTES, `@a1/core gzipped ${kib(gzipped)} <= ${kib(BUDGET_BYTES)}`);
}

/** What a typical browser app imports (informational; the budget is on the whole API). */
const TYPICAL_APPS = [
  ['verifier (parseSignedChain, authorize)', ['parseSignedChain', 'authorize', 'MemoryNonceStore']],
  ['issuer (CertBuilder, LocalSigner, serialize)', ['CertBuilder', 'LocalSigner', 'intentHash', 'serializeSignedChain']],
  ['passports (issue, load, guard)', ['issuePassport', 'loadPassport', 'savePassport', 'parseSignedChain']],
];

/** Bundles `entry` (which imports '@a1/core') as a browser app would: exports map, browser platform, minified. */
function bundle(entry) {
  return esbuild.build({
    stdin: { contents: entry, resolveDir: coreDir, sourcefile: 'entry.js', loader: 'js' },
    // Resolve '@a1/core' to the package itself, through its exports map, as an app would.
    alias: { '@a1/core': coreDir },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
}

function kib(bytes) {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

main()
  .catch((error) => check(false, `size budget: ${error instanceof Error ? error.message : String(error)}`))
  .finally(() => {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed === 0 ? 0 : 1);
  });
