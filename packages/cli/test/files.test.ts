// Outputs written safely and inputs read carefully (issue 12 §6): a planted symlink at the
// target is replaced, never written through; --force never reuses the old inode; secrets are
// 0600; a huge file or a FIFO is refused before reading; invalid UTF-8 is refused.
import { execFileSync } from 'node:child_process';
import { closeSync, ftruncateSync, lstatSync, openSync, readFileSync, readSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasStackTrace, runA1, tempDir } from './helpers.js';

const tmp = tempDir();
const cwd = tmp.dir;
const a1 = (...args: string[]) => runA1(args, { cwd });
const VICTIM = 'victim.txt';
const VICTIM_TEXT = 'precious data\n';
let agent = '';

beforeAll(async () => {
  expect((await a1('keygen', '-o', 'root.key')).code).toBe(0);
  agent = (await a1('keygen', '-o', 'agent.key')).stdout.trim();
  expect((await a1('passport', 'issue', '--signer', 'file:root.key', '--namespace', 'n', '--capabilities', 'a.b', '-o', 'passport.json')).code).toBe(0);
}, 60_000);
afterAll(() => tmp.remove());

function plantLink(name: string): void {
  writeFileSync(join(cwd, VICTIM), VICTIM_TEXT, { mode: 0o644 });
  symlinkSync(join(cwd, VICTIM), join(cwd, name));
}

function expectVictimUntouched(): void {
  expect(readFileSync(join(cwd, VICTIM), 'utf8')).toBe(VICTIM_TEXT);
  expect(statSync(join(cwd, VICTIM)).mode & 0o777).toBe(0o644);
}

function noTempFilesLeft(): void {
  expect(readdirSync(cwd).filter((f) => f.endsWith('.tmp'))).toEqual([]);
}

describe('writing outputs', () => {
  it('keygen --force over a planted symlink replaces the link; the seed never reaches its target', async () => {
    plantLink('linked.key');
    const result = await a1('keygen', '-o', 'linked.key', '--force');
    expect(result.code, result.stderr).toBe(0);
    expectVictimUntouched();
    const written = lstatSync(join(cwd, 'linked.key'));
    expect(written.isSymbolicLink()).toBe(false);
    expect(written.mode & 0o777).toBe(0o600);
    noTempFilesLeft();
  });

  it('keygen without --force refuses an existing symlink (exit 4), writing nothing', async () => {
    plantLink('refused.key');
    const result = await a1('keygen', '-o', 'refused.key');
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('already exists');
    expectVictimUntouched();
    expect(lstatSync(join(cwd, 'refused.key')).isSymbolicLink()).toBe(true);
    noTempFilesLeft();
  });

  it('keygen --force never reuses the old inode: a reader holding the old file keeps the old bytes', async () => {
    writeFileSync(join(cwd, 'rotated.key'), 'old-world-readable-content\n', { mode: 0o644 });
    const before = statSync(join(cwd, 'rotated.key')).ino;
    const heldOpen = openSync(join(cwd, 'rotated.key'), 'r');
    try {
      const result = await a1('keygen', '-o', 'rotated.key', '--force');
      expect(result.code, result.stderr).toBe(0);
      const buffer = Buffer.alloc(64);
      const n = readSync(heldOpen, buffer, 0, 64, 0);
      expect(buffer.subarray(0, n).toString()).toBe('old-world-readable-content\n');
    } finally {
      closeSync(heldOpen);
    }
    const after = statSync(join(cwd, 'rotated.key'));
    expect(after.ino).not.toBe(before);
    expect(after.mode & 0o777).toBe(0o600);
  });

  it('cert issue -o over a planted symlink: refused without --force; with it the chain replaces the link, not the victim', async () => {
    plantLink('chain-link.json');
    const refused = await a1('cert', 'issue', '--signer', 'file:root.key', '--passport', 'passport.json', '--delegate', agent, '--capabilities', 'a.b', '-o', 'chain-link.json');
    expect(refused.code).toBe(4);
    expect(lstatSync(join(cwd, 'chain-link.json')).isSymbolicLink()).toBe(true);
    expectVictimUntouched();
    const result = await a1('cert', 'issue', '--signer', 'file:root.key', '--passport', 'passport.json', '--delegate', agent, '--capabilities', 'a.b', '-o', 'chain-link.json', '--force');
    expect(result.code, result.stderr).toBe(0);
    expectVictimUntouched();
    expect(lstatSync(join(cwd, 'chain-link.json')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(cwd, 'chain-link.json'), 'utf8')).toContain('"certs"');
    noTempFilesLeft();
  });

  it('passport issue and convert without --force refuse a planted symlink; convert -o --force replaces one', async () => {
    plantLink('passport-link.json');
    const refused = await a1('passport', 'issue', '--signer', 'file:root.key', '--namespace', 'n', '--capabilities', 'a.b', '-o', 'passport-link.json');
    expect(refused.code).toBe(4);
    expectVictimUntouched();
    expect((await a1('convert', '--to', 'schema', 'chain-link.json', '-o', 'passport-link.json')).code).toBe(4);
    expectVictimUntouched();
    const convert = await a1('convert', '--to', 'schema', 'chain-link.json', '-o', 'passport-link.json', '--force');
    expect(convert.code, convert.stderr).toBe(0);
    expectVictimUntouched();
    expect(lstatSync(join(cwd, 'passport-link.json')).isSymbolicLink()).toBe(false);
  });
});

