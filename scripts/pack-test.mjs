#!/usr/bin/env node
/**
 * Packaging test (`pnpm test:pack`): what users get from npm, checked the way they get it.
 *
 *  1. `pnpm pack` every publishable package (workspace: ranges rewritten as on publish); print
 *     each tarball's size; check its manifest, exports targets and contents.
 *  2. For each signer: a fresh npm project with only that signer's tarball and core's, then
 *     (a) no other vendor's SDK in the installed tree, (b) `import` and `require` both load the
 *     right build and issue + verify a cert against the backend's emulator (started from its own
 *     install dir, so its dependencies cannot hide a missing one), (c) a TypeScript program
 *     compiles against the installed `.d.ts` under NodeNext (ESM and CJS) and Bundler.
 *  3. core alone, store-redis, the emulators, and every other package: install and load.
 *  4. examples/http-remote-signer: a third-party signer built on the packed core + testkit, whose
 *     own vitest suite runs @a1/signer-testkit against it.
 *  5. `changeset version` on sample changesets (in a scratch copy) bumps only the touched
 *     packages and their dependents, and never majors a peer dependent still in range.
 *
 * Needs the packages built (`pnpm build`, or pass --build). Ends with `N passed, N failed`;
 * exits non-zero on any failure. --keep leaves the temp dir for inspection.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Checks, inParallel } from './pack/checks.mjs';
import { startEmulator } from './pack/emulator.mjs';
import { checkPackedManifest, formatBytes, packPackage, publishablePackages } from './pack/pack.mjs';
import { createProject, foreignSdks, hasSdk, installedPackages } from './pack/project.mjs';
import { bumps, dependentsOf, versionInScratch } from './pack/release-plan.mjs';
import { run, runSync, tail } from './lib/run.mjs';
import { SIGNERS, smokeProgram, typescriptProgram } from './pack/signers.mjs';
import { compileAgainstTypes } from './pack/typescript.mjs';
import { prepareSoftHsmToken } from './pack/softhsm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const PARALLEL = Number(process.env.A1_PACK_PARALLEL ?? 2);
const started = Date.now();
const checks = new Checks();
const work = mkdtempSync(join(tmpdir(), 'a1-pack-test-'));
const packed = new Map(); // name -> { tarball, bytes, manifest, files }

async function main() {
  if (args.has('--build')) {
    await run('pnpm', ['turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only'], { cwd: root, timeoutMs: 900_000 });
  }
  console.log(`pack test: temp dir ${work}, node ${process.version}, ${PARALLEL} at a time`);

  // 1. Pack.
  const packages = publishablePackages(root);
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  await inParallel(packages, PARALLEL, (pkg) =>
    checks.run(`pack ${pkg.name}`, async () => {
      if (!existsSync(join(pkg.dir, 'dist'))) throw new Error(`${pkg.dir}/dist is missing: build first (pnpm build, or --build)`);
      const result = await packPackage(pkg, tarballs);
      packed.set(pkg.name, result);
      const problems = checkPackedManifest(result);
      if (problems.length > 0) throw new Error(problems.join('\n'));
      return `${formatBytes(result.bytes)} packed, ${formatBytes(result.unpackedBytes)} unpacked, ${result.files.length} files`;
    }),
  );
  printSizes();

  const core = packed.get('@a1/core');
  if (!core) {
    checks.fail('installs', '@a1/core did not pack; nothing can be installed');
    return;
  }

  // 2–4. Installs. The emulators go first: the signer smoke tests need them.
  const emulatorsDir = join(work, 'emulators');
  const emulatorsReady = installEmulators(emulatorsDir);
  const jobs = [
    ...SIGNERS.filter((s) => packed.has(s.name)).map((signer) => () => signerChecks(signer, emulatorsReady, emulatorsDir)),
    () => coreAlone(),
    () => storeRedis(),
    () => exampleSigner(),
    ...[...packed.keys()]
      .filter((name) => !['@a1/core', '@a1/emulators', '@a1/store-redis', '@a1/signer-testkit', ...SIGNERS.map((s) => s.name)].includes(name))
      .map((name) => () => otherPackage(name)),
  ];
  await emulatorsReady.catch(() => {});
  await inParallel(jobs, PARALLEL, (job) => job());

  // 5. Release plan.
  await releasePlanChecks();
}

function printSizes() {
  console.log('\npacked sizes:');
  for (const [name, p] of [...packed].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`  ${name.padEnd(22)} ${formatBytes(p.bytes).padStart(10)} packed  ${formatBytes(p.unpackedBytes).padStart(10)} unpacked`);
  }
  console.log('');
}

async function installEmulators(dir) {
  const emulators = packed.get('@a1/emulators');
  if (!emulators) throw new Error('@a1/emulators did not pack');
  let ok = false;
  await checks.run('@a1/emulators installs alone and loads (import + require)', async () => {
    await createProject(dir, [emulators.tarball]);
    await loadBoth(dir, '@a1/emulators', ['startAwsKms', 'startGcpKms', 'startVaultTransit', 'startAzureKeyVault']);
    ok = true;
    return formatInstalled(dir);
  });
  if (!ok) throw new Error('emulators not installed');
}

async function signerChecks(signer, emulatorsReady, emulatorsDir) {
  const dir = join(work, signer.name.replace('@a1/', ''));
  const label = signer.name;
  const installed = await checks.run(`${label}: npm install with @a1/core only`, async () => {
    await createProject(dir, [packed.get(signer.name).tarball, core().tarball]);
    return formatInstalled(dir);
  });
  if (!installed) return;

  await checks.run(`${label}: (a) no other vendor's SDK installed`, async () => {
    const names = installedPackages(dir);
    const foreign = foreignSdks(names, signer.vendor);
    if (foreign.length > 0) throw new Error(`found ${foreign.join(', ')}`);
    if (!hasSdk(names, signer.vendor)) throw new Error(`its own vendor SDK (${signer.vendor}) is missing`);
    const stray = [...names].filter((n) => n.startsWith('@a1/') && n !== '@a1/core' && n !== signer.name);
    if (stray.length > 0) throw new Error(`other A1 packages installed: ${stray.join(', ')}`);
    // npm's own view of the tree: unmet or invalid (peer) dependencies are problems.
    const listing = await run('npm', ['ls', '--all', '--json'], { cwd: dir }).catch((error) => ({ stdout: '', error }));
    const problems = listing.stdout ? (JSON.parse(listing.stdout).problems ?? []) : [String(listing.error?.message ?? listing.error)];
    if (problems.length > 0) throw new Error(`npm ls: ${problems.slice(0, 5).join('\n')}`);
    return `${names.size} packages, own SDK only, npm ls clean`;
  });

  for (const format of ['esm', 'cjs']) {
    writeFileSync(join(dir, `smoke.${format === 'esm' ? 'mjs' : 'cjs'}`), smokeProgram(signer, format));
  }
  await checks.run(`${label}: (b) import and require issue + verify a cert`, async () => {
    const env = { ...process.env };
    let stop = async () => {};
    let note;
    if (signer.backend) {
      await emulatorsReady;
      const emulator = await startEmulator(emulatorsDir, signer.backend);
      stop = emulator.stop;
      env.A1_PACK_EMULATOR = JSON.stringify(emulator.description);
      note = `against a1-emulators ${signer.backend}`;
    } else {
      const token = await prepareSoftHsmToken(dir, join(work, 'softhsm'));
      if (token) {
        Object.assign(env, token.env);
        note = `on a SoftHSM2 token (${token.version})`;
      } else {
        env.A1_PACK_LOAD_ONLY = '1';
        note = 'SoftHSM2 is not installed: checked loading only (apt-get install softhsm2 to sign)';
      }
    }
    try {
      const results = [];
      for (const file of ['smoke.mjs', 'smoke.cjs']) {
        const { stdout } = await run(process.execPath, [file], { cwd: dir, env, timeoutMs: 120_000 });
        const result = JSON.parse(stdout.trim().split('\n').pop());
        if (!result.verified && !result.loaded) throw new Error(`${file}: ${stdout}`);
        results.push(`${file} ${result.verified ? 'verified' : 'loaded'}`);
      }
      return `${results.join(', ')}; ${note}`;
    } finally {
      await stop();
    }
  });

  const source = typescriptProgram(signer);
  const declarationsFor = (mode) => (mode === 'NodeNext' ? [`${signer.name}/dist/index.d.ts`, `${signer.name}/dist/index.d.cts`] : [`${signer.name}/dist/index.d.ts`]);
  for (const mode of ['NodeNext', 'Bundler']) {
    await checks.run(`${label}: (c) TypeScript compiles against the .d.ts (moduleResolution ${mode})`, async () => {
      compileAgainstTypes(root, dir, mode, source, declarationsFor);
    });
  }
}

async function coreAlone() {
  const dir = join(work, 'core');
  const installed = await checks.run('@a1/core: installs alone (only @noble/* besides itself)', async () => {
    await createProject(dir, [core().tarball]);
    const names = [...installedPackages(dir)].filter((n) => n !== '@a1/core');
    const unexpected = names.filter((n) => !n.startsWith('@noble/'));
    if (unexpected.length > 0) throw new Error(`unexpected dependencies: ${unexpected.join(', ')}`);
    return names.join(', ');
  });
  if (!installed) return;
  await checks.run('@a1/core: import and require both sign and verify with LocalSigner', async () => {
    const body = (load) => `const core = ${load};
const signer = core.LocalSigner.generate();
const message = new Uint8Array(32).fill(7);
if (!core.verifyEd25519(signer.verifyingKey(), message, signer.signMessage(message))) throw new Error('signature did not verify');`;
    writeFileSync(join(dir, 'core.mjs'), `${body("await import('@a1/core')")}\nconsole.log('ok');\n`);
    writeFileSync(join(dir, 'core.cjs'), `${body("require('@a1/core')")}\nconsole.log('ok');\n`);
    for (const file of ['core.mjs', 'core.cjs']) await run(process.execPath, [file], { cwd: dir });
  });
  const source = `import { LocalSigner, CertBuilder, intentHash, type Signer } from '@a1/core';
const root: Signer = LocalSigner.generate();
export const cert = new CertBuilder({ delegatePk: root.verifyingKey(), scopeRoot: intentHash('a'), issuedAt: 0n, expirationUnix: 1n }).build(root);
`;
  for (const mode of ['NodeNext', 'Bundler']) {
    await checks.run(`@a1/core: TypeScript compiles against the .d.ts (moduleResolution ${mode})`, async () => {
      compileAgainstTypes(root, dir, mode, source, (m) => (m === 'NodeNext' ? ['@a1/core/dist/index.d.ts', '@a1/core/dist/index.d.cts'] : ['@a1/core/dist/index.d.ts']));
    });
  }
}

async function storeRedis() {
  const store = packed.get('@a1/store-redis');
  if (!store) return;
  const dir = join(work, 'store-redis');
  const installed = await checks.run('@a1/store-redis: npm install with @a1/core only, no vendor SDK', async () => {
    await createProject(dir, [store.tarball, core().tarball]);
    const foreign = foreignSdks(installedPackages(dir), null);
    if (foreign.length > 0) throw new Error(`found ${foreign.join(', ')}`);
    return formatInstalled(dir);
  });
  if (!installed) return;
  await checks.run('@a1/store-redis: import and require load it', () => loadBoth(dir, '@a1/store-redis', ['RedisNonceStore', 'RedisRevocationStore']));
  const source = `import type { NonceStore, RevocationStore } from '@a1/core';
import { RedisNonceStore, RedisRevocationStore } from '@a1/store-redis';
export function stores(n: RedisNonceStore, r: RedisRevocationStore): [NonceStore, RevocationStore] { return [n, r]; }
`;
  for (const mode of ['NodeNext', 'Bundler']) {
    await checks.run(`@a1/store-redis: TypeScript compiles against the .d.ts (moduleResolution ${mode})`, async () => {
      compileAgainstTypes(root, dir, mode, source, () => ['@a1/store-redis/dist/index.d.ts']);
    });
  }
}

/** A package with no specific checks (the CLI, anything new): installs with core and loads both ways. */
async function otherPackage(name) {
  const dir = join(work, name.replace('@a1/', ''));
  const installed = await checks.run(`${name}: npm install with @a1/core, no vendor SDK pulled in`, async () => {
    // Its own @a1 runtime dependencies (the CLI's @a1/signer-uri) from their tarballs: nothing is on npm yet.
    const ownDeps = Object.keys(packed.get(name).manifest.dependencies ?? {}).filter((d) => d !== '@a1/core' && packed.has(d));
    await createProject(dir, [packed.get(name).tarball, core().tarball, ...ownDeps.map((d) => packed.get(d).tarball)]);
    const foreign = foreignSdks(installedPackages(dir), null);
    if (foreign.length > 0) throw new Error(`found ${foreign.join(', ')}`);
    return formatInstalled(dir);
  });
  if (!installed) return;
  await checks.run(`${name}: import and require load it`, () => loadBoth(dir, name, []));
  for (const bin of Object.keys(binsOf(packed.get(name).manifest))) {
    await checks.run(`${name}: the ${bin} command runs (--help)`, async () => {
      const { stdout, stderr } = await run(join(dir, 'node_modules', '.bin', bin), ['--help'], { cwd: dir, timeoutMs: 60_000 });
      if (!(stdout + stderr).trim()) throw new Error('printed nothing');
    });
  }
}

