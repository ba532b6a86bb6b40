/**
 * A UTF-8 byte order mark before a JSON document is refused, as serde_json (the reference)
 * refuses it, with a message that names the invisible character and what to do.
 */
import { describe, expect, it } from 'vitest';
import { A1Error, intentHash, issuePassport, loadPassport, LocalSigner, parseSignedChain, savePassport, serializeSignedChain } from '../src/index.js';

const root = LocalSigner.fromSeed(new Uint8Array(32).fill(4));
const passport = issuePassport({ signer: root, namespace: 'bom', capabilities: ['trade'], ttlSeconds: 60, now: 1_700_000_000n });
const chainText = serializeSignedChain({ principalPk: root.verifyingKey(), principalScope: intentHash('trade'), certs: [] });

describe('a byte order mark before a JSON document', () => {
  it.each([
    ['a passport file', () => loadPassport('\ufeff' + savePassport(passport))],
    ['a chain', () => parseSignedChain('\ufeff' + chainText)],
    ['a BOM after leading whitespace is still an unexpected character', () => parseSignedChain(' \ufeff' + chainText)],
  ])('%s: WireFormatError', (label, read) => {
    let error: unknown;
    try {
      read();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(A1Error);
    expect(error).toMatchObject({ code: 'WireFormatError' });
    if (!label.includes('whitespace')) expect((error as Error).message).toMatch(/byte order mark \(U\+FEFF\).*without a BOM/);
  });

  it('the same documents without the BOM read', () => {
    expect(loadPassport(savePassport(passport)).namespace).toBe('bom');
    expect(parseSignedChain(chainText).certs).toHaveLength(0);
  });
});
