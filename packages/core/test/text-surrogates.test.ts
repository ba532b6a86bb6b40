/**
 * Text that enters signed or hashed bytes must be valid Unicode: a lone surrogate would be
 * written as U+FFFD, so two different strings would share one signature (a tenant's namespace
 * swapped for another's under the same signed bytes). Refused everywhere, through the one UTF-8
 * encoder core hashes with.
 */
import { describe, expect, it } from 'vitest';
import {
  A1Error,
  capabilityBit,
  CertBuilder,
  CertExtensions,
  chainFingerprint,
  createChain,
  createNamespacedChain,
  extensionsCommitment,
  intentHash,
  issuePassport,
  legacyIntentHash,
  LocalSigner,
  NarrowingMatrix,
  namespaceScope,
  toExtValue,
} from '../src/index.js';

const root = LocalSigner.fromSeed(new Uint8Array(32).fill(1));
const agent = LocalSigner.fromSeed(new Uint8Array(32).fill(2));
const now = 1_700_000_000n;
const scope = intentHash('trade.equity');

const refusals: Array<[string, () => unknown]> = [
  ['issuePassport namespace (high surrogate)', () => issuePassport({ signer: root, namespace: 'Acme \ud83c', capabilities: ['trade.equity'], ttlSeconds: 60, now })],
  ['issuePassport namespace (low surrogate)', () => issuePassport({ signer: root, namespace: 'Acme \udc00', capabilities: ['trade.equity'], ttlSeconds: 60, now })],
  ['issuePassport capability', () => issuePassport({ signer: root, namespace: 'acme', capabilities: ['trade\ud800'], ttlSeconds: 60, now })],
  ['toExtValue Str', () => CertExtensions.from({ k: toExtValue('v\ud800') })],
  ['toExtValue Strings', () => CertExtensions.from({ k: toExtValue(['ok', 'v\udfff']) })],
  ['an extension key', () => CertExtensions.from({ ['k\ud800']: 'v' })],
  ['a serde-tagged Str', () => extensionsCommitment({ k: { Str: 'v\ud800' } as never })],
  ['CertBuilder extensions', () => new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 60n }).extensions({ 'dyolo.passport.namespace': 'x\ud83d' })],
  ['namespaceScope', () => namespaceScope('a\ud800', scope)],
  ['createNamespacedChain', () => createNamespacedChain(root.verifyingKey(), scope, 'a\ud800')],
  ['chainFingerprint of a chain tagged with such a namespace', () => chainFingerprint(createChain(root.verifyingKey(), scope, 'tenant\udbff'))],
  ['NarrowingMatrix.fromCapabilities', () => NarrowingMatrix.fromCapabilities(['trade\ud800'])],
  ['capabilityBit', () => capabilityBit('trade\ud800')],
  ['legacyIntentHash', () => legacyIntentHash('trade\ud800', new Uint8Array(0))],
];

describe('lone surrogates never enter signed bytes', () => {
  it.each(refusals)('%s: WireFormatError naming a lone surrogate', (_label, call) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(A1Error);
    expect(error).toMatchObject({ code: 'WireFormatError' });
    expect((error as Error).message).toMatch(/lone surrogate/);
  });

  it('the redteam case: tenant B cannot be issued with a namespace that hashes like tenant A', () => {
    // 'Acme \ud83d' and 'Acme \ud83c' both encode as 'Acme \ufffd' under a lossy encoder.
    expect(() => issuePassport({ signer: root, namespace: 'Acme \ud83d', capabilities: ['trade.equity'], ttlSeconds: 60, now })).toThrow(/lone surrogate/);
  });

  it('well-formed text outside the BMP (surrogate pairs) and U+FFFD itself are accepted', () => {
    const passport = issuePassport({ signer: root, namespace: 'Acme \ud83d\ude00 \ufffd', capabilities: ['trade.\ud83d\udcc8'], ttlSeconds: 60, now });
    expect(passport.namespace).toBe('Acme 😀 \ufffd');
    expect(namespaceScope('tenant 😀', scope)).toHaveLength(32);
    expect(capabilityBit('trade.📈').position).toBeGreaterThanOrEqual(0);
  });
});
