/**
 * A passport file's `namespace` label is unsigned; the signed `dyolo.passport.namespace`
 * extension is the namespace. loadPassport refuses a file whose label was edited to another
 * tenant's (it would show that label and mint hops tagged with it).
 */
import { describe, expect, it } from 'vitest';
import { A1Error, CertBuilder, issuePassport, loadPassport, LocalSigner, savePassport } from '../src/index.js';

const root = LocalSigner.fromSeed(new Uint8Array(32).fill(1));
const now = 1_700_000_000n;
const passport = issuePassport({ signer: root, namespace: 'tenant-b', capabilities: ['trade.equity'], ttlSeconds: 3600, now });

function loadError(text: string): A1Error {
  try {
    loadPassport(text);
  } catch (e) {
    return e as A1Error;
  }
  throw new Error('expected loadPassport to refuse the file');
}

describe('loadPassport binds the file namespace to the signed one', () => {
  it('an untouched file loads with its namespace', () => {
    expect(loadPassport(savePassport(passport)).namespace).toBe('tenant-b');
  });

  it('a file whose label was edited to another tenant is a WireFormatError naming both', () => {
    const edited = savePassport(passport).replace('"namespace": "tenant-b"', '"namespace": "tenant-a"');
    expect(edited).toContain('"namespace": "tenant-a"');
    const error = loadError(edited);
    expect(error).toBeInstanceOf(A1Error);
    expect(error.code).toBe('WireFormatError');
    expect(error.message).toContain('"tenant-a"');
    expect(error.message).toContain('"tenant-b"');
  });

  it('a self-signed root cert without the namespace extension is refused', () => {
    // Same capabilities and scope as `passport`, signed, but carrying no dyolo.passport.namespace.
    const file = JSON.parse(savePassport(passport)) as { cert: unknown };
    const bare = new CertBuilder({ delegatePk: root.verifyingKey(), scopeRoot: passport.scopeRoot(), issuedAt: now, expirationUnix: now + 3600n })
      .maxDepth(passport.cert.maxDepth)
      .extensions({ 'dyolo.passport.v': 1 })
      .build(root);
    const text = savePassport({ ...passport, cert: bare } as typeof passport);
    expect(JSON.parse(text).cert).not.toEqual(file.cert);
    expect(loadError(text).message).toMatch(/says "tenant-b" but the signed dyolo\.passport\.namespace extension says no namespace/);
  });
});
