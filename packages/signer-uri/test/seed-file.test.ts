// file: signer URIs: a seed file read after a stat (oversize and non-files refused unread), a
// warning for a file others can read, and never a key-like path echoed in a message.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, ftruncateSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { LocalSigner, toHex } from '@a1/core';
import { afterAll, describe, expect, it } from 'vitest';
import { signerFromUri, SignerUriError } from '../src/index.js';
import { refusal } from './refusal.js';

const dir = mkdtempSync(join(tmpdir(), 'a1-signer-uri-seed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
const expectedKey = toHex(LocalSigner.fromSeed(Uint8Array.from(Buffer.from(SEED, 'hex'))).verifyingKey());

describe('file: signers', () => {
  it('reads a seed file by relative path, file:// URL, and percent-encoded name', async () => {
    writeFileSync(join(dir, 'root key.key'), `${SEED}\n`, { mode: 0o600 });
    for (const uri of ['file:root%20key.key', `file://${join(dir, 'root%20key.key')}`]) {
      const signer = await signerFromUri(uri, { cwd: dir });
      expect(toHex(await signer.verifyingKey())).toBe(expectedKey);
    }
  });

  it('warns when other users can read the seed', async () => {
    writeFileSync(join(dir, 'loose.key'), `${SEED}\n`, { mode: 0o644 });
    const warnings: string[] = [];
    await signerFromUri('file:loose.key', { cwd: dir, onWarning: (w) => warnings.push(w) });
    expect(warnings.join('\n')).toContain('readable by other users (mode 644)');
  });

  it('refuses a 300 MB file without reading it', async () => {
    const big = join(dir, 'huge.key');
    const fd = openSync(big, 'w', 0o600);
    ftruncateSync(fd, 300 * 1024 * 1024); // sparse: no disk, and a read would still take 300 MB of memory
    closeSync(fd);
    const before = process.memoryUsage().rss;
    const error = await refusal(signerFromUri('file:huge.key', { cwd: dir }));
    expect(error).toMatchObject({ code: 'NotASeedFile' });
    expect(error.message).toContain('314572800 bytes');
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses a FIFO without hanging on it', async () => {
    const fifo = join(dir, 'pipe.key');
    execFileSync('mkfifo', [fifo]);
    const error = await refusal(signerFromUri('file:pipe.key', { cwd: dir }));
    expect(error).toMatchObject({ code: 'NotASeedFile' });
    expect(error.message).toContain('not a regular file');
  });

  it('names a missing file and how to create one', async () => {
    const error = await refusal(signerFromUri('file:./nope.key', { cwd: dir }));
    expect(error).toBeInstanceOf(SignerUriError);
    expect(error).toMatchObject({ code: 'SeedFileUnreadable' });
    expect(error.message).toContain('nope.key: no such file');
    expect(error.hint).toContain('a1 keygen');
  });

  it('a seed pasted as file:<hex> is never echoed, not even partly', async () => {
    for (const uri of [`file:${SEED}`, `file:./${SEED.slice(0, 60)}`]) {
      const error = await refusal(signerFromUri(uri, { cwd: dir }));
      expect(error).toMatchObject({ code: 'SeedFileUnreadable' });
      const said = `${error.message}\n${error.hint}`;
      for (let i = 0; i + 8 <= SEED.length; i += 2) expect(said).not.toContain(SEED.slice(i, i + 8));
      expect(error.hint).toContain('never the seed itself');
    }
  });

  it('inspect(error) shows neither the seed nor the path of a seed pasted in any common spelling (M4)', async () => {
    const bytes = Buffer.from(SEED, 'hex');
    const spellings = [
      `file:${SEED}`,
      `file:./${SEED}`,
      `file://${join(dir, SEED)}`,
      `file:0x${SEED}`,
      `file:${SEED.slice(0, 15)}-${SEED.slice(15)}`,
      `file:${SEED.match(/../g)!.join(':')}`,
      `file:${encodeURIComponent(bytes.toString('base64'))}`,
      `file:${bytes.toString('base64url')}`,
      `file:${encodeURIComponent(Buffer.concat([bytes, bytes]).toString('base64'))}`,
    ];
    // Pieces of every spelling: none may appear anywhere in what inspect prints.
    const pieces = [SEED, SEED.match(/../g)!.join(':'), bytes.toString('base64'), bytes.toString('base64url')].flatMap((s) => [s.slice(0, 12), s.slice(20, 32)]);
    for (const uri of spellings) {
      const error = await refusal(signerFromUri(uri, { cwd: dir }));
      expect(error).toMatchObject({ code: 'SeedFileUnreadable' });
      const printed = inspect(error, { depth: 10 });
      for (const piece of pieces) expect(printed, uri).not.toContain(piece);
      expect(printed, uri).not.toContain(dir);
      expect((error.cause as { code?: string }).code).toBe('ENOENT');
      expect(error.message).toContain('not shown: it looks like key material');
    }
  });

  it('an ordinary missing path is still named, and its cause keeps only the code', async () => {
    const error = await refusal(signerFromUri('file:./keys/root-2024.key', { cwd: dir }));
    expect(error.message).toContain(join(dir, 'keys/root-2024.key'));
    expect(inspect(error.cause)).not.toContain(dir);
  });

  it('refuses a file that is not a seed', async () => {
    writeFileSync(join(dir, 'junk.key'), 'not a key\n', { mode: 0o600 });
    await expect(signerFromUri('file:junk.key', { cwd: dir })).rejects.toMatchObject({ code: 'NotASeedFile' });
    await expect(signerFromUri('file:', { cwd: dir })).rejects.toMatchObject({ code: 'NotAUri' });
  });
});
