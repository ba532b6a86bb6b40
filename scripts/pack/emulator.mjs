/**
 * Starts `a1-emulators <backend> --port 0` from the emulators' own install dir (so the emulator's
 * dependencies can never satisfy a signer's missing ones) and reads the JSON it prints.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export function startEmulator(emulatorsDir, backend, { timeoutMs = 60_000 } = {}) {
  const bin = join(emulatorsDir, 'node_modules', '.bin', 'a1-emulators');
  const child = spawn(bin, [backend, '--port', '0'], { cwd: emulatorsDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`a1-emulators ${backend} printed no description within ${timeoutMs} ms\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
    }, timeoutMs);
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      let description;
      try {
        description = JSON.parse(stdout);
      } catch {
        return; // the JSON is printed over several chunks
      }
      clearTimeout(timer);
      resolve({
        description,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
          }),
      });
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`a1-emulators ${backend} exited (${code}) before describing itself\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
    });
  });
}
