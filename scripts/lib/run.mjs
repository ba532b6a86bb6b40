/**
 * Child processes for tests and scripts: output captured, a deadline, and — when the child fails —
 * an error that says what ran, where, how it ended, and the last lines of BOTH its stdout and its
 * stderr (tools such as pnpm print their reason on stdout, so stderr alone can hide it).
 *
 * The one home for this: package tests import it by relative path (tests are not published), e.g.
 * `import { run } from '../../../scripts/lib/run.mjs'`; run.d.mts beside it carries the types.
 */
import { spawn, spawnSync } from 'node:child_process';

/** Runs a command to completion; resolves { stdout, stderr }, rejects with describeFailure(). */
export function run(command, args, { cwd, env, timeoutMs = 180_000, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: env ?? process.env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} (in ${cwd ?? process.cwd()}) could not start: ${error.message}`, { cause: error }));
    });
    const finish = (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve({ stdout, stderr });
      reject(new Error(describeFailure({ command, args, cwd, code, signal, timedOut, timeoutMs, stdout, stderr })));
    };
    child.on('close', finish);
    // Killed at the deadline: a grandchild may still hold the pipes open, so 'close' could wait.
    child.on('exit', (code, signal) => {
      if (!timedOut) return;
      child.stdout.destroy();
      child.stderr.destroy();
      finish(code, signal);
    });
    // A child that exits without reading its input must not crash us with EPIPE.
    child.stdin?.on('error', () => {});
    child.stdin?.end(input);
  });
}

/** The same, synchronously: returns { stdout, stderr } or throws with both outputs' tails. */
export function runSync(command, args, { cwd, env, timeoutMs = 180_000, input } = {}) {
  const result = spawnSync(command, args, { cwd, env: env ?? process.env, input: input ?? '', encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (result.error && result.status === null && result.signal === null) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd ?? process.cwd()}) could not start: ${result.error.message}`, { cause: result.error });
  }
  const { status: code, signal, stdout = '', stderr = '' } = result;
  if (code === 0) return { stdout, stderr };
  const timedOut = result.error?.code === 'ETIMEDOUT';
  throw new Error(describeFailure({ command, args, cwd, code, signal, timedOut, timeoutMs, stdout, stderr }));
}

/** "cmd args (in dir): exit code 1" followed by the tails of stdout and stderr, each labelled. */
export function describeFailure({ command, args = [], cwd, code, signal, timedOut = false, timeoutMs, stdout = '', stderr = '' }) {
  const how = timedOut ? `timed out after ${timeoutMs} ms (killed)` : signal ? `killed by ${signal}` : `exit code ${code}`;
  return [`${command} ${args.join(' ')} (in ${cwd ?? process.cwd()}): ${how}`, section('stdout', stdout), section('stderr', stderr)].join('\n');
}

function section(name, text) {
  const body = String(text ?? '').trimEnd();
  return body ? `--- ${name} (last lines) ---\n${tail(body)}` : `--- ${name}: (empty) ---`;
}

export function tail(text, lines = 40) {
  return String(text).trimEnd().split('\n').slice(-lines).join('\n');
}
