// The whole flow with file: keys, through the built binary: keygen → passport → two hops → verify,
// inspect and convert, and every refusal and usage error with its exit code.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, json, runA1, tempDir, type RunResult } from './helpers.js';

const tmp = tempDir();
const cwd = tmp.dir;
const a1 = (...args: string[]) => runA1(args, { cwd });
/** `a1 verify` with the root pinned (--root) unless the call names its own anchor (--passport). */
const verify = (...args: string[]): Promise<RunResult> => a1('verify', ...args, ...(args.includes('--passport') ? [] : ['--root', rootKey]));
let rootKey = '';
let agentA = '';
let agentB = '';
let agentC = '';

function expectClean(result: RunResult): void {
  expect(hasStackTrace(result.stderr), result.stderr).toBe(false);
}

beforeAll(async () => {
  const keys = await Promise.all(['root', 'a', 'b', 'c'].map((name) => a1('keygen', '-o', `${name}.key`, '--json')));
  for (const k of keys) expect(k.code, k.stderr).toBe(0);
  [rootKey, agentA, agentB, agentC] = keys.map((k) => json<{ public_key: string }>(k.stdout).public_key) as [string, string, string, string];
  const passport = await a1('passport', 'issue', '--signer', 'file:./root.key', '--namespace', 'acme-bot', '--capabilities', 'trade.equity,portfolio.read', '--capabilities', 'audit.read', '--ttl', '30d', '-o', 'passport.json');
  expect(passport.code, passport.stderr).toBe(0);
  const hop0 = await a1('cert', 'issue', '--signer', 'file:./root.key', '--passport', 'passport.json', '--delegate', agentA, '--capabilities', 'trade.equity,portfolio.read', '--ttl', '1h', '-o', 'chain.json');
  expect(hop0.code, hop0.stderr).toBe(0);
  const hop1 = await a1('cert', 'issue', '--signer', 'file:./a.key', '--passport', 'passport.json', '--chain', 'chain.json', '--delegate', agentB, '--capabilities', 'trade.equity', '--ttl', '10m', '--json');
  expect(hop1.code, hop1.stderr).toBe(0);
}, 60_000);

afterAll(() => tmp.remove());

describe('keygen and pubkey', () => {
  it('writes a 0600 seed file and prints the public key; pubkey reads it back', async () => {
    const result = await a1('keygen', '-o', 'fresh.key');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(result.stderr).toContain('mode 0600');
    expect(statSync(join(cwd, 'fresh.key')).mode & 0o777).toBe(0o600);
    const pub = await a1('pubkey', '--signer', 'file:./fresh.key', '--json');
    expect(pub.code).toBe(0);
    expect(json(pub.stdout)).toMatchObject({ public_key: result.stdout.trim(), provider: 'local' });
  });

  it('refuses to overwrite a key (exit 4) unless --force', async () => {
    const again = await a1('keygen', '-o', 'root.key');
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('already exists');
    expectClean(again);
    const jsonError = await a1('keygen', '-o', 'root.key', '--json');
    expect(json<{ error: { code: string; exit_code: number } }>(jsonError.stderr).error).toMatchObject({ code: 'FileError', exit_code: 4 });
  });

  it('warns about a seed file others can read', async () => {
    writeFileSync(join(cwd, 'loose.key'), readFileSync(join(cwd, 'a.key')), { mode: 0o644 });
    const result = await a1('pubkey', '--signer', 'file:loose.key');
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(agentA);
    expect(result.stderr).toContain('readable by other users');
  });

  it('names a missing key file and how to make one (exit 4)', async () => {
    const result = await a1('pubkey', '--signer', 'file:./nope.key');
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('no such file');
    expect(result.stderr).toContain('a1 keygen');
    expectClean(result);
  });

  it('refuses a file that is not a seed (exit 2)', async () => {
    writeFileSync(join(cwd, 'junk.key'), 'not a key\n', { mode: 0o600 });
    const result = await a1('pubkey', '--signer', 'file:junk.key');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not an a1 seed file');
  });
});

