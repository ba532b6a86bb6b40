/**
 * `a1-emulators <backend> --quota …` meters a running emulator, so benches and other packages'
 * tests can start one with a quota from the command line (runs the built bin, as users do).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KMSClient, SignCommand } from '@aws-sdk/client-kms';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/a1-emulators.js', import.meta.url));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
});

/** Starts the command and resolves with its printed description (stderr shown on failure). */
function startCommand(args: string[]): Promise<{ code: number | null; out: string; err: string; child: ChildProcess }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // The description is one pretty-printed JSON object ending in "}\n".
      if (out.trimEnd().endsWith('}')) {
        try {
          JSON.parse(out);
          resolve({ code: null, out, err, child });
        } catch {
          // not complete yet
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => resolve({ code, out, err, child }));
  });
}

describe('a1-emulators --quota', () => {
  it('throttles the metered operation of a running AWS KMS emulator', async () => {
    const started = await startCommand(['aws', '--quota', '1/600000:Sign']);
    expect(started.code, `stdout: ${started.out}\nstderr: ${started.err}`).toBeNull();
    const described = JSON.parse(started.out) as {
      endpoint: string;
      region: string;
      credentials: { accessKeyId: string; secretAccessKey: string }[];
      env: { A1_KMS_KEY_ID: string };
    };
    const client = new KMSClient({
      endpoint: described.endpoint,
      region: described.region,
      credentials: described.credentials[0]!,
      maxAttempts: 1,
    });
    try {
      const sign = () =>
        client.send(
          new SignCommand({ KeyId: described.env.A1_KMS_KEY_ID, Message: new Uint8Array(32), MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512' }),
        );
      await expect(sign()).resolves.toMatchObject({ SigningAlgorithm: 'ED25519_SHA_512' });
      await expect(sign()).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    } finally {
      client.destroy();
    }
  });

  it('refuses a malformed quota with exit code 2 and the expected form', async () => {
    const started = await startCommand(['aws', '--quota', 'lots']);
    expect(started.code, `stdout: ${started.out}\nstderr: ${started.err}`).toBe(2);
    expect(started.err).toMatch(/LIMIT\/WINDOW_MS/);
  });
});
