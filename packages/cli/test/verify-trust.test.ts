// `a1 verify` and its trust anchor (issue 12 §3, §4): no anchor → refused (exit 2); --root,
// --roots and --passport pin the principal; --insecure-no-root says loudly what it skips; the
// principal key is always printed. Also: one fingerprint per meaning (issue 11 #10), the
// clock-skew note (#8), and a small-order --delegate refused (issue 12 §1).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, json, runA1, tempDir } from './helpers.js';

const tmp = tempDir();
const cwd = tmp.dir;
const a1 = (...args: string[]) => runA1(args, { cwd });
let root = '';
let attacker = '';
let agent = '';
let tenantBAgentChainAgent = '';

beforeAll(async () => {
  const keys = await Promise.all(['root', 'attacker', 'agent'].map((name) => a1('keygen', '-o', `${name}.key`)));
  for (const k of keys) expect(k.code, k.stderr).toBe(0);
  [root, attacker, agent] = keys.map((k) => k.stdout.trim()) as [string, string, string];
  tenantBAgentChainAgent = agent;
  const steps = [
    ['passport', 'issue', '--signer', 'file:root.key', '--namespace', 'tenant-a', '--capabilities', 'trade.equity,audit.read', '-o', 'tenant-a.json'],
    ['passport', 'issue', '--signer', 'file:root.key', '--namespace', 'tenant-b', '--capabilities', 'trade.equity,audit.read', '-o', 'tenant-b.json'],
    ['passport', 'issue', '--signer', 'file:root.key', '--namespace', 'tenant-c', '--capabilities', 'trade.equity,wire.transfer', '-o', 'tenant-c.json'],
    ['passport', 'issue', '--signer', 'file:attacker.key', '--namespace', 'tenant-a', '--capabilities', 'trade.equity,audit.read', '-o', 'forged.json'],
    ['cert', 'issue', '--signer', 'file:root.key', '--passport', 'tenant-a.json', '--delegate', agent, '--capabilities', 'trade.equity', '-o', 'chain-a.json'],
    ['cert', 'issue', '--signer', 'file:root.key', '--passport', 'tenant-b.json', '--delegate', agent, '--capabilities', 'trade.equity', '-o', 'chain-b.json'],
    ['cert', 'issue', '--signer', 'file:root.key', '--passport', 'tenant-c.json', '--delegate', agent, '--capabilities', 'trade.equity', '-o', 'chain-c.json'],
    ['cert', 'issue', '--signer', 'file:attacker.key', '--passport', 'forged.json', '--delegate', agent, '--capabilities', 'trade.equity', '-o', 'forged-chain.json'],
  ];
  for (const step of steps) {
    const result = await a1(...step);
    expect(result.code, `${step.join(' ')}\n${result.stderr}`).toBe(0);
  }
}, 120_000);
afterAll(() => tmp.remove());

const verifyArgs = (chain: string) => ['verify', '--chain', chain, '--agent', agent, '--intent', 'trade.equity'];

