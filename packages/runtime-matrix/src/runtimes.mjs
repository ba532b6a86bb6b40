// Where each runtime of the matrix lives and how the bundled checks run in it. Node 22 and 24,
// Deno and Bun come from the npm registry as packages that carry their binaries (this package's
// optionalDependencies); Node 20 is the one running this; Chromium is Debian's.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumInstalled, CHROMIUM_PATH, launchChromium } from './chromium.mjs';
import { serveStatic } from './static-server.mjs';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(pkg, '../..');
const require = createRequire(join(pkg, 'package.json'));
export const BROWSER_DIR = join(pkg, 'dist/browser');

/** What a runtime runs: the checks (the default) or the P7/P8 bench, as built by build-bundles.mjs. */
export const MATRIX = { bundle: join(pkg, 'dist/matrix.mjs'), page: 'index.html', mark: 'A1-MATRIX-REPORT ', global: 'a1Matrix' };
export const BENCH = { bundle: join(pkg, 'dist/bench.mjs'), page: 'bench.html', mark: 'A1-MATRIX-BENCH ', global: 'a1Bench' };

/** The file `subpath` inside package `name`, resolved from `from` (a package's own dependency), if installed. */
function packageFile(name, subpath, from = require) {
  try {
    const file = join(dirname(from.resolve(`${name}/package.json`)), subpath);
    return existsSync(file) ? file : undefined;
  } catch {
    return undefined;
  }
}

// deno and bun pick their platform binary with a postinstall script, which pnpm does not run; the
// binary itself is in the platform package each one lists as an optional dependency.
function platformBinary(wrapper, platformPackage, subpath) {
  try {
    const wrapperRequire = createRequire(require.resolve(`${wrapper}/package.json`));
    return packageFile(platformPackage, subpath, wrapperRequire);
  } catch {
    return undefined;
  }
}

const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
const denoPlatform = process.platform === 'linux' ? `linux-${arch}-glibc` : `${process.platform}-${arch}`;
const bunPlatform = `${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch === 'arm64' ? 'aarch64' : 'x64'}`;

function runCli(command, args, mark, env = {}) {
  return new Promise((resolvePromise, reject) => {
    execFile(
      command,
      args,
      { cwd: pkg, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024, timeout: 15 * 60_000 },
      (error, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith(mark));
        if (line) return resolvePromise(JSON.parse(line.slice(mark.length)));
        reject(new Error(`${command} ended without a report (${error?.message ?? 'no error'}):\n${stderr.slice(-3000)}`));
      },
    );
  });
}

/** Each runtime: `binary()` (undefined when missing), `install` (what to do then) and `run(target)`. */
export const RUNTIMES = [
  {
    id: 'node20',
    label: `Node ${process.versions.node} (this machine)`,
    install: 'the Node running this test',
    binary: () => process.execPath,
    run: (target = MATRIX) => runCli(process.execPath, [target.bundle], target.mark),
  },
  ...['22', '24'].map((major) => ({
    id: `node${major}`,
    label: `Node ${major}`,
    install: `pnpm install (optional dependency node${major} = npm:node-${process.platform}-${arch}@${major})`,
    binary: () => packageFile(`node${major}`, 'bin/node'),
    run(target = MATRIX) {
      return runCli(this.binary(), [target.bundle], target.mark);
    },
  })),
  {
    id: 'deno',
    label: 'Deno',
    install: `pnpm install (optional dependency deno, binary in @deno/${denoPlatform})`,
    binary: () => platformBinary('deno', `@deno/${denoPlatform}`, process.platform === 'win32' ? 'deno.exe' : 'deno'),
    run(target = MATRIX) {
      // Read access to the repository and FFI for sodium-native (its loader also looks for
      // /etc/alpine-release to tell musl from glibc), environment for vitest's expect.
      const read = `--allow-read=${repo},/etc/alpine-release`;
      const args = ['run', '--no-prompt', '--no-config', '--no-lock', '--allow-env', read, `--allow-ffi=${repo}`, target.bundle];
      return runCli(this.binary(), args, target.mark, { DENO_NO_UPDATE_CHECK: '1', DENO_DIR: join(tmpdir(), 'a1-deno-cache') });
    },
  },
  {
    id: 'bun',
    label: 'Bun',
    install: `pnpm install (optional dependency bun, binary in @oven/bun-${bunPlatform})`,
    binary: () => platformBinary('bun', `@oven/bun-${bunPlatform}`, process.platform === 'win32' ? 'bin/bun.exe' : 'bin/bun'),
    run(target = MATRIX) {
      return runCli(this.binary(), [target.bundle], target.mark);
    },
  },
  {
    id: 'chromium',
    label: 'Chromium (headless)',
    install: 'bash scripts/ensure-chromium.sh (apt-get install chromium)',
    binary: () => (chromiumInstalled() ? CHROMIUM_PATH : undefined),
    async run(target = MATRIX) {
      const server = await serveStatic(BROWSER_DIR);
      const browser = await launchChromium();
      try {
        const page = await browser.context.newPage();
        const errors = [];
        page.on('pageerror', (err) => errors.push(String(err)));
        await page.goto(`${server.url}${target.page}`);
        await page.waitForFunction((name) => globalThis[name] !== undefined || document.readyState === 'complete', target.global, { timeout: 120_000 });
        const report = await page.evaluate((name) => globalThis[name] ?? null, target.global);
        if (!report) throw new Error(`the page did not start: ${errors.join('; ') || 'no page error'}`);
        return { ...report, runtime: `chromium ${browser.version}` };
      } finally {
        await browser.close();
        await server.close();
      }
    },
  },
];
