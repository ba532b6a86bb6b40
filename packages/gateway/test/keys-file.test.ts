// `a1-gateway key create` mints a key; the binary reads the keys file and enforces its roles.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LocalSigner, toHex } from '@a1/core';
import { afterAll, describe, expect, it } from 'vitest';
import { ContractClient } from './support/contract-client.js';
import { baseEnv, GATEWAY_BIN, startGatewayProcess } from './support/gateway-process.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'a1-gateway-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('API keys through the binary', () => {
  it('key create prints the key once on stderr and a record without it on stdout; the server honours its role', async () => {
    const { stdout, stderr } = await run(process.execPath, [GATEWAY_BIN, 'key', 'create', '--name', 'ci', '--role', 'issue', '--rps', '50']);
    const record = JSON.parse(stdout);
    const token = /^(a1gw_[0-9a-f]{12}_\S+)$/m.exec(stderr)![1]!;
    expect(record).toMatchObject({ name: 'ci', roles: ['issue'], rateLimitRps: 50 });
    expect(stdout).not.toContain(token.split('_').at(-1));
    writeFileSync(join(dir, 'keys.json'), JSON.stringify({ keys: [record] }), { mode: 0o600 });
    writeFileSync(join(dir, 'root.key'), `${toHex(LocalSigner.generate().exportSeed())}\n`, { mode: 0o600 });

    const gateway = await startGatewayProcess(baseEnv({ A1_GATEWAY_SIGNER: 'file:./root.key', A1_GATEWAY_API_KEYS_FILE: './keys.json' }), { cwd: dir });
    try {
      const client = new ContractClient(gateway.url).with({ credential: token });
      const agent = toHex(LocalSigner.generate().verifyingKey());
      expect((await client.issueCert({ delegate_pk_hex: agent, intents: [{ name: 'x' }] })).status).toBe(201);
      expect((await client.revoke('ab'.repeat(32))).status).toBe(403);
      expect((await new ContractClient(gateway.url).issueCert({ delegate_pk_hex: agent, intents: [{ name: 'x' }] })).status).toBe(401);
      expect(gateway.output()).not.toContain(token);
    } finally {
      expect(await gateway.stop()).toBe(0);
    }
  });

  it('a malformed keys file stops the binary with exit code 2, naming the entry', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ keys: [{ id: 'nope' }] }));
    await expect(startGatewayProcess(baseEnv({ A1_GATEWAY_SIGNER: 'file:./root.key', A1_GATEWAY_API_KEYS_FILE: './bad.json' }), { cwd: dir })).rejects.toThrow(/exited with 2[\s\S]*keys\[0\]\.id/);
  });
});