describe('a trust anchor is required', () => {
  it('without --root, --roots or --passport: refused, exit 2, and how to pin', async () => {
    const result = await a1(...verifyArgs('chain-a.json'));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('no trust anchor');
    expect(result.stderr).toContain('--root HEX');
    expect(result.stderr).toContain('--passport FILE');
    expect(hasStackTrace(result.stderr)).toBe(false);
    const asJson = await a1(...verifyArgs('chain-a.json'), '--json');
    expect(json<{ error: { exit_code: number; code: string } }>(asJson.stderr).error).toMatchObject({ exit_code: 2, code: 'Usage' });
  });

  it("a chain rooted at the attacker's own key: refused against the pinned root (RootMismatch, exit 1)", async () => {
    const result = await a1(...verifyArgs('forged-chain.json'), '--root', root);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refused: RootMismatch');
    expect(result.stderr).toContain(`principal ${attacker}`);
    expect(result.stderr).toContain('is not a pinned root');
    expect(result.stderr).toContain("The chain's principal key is not one of the roots you pinned");
    expect(result.stderr).not.toContain('passport holder');
    const asJson = await a1(...verifyArgs('forged-chain.json'), '--root', root, '--json');
    expect(json(asJson.stdout)).toMatchObject({ authorized: false, code: 'RootMismatch', principal_pk: attacker });
    expect(json<{ explanation: string }>(asJson.stdout).explanation).toContain('not one of the roots you pinned');
  });

  it('--root: authorized, and the principal key is printed in text and JSON', async () => {
    const text = await a1(...verifyArgs('chain-a.json'), '--root', root);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`principal     ${root}`);
    expect(text.stdout).toContain('anchored at   a pinned root (--root)');
    const asJson = await a1(...verifyArgs('chain-a.json'), '--root', attacker, '--root', root, '--json');
    expect(asJson.code, asJson.stderr).toBe(0);
    expect(json(asJson.stdout)).toMatchObject({ authorized: true, trusted: true, trust_anchor: '--root', principal_pk: root });
  });

  it('--root says no tenant (namespace) binding was checked: another tenant of the same root passes', async () => {
    // chain-b was issued under tenant-b; a verifier for tenant-a that pins only the root key accepts it.
    const text = await a1(...verifyArgs('chain-b.json'), '--root', root);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('namespace     NOT CHECKED: no tenant (namespace) binding was checked');
    expect(text.stdout).toContain('should pass --passport');
    writeFileSync(join(cwd, 'pinned.txt'), `${root}\n`);
    const asJson = await a1(...verifyArgs('chain-b.json'), '--roots', 'pinned.txt', '--json');
    expect(json(asJson.stdout)).toMatchObject({ authorized: true, namespace_checked: false });
    const viaPassport = await a1(...verifyArgs('chain-a.json'), '--passport', 'tenant-a.json');
    expect(viaPassport.stdout).not.toContain('NOT CHECKED');
    expect(json((await a1(...verifyArgs('chain-a.json'), '--passport', 'tenant-a.json', '--json')).stdout)).toMatchObject({ namespace_checked: true });
  });

  it('--roots FILE: pinned keys, one per line, comments allowed; a bad line is named', async () => {
    writeFileSync(join(cwd, 'roots.txt'), `# production roots\n${root}  # a1-root\n`);
    const ok = await a1(...verifyArgs('chain-a.json'), '--roots', 'roots.txt', '--json');
    expect(ok.code, ok.stderr).toBe(0);
    expect(json(ok.stdout)).toMatchObject({ trust_anchor: '--roots', principal_pk: root });
    const forged = await a1(...verifyArgs('forged-chain.json'), '--roots', 'roots.txt');
    expect(forged.code).toBe(1);
    writeFileSync(join(cwd, 'bad-roots.txt'), `${root}\nnot-a-key\n`);
    const bad = await a1(...verifyArgs('chain-a.json'), '--roots', 'bad-roots.txt');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad-roots.txt:2');
  });

  it('--insecure-no-root: authorizes for inspection and says so loudly, in text and JSON', async () => {
    const text = await a1(...verifyArgs('forged-chain.json'), '--insecure-no-root');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stderr).toContain('WARNING: no trust anchor');
    expect(text.stderr).toContain(attacker);
    expect(text.stdout).toContain('UNTRUSTED');
    expect(text.stdout).toContain(`principal     ${attacker}`);
    const asJson = await a1(...verifyArgs('forged-chain.json'), '--insecure-no-root', '--json');
    expect(json(asJson.stdout)).toMatchObject({ authorized: true, trusted: false, trust_anchor: 'none', principal_pk: attacker });
  });
});

