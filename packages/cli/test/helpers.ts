/**
 * Runs the built `a1` binary as a subprocess (what users run), in a temp directory, and
 * collects stdout, stderr and the exit code.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onTestFailed } from 'vitest';
import { describeFailure } from '../../../scripts/lib/run.mjs';

export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const A1_BIN = join(PACKAGE_DIR, 'bin', 'a1.js');
export const FIXTURES = join(PACKAGE_DIR, 'test', 'fixtures');

if (!existsSync(join(PACKAGE_DIR, 'dist', 'bin.js'))) {
  throw new Error('packages/cli is not built: run `pnpm turbo run build --filter=@a1/cli...` first');
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A clean environment: no cloud credentials or a1 variables leak in from the developer's shell. */
export function baseEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'SYSTEMROOT']) if (process.env[name]) env[name] = process.env[name];
  return { ...env, ...extra };
}

export function runA1(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; bin?: string; nodeArgs?: string[] } = {}): Promise<RunResult> {
  return new Promise((resolveRun) => {
    execFile(
      process.execPath,
      [...(options.nodeArgs ?? []), options.bin ?? A1_BIN, ...args],
      { cwd: options.cwd ?? PACKAGE_DIR, env: options.env ?? baseEnv(), timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 99) : 0;
        const result = { code, stdout: String(stdout), stderr: String(stderr) };
        showOnFailure(['a1', ...args], options.cwd ?? PACKAGE_DIR, error, result);
        resolveRun(result);
      },
    );
  });
}

/**
 * Most assertions check only the exit code; when the test fails, print what `a1` said so the
 * reason is in the log. Outside a running test (a beforeAll) there is no test to attach to.
 */
function showOnFailure(argv: string[], cwd: string, error: { killed?: boolean; signal?: NodeJS.Signals | null } | null, result: RunResult): void {
  try {
    onTestFailed(() => {
      const [command = 'a1', ...args] = argv;
      console.error(describeFailure({ command, args, cwd, code: result.code, signal: error?.signal ?? null, timedOut: error?.killed === true, timeoutMs: 60_000, stdout: result.stdout, stderr: result.stderr }));
    });
  } catch {
    // not inside a test
  }
}

export function tempDir(prefix = 'a1-cli-test-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Expected failures never show a stack trace. */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+\(.+:\d+:\d+\)/.test(text) || /\n\s+at file:\/\//.test(text);
}

export function json<T = Record<string, unknown>>(text: string): T {
  return JSON.parse(text) as T;
}