function binsOf(manifest) {
  if (typeof manifest.bin === 'string') return { [manifest.name.replace(/^@[^/]+\//, '')]: manifest.bin };
  return manifest.bin ?? {};
}

/**
 * The worked example from docs/writing-a-signer.md, as its author would use it: a copy of
 * examples/http-remote-signer with the packed core and testkit installed, its vitest suite run.
 */
async function exampleSigner() {
  const testkit = packed.get('@a1/signer-testkit');
  const source = join(root, 'examples', 'http-remote-signer');
  if (!testkit || !existsSync(source)) return;
  const dir = join(work, 'http-remote-signer');
  cpSync(source, dir, { recursive: true, filter: (path) => !/\/(node_modules|dist)(\/|$)/.test(path) });
  const vitestVersion = JSON.parse(runSync(process.execPath, ['-p', "JSON.stringify(require('vitest/package.json').version)"], { cwd: root }).stdout);
  const installed = await checks.run('examples/http-remote-signer: installs with the packed @a1/core and @a1/signer-testkit', async () => {
    // `npm install <tarballs>` keeps the example's package.json, pointing its @a1 deps at the tarballs.
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', core().tarball, testkit.tarball, `vitest@${vitestVersion}`], { cwd: dir, timeoutMs: 300_000 });
    return formatInstalled(dir);
  });
  if (!installed) return;
  await checks.run('examples/http-remote-signer: TypeScript compiles (NodeNext) against the packed .d.ts', async () => {
    const ts = (await import('node:module')).createRequire(join(root, 'package.json'))('typescript');
    const config = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), { noEmit: true }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); } });
    config.options.typeRoots = [join(root, 'node_modules', '@types'), join(dir, 'node_modules', '@types')];
    const program = ts.createProgram(config.fileNames, config.options);
    const ours = program.getSourceFiles().filter((sf) => !sf.fileName.includes('/node_modules/') || sf.fileName.includes('/node_modules/@a1/'));
    const diagnostics = [...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...ours.flatMap((sf) => [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)])];
    if (diagnostics.length > 0) throw new Error(ts.formatDiagnostics(diagnostics.slice(0, 8), { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => '\n' }));
    return `${config.fileNames.length} files`;
  });
  await checks.run('examples/http-remote-signer: its conformance suite (@a1/signer-testkit) passes under vitest', async () => {
    const result = await run(join(dir, 'node_modules', '.bin', 'vitest'), ['run', '--reporter=dot'], { cwd: dir, timeoutMs: 240_000, env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' } });
    const stdout = result.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    const summary = stdout.split('\n').filter((l) => /^\s*Tests\s+\d+/.test(l)).pop()?.trim().replace(/\s+/g, ' ');
    if (!summary || /failed/.test(summary)) throw new Error(tail(stdout));
    if (!/\d+ passed/.test(summary)) throw new Error(`no test passed: ${summary}`);
    if (/skipped/.test(summary)) throw new Error(`a conformance check was skipped (the example configures them all): ${summary}`);
    return summary;
  });
}

async function releasePlanChecks() {
  const scratch = join(work, 'release-plan');
  const scenarios = [
    { releases: { '@a1/core': 'minor' }, rule: 'a core minor majors no signer' },
    { releases: { '@a1/signer-vault': 'minor' }, rule: 'a signer minor moves only it and its dependents' },
    { releases: { '@a1/core': 'major' }, rule: 'a core major majors every peer dependent (their range is left)' },
  ];
  for (const { releases, rule } of scenarios) {
    const label = Object.entries(releases).map(([n, t]) => `${n} ${t}`).join(', ');
    await checks.run(`changeset version (${label}): ${rule}`, async () => {
      const plan = await versionInScratch(root, scratch, releases);
      const moved = bumps(plan);
      const touched = Object.keys(releases);
      // Everything that may move: the touched packages and, transitively, what depends on them.
      const allowed = new Set(touched);
      for (let grew = true; grew; ) {
        grew = false;
        for (const name of [...allowed]) for (const dependent of dependentsOf(plan.before, name)) if (!allowed.has(dependent)) { allowed.add(dependent); grew = true; }
      }
      const problems = [];
      for (const [name, type] of Object.entries(releases)) if (moved[name] !== type) problems.push(`${name} moved ${moved[name] ?? 'not at all'}, expected ${type}`);
      for (const name of Object.keys(moved)) if (!allowed.has(name)) problems.push(`${name} moved (${moved[name]}) though it neither was touched nor depends on a touched package`);
      const coreMajor = releases['@a1/core'] === 'major';
      for (const [name, type] of Object.entries(moved)) {
        if (touched.includes(name)) continue;
        if (type === 'major' && !coreMajor) problems.push(`${name} was majored by a release inside its range`);
      }
      if (coreMajor) {
        for (const name of dependentsOf(plan.before, '@a1/core')) {
          if (plan.before[name].peerDependencies?.['@a1/core'] && moved[name] !== 'major') problems.push(`${name} has @a1/core as a peer but was not majored by a core major`);
        }
      }
      if (problems.length > 0) throw new Error(`${problems.join('\n')}\nplan: ${JSON.stringify(moved)}`);
      return Object.entries(moved).map(([n, t]) => `${n.replace('@a1/', '')} ${t}`).join(', ') || 'nothing moved';
    });
  }
}

async function loadBoth(dir, name, exportNames) {
  const check = (load) => `const m = ${load};
const missing = ${JSON.stringify(exportNames)}.filter((n) => !(n in m));
if (missing.length) throw new Error('missing exports: ' + missing.join(', '));
if (Object.keys(m).length === 0) throw new Error('no exports');`;
  writeFileSync(join(dir, 'load.mjs'), check(`await import(${JSON.stringify(name)})`));
  writeFileSync(join(dir, 'load.cjs'), check(`require(${JSON.stringify(name)})`));
  for (const file of ['load.mjs', 'load.cjs']) await run(process.execPath, [file], { cwd: dir, timeoutMs: 60_000 });
}

function core() {
  return packed.get('@a1/core');
}

function formatInstalled(dir) {
  return `${installedPackages(dir).size} packages installed`;
}

main()
  .catch((error) => checks.fail('pack test', error instanceof Error ? error.stack ?? error.message : String(error)))
  .finally(() => {
    if (args.has('--keep')) console.log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
    console.log(`pack test took ${((Date.now() - started) / 1000).toFixed(0)} s`);
    console.log(checks.summary());
    process.exit(checks.failed === 0 ? 0 : 1);
  });
