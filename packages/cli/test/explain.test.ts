// Each cause of RootMismatch gets its own explanation (the verifier's reason says which); the
// CLI-level cases are in verify-trust.test.ts.
import { A1Error } from '@a1/core';
import { describe, expect, it } from 'vitest';
import { explainA1Error } from '../src/explain.js';

describe('RootMismatch explanations', () => {
  it('a first hop not signed by the chain\'s own principal (no reason) is not blamed on a passport', () => {
    const text = explainA1Error(new A1Error('RootMismatch'));
    expect(text).toContain('first certificate was not signed by the principal key the chain names');
    expect(text).not.toContain('passport');
  });

  it('a pinned-root, a passport-anchor and a namespace mismatch are each told apart', () => {
    expect(explainA1Error(new A1Error('RootMismatch', { reason: "the chain's principal 00 is not a pinned root (--root)" }))).toContain('not one of the roots you pinned');
    expect(explainA1Error(new A1Error('RootMismatch', { reason: "the chain is not anchored at this passport's key and scope" }))).toContain('not issued under this passport');
    expect(explainA1Error(new A1Error('RootMismatch', { reason: 'the chain\'s first hop carries namespace "b", not this passport\'s "a"' }))).toContain('belongs to another tenant');
    expect(explainA1Error(new A1Error('RootMismatch', { reason: "the chain's first hop carries no passport namespace, not this passport's \"a\"" }))).toContain('names no tenant');
    expect(explainA1Error(new A1Error('RootMismatch', { reason: 'something new' }))).toBe('The chain does not anchor to the trusted root.');
  });
});
