/** Child processes for the pack test: output captured, a deadline, and the tail in errors. */
import { spawn } from 'node:child_process';

/** Runs a command to completion; rejects with its last output lines on a non-zero exit or timeout. */
export function run(command, args, { cwd, env, timeoutMs = 180_000, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve({ stdout, stderr });
      const why = signal ? `killed by ${signal}${signal === 'SIGKILL' ? ` after ${timeoutMs} ms` : ''}` : `exit code ${code}`;
      reject(new Error(`${command} ${args.join(' ')} (in ${cwd ?? process.cwd()}): ${why}\n${tail(stderr || stdout)}`));
    });
    child.stdin.end(input ?? '');
  });
}

export function tail(text, lines = 25) {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