describe('passport issue and cert issue', () => {
  it("writes the reference's passport file", () => {
    const file = json<Record<string, unknown>>(readFileSync(join(cwd, 'passport.json'), 'utf8'));
    expect(Object.keys(file)).toEqual(['a1_passport', 'namespace', 'capability_mask_hex', 'capabilities', 'cert', '_magic']);
    expect(file).toMatchObject({ a1_passport: 1, namespace: 'acme-bot', capabilities: ['trade.equity', 'portfolio.read', 'audit.read'], _magic: 'dyolo_v2.8.0' });
  });

  it("writes the chain in the reference's JSON (keys as arrays of numbers)", () => {
    const chain = json<{ version: number; principal_pk: string; certs: Array<{ delegator_pk: unknown; extensions: { fields: Record<string, unknown> } }> }>(readFileSync(join(cwd, 'chain.json'), 'utf8'));
    expect(chain.version).toBe(1);
    expect(chain.certs).toHaveLength(2);
    expect(Array.isArray(chain.certs[0]!.delegator_pk)).toBe(true);
    expect(chain.certs[1]!.extensions.fields['dyolo.passport.namespace']).toBe('acme-bot');
  });

  it('passport issue --json reports the holder and validity', async () => {
    const result = await a1('passport', 'issue', '--signer', 'file:./root.key', '-n', 'other', '--capabilities', 'x.read', '--ttl', '12h', '-o', 'p2.json', '--json');
    expect(result.code).toBe(0);
    const out = json<{ capabilities: string[]; expiration_unix: number; issued_at: number; provider: string }>(result.stdout);
    expect(out.capabilities).toEqual(['x.read']);
    expect(out.expiration_unix - out.issued_at).toBe(12 * 3600);
    expect(out.provider).toBe('local');
  });

  it('refuses a capability the passport does not grant (exit 1, PassportNarrowingViolation)', async () => {
    const result = await a1('cert', 'issue', '--signer', 'file:./root.key', '--passport', 'passport.json', '--delegate', agentC, '--capabilities', 'wire.transfer', '--ttl', '1h');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PassportNarrowingViolation');
    expect(result.stderr).toContain('wire.transfer');
    expectClean(result);
  });

  it('refuses a later hop that widens the scope (exit 1, ScopeEscalation), before signing', async () => {
    const result = await a1('cert', 'issue', '--signer', 'file:./b.key', '--passport', 'passport.json', '--chain', 'chain.json', '--delegate', agentC, '--capabilities', 'portfolio.read', '--ttl', '5m', '-o', 'never.json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ScopeEscalation');
    expect(result.stderr).toContain('does not hold portfolio.read');
  });

  it('refuses a hop signed by someone other than the last delegate (exit 2)', async () => {
    const result = await a1('cert', 'issue', '--signer', 'file:./a.key', '--passport', 'passport.json', '--chain', 'chain.json', '--delegate', agentC, '--capabilities', 'trade.equity', '--ttl', '5m', '-o', 'never.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is not the chain's last delegate");
  });

  it('refuses a hop that would outlive its delegator (exit 2)', async () => {
    const result = await a1('cert', 'issue', '--signer', 'file:./b.key', '--passport', 'passport.json', '--chain', 'chain.json', '--delegate', agentC, '--capabilities', 'trade.equity', '--ttl', '2h', '-o', 'never.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('outlive hop 1');
  });

  it('refuses a first hop from a key that is not the passport holder (exit 2)', async () => {
    const result = await a1('cert', 'issue', '--signer', 'file:./a.key', '--passport', 'passport.json', '--delegate', agentC, '--capabilities', 'trade.equity');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not the passport holder');
  });

  it('writes a chain to stdout without -o, and as JSON under --json', async () => {
    const plain = await a1('cert', 'issue', '--signer', 'file:./root.key', '--passport', 'passport.json', '--delegate', agentC, '--capabilities', 'audit.read', '--ttl', '90s');
    expect(plain.code).toBe(0);
    expect(json<{ certs: unknown[] }>(plain.stdout).certs).toHaveLength(1);
    const asJson = await a1('cert', 'issue', '--signer', 'file:./root.key', '--passport', 'passport.json', '--delegate', agentC, '--capabilities', 'audit.read', '--format', 'schema', '--json');
    const out = json<{ hop: number; format: string; chain: { certs: Array<{ delegator_pk: unknown }> } }>(asJson.stdout);
    expect(out).toMatchObject({ hop: 0, format: 'schema' });
    expect(typeof out.chain.certs[0]!.delegator_pk).toBe('string');
  });
});

describe('verify', () => {
  it('authorizes the terminal agent for a delegated intent (exit 0 + receipt)', async () => {
    const result = await verify('--chain', 'chain.json', '--agent', agentB, '--intent', 'trade.equity');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('authorized');
    expect(result.stdout).toContain('chain depth   2');
    const asJson = await verify('--chain', 'chain.json', '--agent', agentB, '--intent', 'trade.equity', '--passport', 'passport.json', '--json');
    expect(asJson.code).toBe(0);
    expect(json(asJson.stdout)).toMatchObject({ authorized: true, chain_depth: 2, namespace: 'acme-bot', action: 'trade.equity' });
  });

  it('proves an intent inside a multi-capability hop', async () => {
    const result = await verify('--chain', 'chain.json', '--agent', agentA, '--intent', 'portfolio.read');
    // agent A is not the terminal delegate of the two-hop chain:
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('UnauthorizedLeaf');
    const oneHop = await a1('cert', 'issue', '--signer', 'file:./root.key', '--passport', 'passport.json', '--delegate', agentA, '--capabilities', 'trade.equity,portfolio.read', '-o', 'one-hop.json');
    expect(oneHop.code).toBe(0);
    const ok = await verify('--chain', 'one-hop.json', '--agent', agentA, '--intent', 'portfolio.read');
    expect(ok.code, ok.stderr).toBe(0);
  });

  const refusals: Array<[string, string[], string, string]> = [
    ['a capability not delegated', ['--intent', 'audit.read'], 'ScopeViolation', 'not among the capabilities delegated'],
    ['an intent with other parameters', ['--intent', 'trade.equity', '--param', 'pair=eurusd'], 'ScopeViolation', 'parameters differ'],
    ['a time after expiry', ['--intent', 'trade.equity', '--at', '4102444800'], 'Expired', 'expired'],
    ['a time before issue', ['--intent', 'trade.equity', '--at', '1000000000'], 'NotYetValid', 'not valid yet'],
    ['the passport mask', ['--intent', 'wire.transfer', '--passport', 'passport.json'], 'PassportNarrowingViolation', 'never granted it'],
  ];
  for (const [what, args, code, words] of refusals) {
    it(`refuses ${what}: exit 1, ${code}, an explanation`, async () => {
      const result = await verify('--chain', 'chain.json', '--agent', agentB, ...args);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`refused: ${code}`);
      expect(result.stderr).toContain(words);
      expect(result.stdout).toBe('');
      expectClean(result);
      const asJson = await verify('--chain', 'chain.json', '--agent', agentB, ...args, '--json');
      expect(asJson.code).toBe(1);
      expect(json(asJson.stdout)).toMatchObject({ authorized: false, code });
    });
  }

  it('refuses another agent presenting the chain (UnauthorizedLeaf)', async () => {
    const result = await verify('--chain', 'chain.json', '--agent', agentC, '--intent', 'trade.equity');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('UnauthorizedLeaf');
  });

  it('refuses a revoked cert (--revoked file of fingerprints)', async () => {
    const inspect = json<{ hops: Array<{ fingerprint: string }> }>((await a1('inspect', 'chain.json', '--json')).stdout);
    writeFileSync(join(cwd, 'revoked.txt'), `# revoked by ops\n${inspect.hops[0]!.fingerprint}\n`);
    const result = await verify('--chain', 'chain.json', '--agent', agentB, '--intent', 'trade.equity', '--revoked', 'revoked.txt');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Revoked');
    writeFileSync(join(cwd, 'bad-revoked.txt'), 'zz\n');
    const bad = await verify('--chain', 'chain.json', '--agent', agentB, '--intent', 'trade.equity', '--revoked', 'bad-revoked.txt');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad-revoked.txt:1');
  });

  it('refuses a tampered cert (InvalidSignature) and a malformed file (WireFormatError)', async () => {
    const chain = json<{ certs: Array<{ expiration_unix: number }> }>(readFileSync(join(cwd, 'chain.json'), 'utf8'));
    chain.certs[1]!.expiration_unix -= 60;
    writeFileSync(join(cwd, 'tampered.json'), JSON.stringify(chain));
    const tampered = await verify('--chain', 'tampered.json', '--agent', agentB, '--intent', 'trade.equity');
    expect(tampered.code).toBe(1);
    expect(tampered.stderr).toContain('InvalidSignature');
    expect(tampered.stderr).toContain('altered after signing');
    writeFileSync(join(cwd, 'broken.json'), '{"version":1,"certs":');
    const broken = await verify('--chain', 'broken.json', '--agent', agentB, '--intent', 'trade.equity');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('WireFormatError');
    expect(broken.stderr).toContain('broken.json');
    expectClean(broken);
  });

  it('honours --drift at the expiry boundary', async () => {
    const expiry = json<{ hops: Array<{ expiration_unix: number }> }>((await a1('inspect', 'chain.json', '--json')).stdout).hops[1]!.expiration_unix;
    const at = String(expiry + 20);
    expect((await verify('--chain', 'chain.json', '--agent', agentB, '--intent', 'trade.equity', '--at', at)).code).toBe(1);
    expect((await verify('--chain', 'chain.json', '--agent', agentB, '--intent', 'trade.equity', '--at', at, '--drift', '30')).code).toBe(0);
  });

  it('reports a missing chain file (exit 4)', async () => {
    const result = await verify('--chain', 'missing.json', '--agent', agentB, '--intent', 'trade.equity');
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('missing.json');
  });
});

describe('inspect and convert', () => {
  it('shows a chain with validity in human time, fingerprints and warnings', async () => {
    const result = await a1('inspect', 'chain.json', '--passport', 'passport.json');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('chain (reference JSON, 2 hops');
    expect(result.stdout).toContain('namespace     acme-bot');
    expect(result.stdout).toContain('capabilities  trade.equity, portfolio.read');
    expect(result.stdout).toMatch(/warning: hop 1: expires in (9|10) minutes/);
    expect(result.stdout).toContain('signature     valid');
  });

  it('shows a passport and a single cert; warns about an expired one', async () => {
    const passport = await a1('inspect', 'passport.json', '--json');
    expect(json(passport.stdout)).toMatchObject({ kind: 'passport', namespace: 'acme-bot', warnings: [] });
    const chain = json<{ certs: unknown[] }>(readFileSync(join(cwd, 'chain.json'), 'utf8'));
    writeFileSync(join(cwd, 'cert.json'), JSON.stringify(chain.certs[0]));
    const cert = await a1('inspect', 'cert.json', '--at', '4102444800');
    expect(cert.code).toBe(0);
    expect(cert.stdout).toContain('cert (reference JSON');
    expect(cert.stdout).toMatch(/warning: cert: expired .* ago/);
  });

  it('converts reference ⇄ schema, and both forms verify', async () => {
    const toSchema = await a1('convert', '--to', 'schema', 'chain.json', '-o', 'chain.schema.json');
    expect(toSchema.code).toBe(0);
    const schema = json<{ certs: Array<{ delegator_pk: unknown }> }>(readFileSync(join(cwd, 'chain.schema.json'), 'utf8'));
    expect(typeof schema.certs[0]!.delegator_pk).toBe('string');
    expect((await a1('inspect', 'chain.schema.json')).stdout).toContain('chain (schema JSON');
    expect((await verify('--chain', 'chain.schema.json', '--agent', agentB, '--intent', 'trade.equity')).code).toBe(0);
    const back = await a1('convert', '--to', 'reference', 'chain.schema.json');
    expect(back.stdout).toBe(readFileSync(join(cwd, 'chain.json'), 'utf8'));
    const passport = await a1('convert', '--to', 'schema', 'passport.json');
    expect(passport.code).toBe(2);
    const badForm = await a1('convert', '--to', 'yaml', 'chain.json');
    expect(badForm.code).toBe(2);
    expect(badForm.stderr).toContain('reference or schema');
  });
});

describe('cert batch', () => {
  it('issues every request with bounded concurrency and prints a summary line (no TTY)', async () => {
    const lines = [
      { delegate: agentA, capabilities: ['trade.equity'], ttl: '30m' },
      { delegate: agentB, capabilities: 'portfolio.read,audit.read' },
      { delegate: agentC, capabilities: ['audit.read'], ttl: '2h' },
    ];
    writeFileSync(join(cwd, 'requests.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`);
    const result = await a1('cert', 'batch', '--signer', 'file:./root.key', '--passport', 'passport.json', '--input', 'requests.jsonl', '-o', 'out.jsonl', '--concurrency', '2');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^issued 3 of 3 certs \(0 failed\) in [\d.]+s with local, concurrency 2/);
    expect(result.stderr).toBe('');
    const out = readFileSync(join(cwd, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => json<{ line: number; ok: boolean; chain: unknown }>(l));
    expect(out.map((o) => [o.line, o.ok])).toEqual([[1, true], [2, true], [3, true]]);
    writeFileSync(join(cwd, 'batch-chain.json'), JSON.stringify(out[2]!.chain));
    expect((await verify('--chain', 'batch-chain.json', '--agent', agentC, '--intent', 'audit.read')).code).toBe(0);
  });

  it('reports failed requests per line and exits 5', async () => {
    writeFileSync(join(cwd, 'mixed.jsonl'), `${JSON.stringify({ delegate: agentA, capabilities: ['trade.equity'] })}\n${JSON.stringify({ delegate: agentB, capabilities: ['wire.transfer'] })}\n`);
    const result = await a1('cert', 'batch', '--signer', 'file:./root.key', '--passport', 'passport.json', '--input', 'mixed.jsonl', '-o', 'mixed-out.jsonl', '--json');
    expect(result.code).toBe(5);
    expect(json(result.stdout)).toMatchObject({ issued: 1, failed: 1, total: 2 });
    const second = json<{ ok: boolean; error: { code: string } }>(readFileSync(join(cwd, 'mixed-out.jsonl'), 'utf8').trim().split('\n')[1]!);
    expect(second).toMatchObject({ ok: false, error: { code: 'PassportNarrowingViolation' } });
  });

  it('a malformed line is one failed result line; the batch goes on (exit 5)', async () => {
    writeFileSync(join(cwd, 'bad.jsonl'), `${JSON.stringify({ delegate: agentA, capabilities: ['trade.equity'] })}\n{"delegate": "xyz", "capabilities": ["trade.equity"]}\nnot json\n${JSON.stringify({ delegate: agentC, capabilities: ['audit.read'] })}\n`);
    const result = await a1('cert', 'batch', '--signer', 'file:./root.key', '--passport', 'passport.json', '--input', 'bad.jsonl', '-o', 'bad-out.jsonl', '--json');
    expect(result.code, result.stderr).toBe(5);
    expect(json(result.stdout)).toMatchObject({ issued: 2, failed: 2, total: 4 });
    const out = readFileSync(join(cwd, 'bad-out.jsonl'), 'utf8').trim().split('\n').map((l) => json<{ line: number; ok: boolean; error?: { code: string; message: string } }>(l));
    expect(out.map((o) => [o.line, o.ok])).toEqual([[1, true], [2, false], [3, false], [4, true]]);
    expect(out[1]!.error).toMatchObject({ code: 'BadInput' });
    expect(out[1]!.error!.message).toContain('line 2: "delegate" must be a 32-byte Ed25519 public key');
    expect(out[2]!.error!.message).toContain('line 3: not a JSON object');
  });

  it('a capability the passport lacks: the line names it and what is granted', async () => {
    writeFileSync(join(cwd, 'lacking.jsonl'), `${JSON.stringify({ delegate: agentA, capabilities: ['trade.equity', 'wire.transfer'] })}\n`);
    const result = await a1('cert', 'batch', '--signer', 'file:./root.key', '--passport', 'passport.json', '--input', 'lacking.jsonl', '-o', 'lacking-out.jsonl');
    expect(result.code).toBe(5);
    const line = json<{ error: { code: string; message: string } }>(readFileSync(join(cwd, 'lacking-out.jsonl'), 'utf8').trim());
    expect(line.error.code).toBe('PassportNarrowingViolation');
    expect(line.error.message).toContain('the passport does not grant wire.transfer (it grants trade.equity, portfolio.read, audit.read)');
  });

  it('an input with no requests at all is a usage error (exit 2)', async () => {
    writeFileSync(join(cwd, 'empty.jsonl'), '\n\n');
    const result = await a1('cert', 'batch', '--signer', 'file:./root.key', '--passport', 'passport.json', '--input', 'empty.jsonl', '-o', 'never.jsonl');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('holds no requests');
  });
});