describe('--passport verifies as Passport.guard does', () => {
  it("the passport's own chain is authorized", async () => {
    const result = await a1(...verifyArgs('chain-a.json'), '--passport', 'tenant-a.json', '--json');
    expect(result.code, result.stderr).toBe(0);
    expect(json(result.stdout)).toMatchObject({ authorized: true, trust_anchor: '--passport', namespace: 'tenant-a', principal_pk: root });
  });

  it('a look-alike passport (same namespace and capabilities, another key) does not vouch for the real chain', async () => {
    const result = await a1(...verifyArgs('chain-a.json'), '--passport', 'forged.json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('RootMismatch');
    expect(result.stderr).toContain('The chain was not issued under this passport: its principal key or capability scope');
  });

  it("another tenant's chain from the same root key with other capabilities is refused (principal scope)", async () => {
    const result = await a1(...verifyArgs('chain-c.json'), '--passport', 'tenant-a.json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refused:');
    expect(result.stderr).toContain('The chain was not issued under this passport');
  });

  it("another tenant's chain from the same root key and the same capabilities is refused (namespace)", async () => {
    expect(tenantBAgentChainAgent).toBe(agent);
    const result = await a1(...verifyArgs('chain-b.json'), '--passport', 'tenant-a.json');
    expect(result.code, result.stdout).toBe(1);
    expect(result.stderr).toContain('refused: RootMismatch');
    expect(result.stderr).toContain("The chain belongs to another tenant: its namespace is not the passport's");
    expect(result.stderr).not.toContain('was not signed by');
  });

  it('a passport whose holder is not among --root keys is a usage error', async () => {
    const result = await a1(...verifyArgs('chain-a.json'), '--passport', 'tenant-a.json', '--root', attacker);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not among the pinned roots');
  });
});

describe('fingerprints say what they are (issue 11 #10)', () => {
  it('a1 verify with --root, with --passport and a1 inspect agree on the chain fingerprint; the receipt one is labelled', async () => {
    const inspect = json<{ chain_fingerprint: string }>((await a1('inspect', 'chain-a.json', '--json')).stdout);
    const pinned = json<{ chain_fingerprint: string; receipt_chain_fingerprint: string }>((await a1(...verifyArgs('chain-a.json'), '--root', root, '--json')).stdout);
    const viaPassport = json<{ chain_fingerprint: string; receipt_chain_fingerprint: string; namespace: string }>((await a1(...verifyArgs('chain-a.json'), '--passport', 'tenant-a.json', '--json')).stdout);
    expect(pinned.chain_fingerprint).toBe(inspect.chain_fingerprint);
    expect(viaPassport.chain_fingerprint).toBe(inspect.chain_fingerprint);
    // Without a namespace the receipt covers the chain alone; with the passport it is bound to tenant-a.
    expect(pinned.receipt_chain_fingerprint).toBe(inspect.chain_fingerprint);
    expect(viaPassport.receipt_chain_fingerprint).not.toBe(inspect.chain_fingerprint);
    const inspectWithPassport = json<{ chain_fingerprint: string; receipt_chain_fingerprint: string }>((await a1('inspect', 'chain-a.json', '--passport', 'tenant-a.json', '--json')).stdout);
    expect(inspectWithPassport).toEqual(expect.objectContaining({ chain_fingerprint: inspect.chain_fingerprint, receipt_chain_fingerprint: viaPassport.receipt_chain_fingerprint }));
    const text = await a1(...verifyArgs('chain-a.json'), '--passport', 'tenant-a.json');
    expect(text.stdout).toContain(`chain         ${inspect.chain_fingerprint} (fingerprint of the chain file, as a1 inspect shows it)`);
    expect(text.stdout).toContain(`receipt       ${viaPassport.receipt_chain_fingerprint} (the receipt's fingerprint: the chain bound to namespace "tenant-a")`);
  });
});

describe('clock-skew tolerance (issue 11 #8)', () => {
  it('accepted only thanks to the tolerance: a note says so and how to change it', async () => {
    const expiry = json<{ hops: Array<{ expiration_unix: number }> }>((await a1('inspect', 'chain-a.json', '--json')).stdout).hops[0]!.expiration_unix;
    const late = await a1(...verifyArgs('chain-a.json'), '--root', root, '--at', String(expiry + 10));
    expect(late.code, late.stderr).toBe(0);
    expect(late.stdout).toContain('note: hop 0 expired 10 seconds before the verification time; accepted within the clock-skew tolerance');
    expect(late.stdout).toContain('--drift SECONDS changes it');
    const asJson = json<{ skew_tolerance_applied: boolean; drift_tolerance_secs: number }>((await a1(...verifyArgs('chain-a.json'), '--root', root, '--at', String(expiry + 10), '--json')).stdout);
    expect(asJson).toMatchObject({ skew_tolerance_applied: true, drift_tolerance_secs: 15 });
    const strict = await a1(...verifyArgs('chain-a.json'), '--root', root, '--at', String(expiry + 10), '--drift', '0');
    expect(strict.code).toBe(1);
    const inTime = await a1(...verifyArgs('chain-a.json'), '--root', root, '--at', String(expiry - 10));
    expect(inTime.stdout).not.toContain('note:');
  });
});

describe('small-order keys (issue 12 §1)', () => {
  it.each([
    ['the all-zero key', '00'.repeat(32)],
    ['the identity', `01${'00'.repeat(31)}`],
    ['an order-8 point', 'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'],
  ])('cert issue --delegate %s is refused before anything is signed', async (_what, key) => {
    const result = await a1('cert', 'issue', '--signer', 'file:root.key', '--passport', 'tenant-a.json', '--delegate', key, '--capabilities', 'trade.equity', '-o', 'never.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('small-order point');
    expect(hasStackTrace(result.stderr)).toBe(false);
  });
});
