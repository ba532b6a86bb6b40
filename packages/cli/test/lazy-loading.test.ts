// `a1 verify` loads one bundled file (its own copy of @a1/core inside): no provider package, no vendor SDK. A signer
// URI loads only the package its scheme names. Traced with a module resolve hook.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, runA1, tempDir, baseEnv } from './helpers.js';

const tmp = tempDir();
const keys = JSON.parse(readFileSync(join(FIXTURES, 'reference-keys.json'), 'utf8')) as { keys: Record<string, string> };
const PROVIDER_OR_SDK = /@a1\/signer-(?!uri\/)|\/packages\/signer-(?!uri\/)|@a1\/emulators|\/packages\/emulators\/|@aws-sdk|@smithy|@google-cloud|google-gax|@grpc|node-vault|@azure|pkcs11js/;

async function traced(name: string, args: string[], env: NodeJS.ProcessEnv = baseEnv()): Promise<{ code: number; modules: string[] }> {
  const file = join(tmp.dir, `${name}.trace`);
  writeFileSync(file, '');
  const result = await runA1(args, { cwd: tmp.dir, env: { ...env, A1_TRACE_FILE: file }, nodeArgs: ['--import', join(FIXTURES, 'trace-imports.mjs')] });
  return { code: result.code, modules: readFileSync(file, 'utf8').split('\n').filter(Boolean) };
}

beforeAll(() => undefined);
afterAll(() => tmp.remove());

describe.concurrent('what each command loads', () => {
  it('a1 verify: one bundled file — no provider package or vendor SDK', async () => {
    const { code, modules } = await traced('verify', ['verify', '--chain', join(FIXTURES, 'reference-chain-3hop.json'), '--agent', keys.keys['agent C']!, '--intent', 'trade.equity', '--at', '1700000000', '--root', keys.keys['principal P']!]);
    expect(code).toBe(0);
    expect(modules.filter((m) => PROVIDER_OR_SDK.test(m))).toEqual([]);
    // One bundled file (dist/offline.js, with @a1/core inside) instead of thirty-odd modules:
    // nothing from packages/core or node_modules is resolved at all.
    const ours = modules.filter((m) => !m.startsWith('node:'));
    expect(ours.filter((m) => !/\/packages\/cli\/(bin\/a1\.js|dist\/(bin|offline|chunk-\w+|process-warnings-\w+)\.js)$/.test(m))).toEqual([]);
    expect(ours.length).toBeLessThanOrEqual(5); // bin/a1.js, dist/bin.js, dist/offline.js and the warnings printer
    expect(ours.some((m) => m.endsWith('/dist/offline.js'))).toBe(true);
  });

  it('a1 pubkey --signer hashivault://…: the Vault package and node-vault, no other provider', async () => {
    // No VAULT_ADDR: the Vault package is loaded and refuses at once (Misconfigured), no network wait.
    const { code, modules } = await traced('vault', ['pubkey', '--signer', 'hashivault://a1-root'], baseEnv());
    expect(code).toBe(2);
    const loaded = modules.filter((m) => PROVIDER_OR_SDK.test(m));
    expect(loaded.some((m) => m.includes('signer-vault'))).toBe(true);
    expect(loaded.filter((m) => /signer-(aws|gcp|azure|pkcs11)|@aws-sdk|@google-cloud|@azure|pkcs11js/.test(m))).toEqual([]);
  });

  it('a1 --help and a1 keygen load no provider either', async () => {
    for (const args of [['--help'], ['keygen', '-o', 'k.key']]) {
      const { modules } = await traced(args[0]!.replace(/-/g, ''), args);
      expect(modules.filter((m) => PROVIDER_OR_SDK.test(m))).toEqual([]);
    }
  });
});
