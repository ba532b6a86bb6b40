/** intentHash refuses lone surrogates (UTF-8 cannot encode them), as the JSON reader does. */
import { describe, expect, it } from 'vitest';
import { A1Error, intentHash, toHex } from '../src/index.js';

describe('intentHash and lone surrogates', () => {
  it.each([
    ['action, high surrogate', () => intentHash('trade\ud800')],
    ['action, low surrogate', () => intentHash('\udc00trade')],
    ['action, reversed pair', () => intentHash('trade\udc00\ud800')],
    ['parameter key', () => intentHash('trade', { ['sym\ud83d']: 'x' })],
    ['parameter value', () => intentHash('trade', [['symbol', 'ab\udfff']])],
  ])('%s → WireFormatError', (_label, call) => {
    expect(call).toThrow(A1Error);
    expect(call).toThrow(/lone surrogate/);
  });

  it('no longer collides with U+FFFD', () => {
    expect(() => intentHash('trade\ud800')).toThrow();
    expect(toHex(intentHash('trade\ufffd'))).toHaveLength(64);
  });

  it('accepts surrogate pairs (astral characters) in actions, keys and values', () => {
    expect(intentHash('trade.🚀', { '🔑': 'värde 😀' })).toHaveLength(32);
  });
});