describe('existing outputs are refused without --force (L2)', () => {
  const seedOf = (name: string) => readFileSync(join(cwd, name), 'utf8');

  it('cert issue -o a seed file is refused before signing and leaves the seed as it was (exit 4)', async () => {
    expect((await a1('keygen', '-o', 'precious.key')).code).toBe(0);
    const seed = seedOf('precious.key');
    const result = await a1('cert', 'issue', '--signer', 'file:root.key', '--passport', 'passport.json', '--delegate', agent, '--capabilities', 'a.b', '-o', 'precious.key');
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('it already exists (use --force to overwrite)');
    expect(seedOf('precious.key')).toBe(seed);
    const forced = await a1('cert', 'issue', '--signer', 'file:root.key', '--passport', 'passport.json', '--delegate', agent, '--capabilities', 'a.b', '-o', 'precious.key', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(seedOf('precious.key')).toContain('"certs"');
  });

  it('cert issue --chain extends the chain in place; a different existing -o is refused', async () => {
    expect((await a1('cert', 'issue', '--signer', 'file:root.key', '--passport', 'passport.json', '--delegate', agent, '--capabilities', 'a.b', '-o', 'own-chain.json')).code).toBe(0);
    const next = (await a1('keygen', '-o', 'next.key')).stdout.trim();
    const hop = ['cert', 'issue', '--signer', 'file:agent.key', '--passport', 'passport.json', '--chain', 'own-chain.json', '--delegate', next, '--capabilities', 'a.b', '--ttl', '5m'];
    expect((await a1(...hop, '-o', 'passport.json')).code).toBe(4);
    expect(seedOf('passport.json')).not.toContain('"certs"');
    const inPlace = await a1(...hop, '--json');
    expect(inPlace.code, inPlace.stderr).toBe(0);
    expect(JSON.parse(inPlace.stdout)).toMatchObject({ hop: 1 });
  });

  it('convert -o and cert batch -o an existing file are refused (exit 4), and replace it with --force', async () => {
    expect((await a1('keygen', '-o', 'also-precious.key')).code).toBe(0);
    const seed = seedOf('also-precious.key');
    expect((await a1('cert', 'issue', '--signer', 'file:root.key', '--passport', 'passport.json', '--delegate', agent, '--capabilities', 'a.b', '-o', 'to-convert.json')).code).toBe(0);
    writeFileSync(join(cwd, 'requests.jsonl'), `${JSON.stringify({ delegate: agent, capabilities: ['a.b'] })}\n`);
    const convert = ['convert', '--to', 'schema', 'to-convert.json', '-o', 'also-precious.key'];
    const batch = ['cert', 'batch', '--signer', 'file:root.key', '--passport', 'passport.json', '--input', 'requests.jsonl', '-o', 'also-precious.key'];
    for (const args of [convert, batch]) {
      const result = await a1(...args);
      expect(result.code, args[0]).toBe(4);
      expect(result.stderr).toContain('already exists');
      expect(seedOf('also-precious.key')).toBe(seed);
    }
    for (const args of [convert, batch]) expect((await a1(...args, '--force')).code, args[0]).toBe(0);
    expect(seedOf('also-precious.key')).toContain('"ok":true');
  });
});

describe('reading inputs', () => {
  it('a 300 MB file is refused from its size, without reading it (exit 2)', async () => {
    const fd = openSync(join(cwd, 'huge.json'), 'w');
    ftruncateSync(fd, 300 * 1024 * 1024); // sparse: no disk used
    closeSync(fd);
    for (const args of [['inspect', 'huge.json'], ['verify', '--chain', 'huge.json', '--agent', agent, '--intent', 'a.b', '--passport', 'passport.json']]) {
      const result = await a1(...args);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('huge.json is 314572800 bytes');
      expect(result.stderr).toContain('refused without reading it');
      expect(hasStackTrace(result.stderr)).toBe(false);
    }
  });

  it('invalid UTF-8 is refused with a clear message, not replaced and accepted (exit 2)', async () => {
    // A 0xff byte inside a JSON key: the lenient decoder would turn it into U+FFFD and go on.
    const text = readFileSync(join(cwd, 'chain-link.json'), 'utf8');
    const bad = Buffer.concat([Buffer.from(text.slice(0, text.indexOf('"certs"'))), Buffer.from('"x\xff":1,', 'latin1'), Buffer.from(text.slice(text.indexOf('"certs"')))]);
    writeFileSync(join(cwd, 'bad-utf8.json'), bad);
    const result = await a1('inspect', 'bad-utf8.json');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad-utf8.json is not valid UTF-8 text');
  });

  it('a FIFO is refused as not a regular file, without waiting for a writer', async () => {
    execFileSync('mkfifo', [join(cwd, 'pipe.json')]);
    const result = await a1('inspect', 'pipe.json');
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('not a regular file');
  });
});
