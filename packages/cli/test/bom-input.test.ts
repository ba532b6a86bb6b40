// A UTF-8 byte order mark before a JSON input is refused, as the reference (serde_json) refuses
// it: the file reader keeps the BOM in the text (a default TextDecoder strips it silently) and
// core's JSON reader refuses it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intentHash, LocalSigner, parseSignedChain, serializeSignedChain } from '@a1/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readTextFile } from '../src/files.js';

const dir = mkdtempSync(join(tmpdir(), 'a1-bom-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a BOM before a JSON input', () => {
  it('is kept by the reader and refused by the JSON reader', async () => {
    const chain = serializeSignedChain({ principalPk: LocalSigner.fromSeed(new Uint8Array(32).fill(3)).verifyingKey(), principalScope: intentHash('a'), certs: [] });
    const path = join(dir, 'bom.json');
    writeFileSync(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(chain)]));
    const text = await readTextFile(path);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(() => parseSignedChain(text)).toThrow(/byte order mark/);
    writeFileSync(path, chain);
    expect(parseSignedChain(await readTextFile(path)).certs).toHaveLength(0);
  });
});
