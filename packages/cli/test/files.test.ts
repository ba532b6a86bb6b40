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

  it('cert issue -o over a planted symlink writes the chain in place of the link, not into the victim', async () => {
    plantLink('chain-link.json');
    const result = await a1('cert', 'issue', '--signer', 'file:root.key', '--passport', 'passport.json', '--delegate', agent, '--capabilities', 'a.b', '-o', 'chain-link.json');
    expect(result.code, result.stderr).toBe(0);
    expectVictimUntouched();
    expect(lstatSync(join(cwd, 'chain-link.json')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(cwd, 'chain-link.json'), 'utf8')).toContain('"certs"');
    noTempFilesLeft();
  });

  it('passport issue without --force refuses a planted symlink; convert -o replaces one', async () => {
    plantLink('passport-link.json');
    const refused = await a1('passport', 'issue', '--signer', 'file:root.key', '--namespace', 'n', '--capabilities', 'a.b', '-o', 'passport-link.json');
    expect(refused.code).toBe(4);
    expectVictimUntouched();
    const convert = await a1('convert', '--to', 'schema', 'chain-link.json', '-o', 'passport-link.json');
    expect(convert.code, convert.stderr).toBe(0);
    expectVictimUntouched();
    expect(lstatSync(join(cwd, 'passport-link.json')).isSymbolicLink()).toBe(false);
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
