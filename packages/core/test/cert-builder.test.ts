import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  authorize,
  CertBuilder,
  intentHash,
  issuePassport,
  LocalSigner,
  SignerError,
  toHex,
  type AsyncSigner,
  type Signer,
} from '../src/index.js';

const now = 1_700_000_000n;
const agent = LocalSigner.fromSeed(new Uint8Array(32).fill(9));
const scope = intentHash('trade.equity');
const builder = () => new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 60n });

/** An async signer wrapping a LocalSigner, with a switchable defect. */
function remote(defect?: 'wrong-key' | 'short-signature' | 'throws' | 'signer-error' | 'garbage-key'): AsyncSigner & { provider: string } {
  const key = LocalSigner.fromSeed(new Uint8Array(32).fill(1));
  const other = LocalSigner.fromSeed(new Uint8Array(32).fill(2));
  return {
    provider: 'test-kms',
    keyId: 'keys/root',
    async verifyingKey() {
      return defect === 'garbage-key' ? new Uint8Array(31) : key.verifyingKey();
    },
    async signMessage(message: Uint8Array) {
      if (defect === 'throws') throw new TypeError('socket hang up');
      if (defect === 'signer-error') throw new SignerError({ provider: 'test-kms', keyId: 'keys/root', code: 'Throttled', message: 'slow down' });
      if (defect === 'wrong-key') return other.signMessage(message);
      if (defect === 'short-signature') return key.signMessage(message).subarray(0, 63);
      return key.signMessage(message);
    },
  };
}

describe('CertBuilder verifies what the signer returns', () => {
  it('a good remote signer gives a cert that authorizes', async () => {
    const signer = remote();
    const cert = await builder().buildAsync(signer);
    const chain = { principalPk: await signer.verifyingKey(), principalScope: scope, certs: [cert] };
    await expect(authorize(chain, { agentPk: agent.verifyingKey(), intent: scope, now })).resolves.toMatchObject({ chainDepth: 1 });
  });

  it.each([
    ['wrong-key', 'SignatureMismatch', false],
    ['short-signature', 'InvalidResponse', true],
    ['garbage-key', 'InvalidResponse', true],
    ['throws', 'BackendError', false],
    ['signer-error', 'Throttled', true],
  ] as const)('%s → SignerError %s, no cert', async (defect, code, retryable) => {
    const err = await builder().buildAsync(remote(defect)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SignerError);
    expect(err).toMatchObject({ code, provider: 'test-kms', keyId: 'keys/root', retryable });
    if (defect === 'throws') expect((err as SignerError).cause).toBeInstanceOf(TypeError);
  });

  it('an already aborted signal stops before the signer is asked', async () => {
    let asked = 0;
    const signer: AsyncSigner = { verifyingKey: async () => agent.verifyingKey(), signMessage: async (m) => (asked++, agent.signMessage(m)) };
    const err = await builder().buildAsync(signer, { signal: AbortSignal.abort() }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'Aborted', retryable: false });
    expect(asked).toBe(0);
  });

  it('a sync signer with the wrong key is refused by build()', () => {
    const liar: Signer = { verifyingKey: () => agent.verifyingKey(), signMessage: (m) => LocalSigner.generate().signMessage(m) };
    expect(() => builder().build(liar)).toThrow(SignerError);
  });

  it('issuePassport with a remote signer resolves; a bad signer rejects with no passport', async () => {
    await expect(issuePassport({ namespace: 'n', capabilities: ['a'], ttlSeconds: 60, signer: remote() })).resolves.toHaveProperty('cert');
    await expect(issuePassport({ namespace: 'n', capabilities: ['a'], ttlSeconds: 60, signer: remote('wrong-key') })).rejects.toBeInstanceOf(SignerError);
  });
});

describe('LocalSigner never shows its seed', () => {
  it('in String(), JSON, inspect and errors', () => {
    const seed = new Uint8Array(32).fill(0xab);
    const signer = LocalSigner.fromSeed(seed);
    const seedHex = toHex(seed);
    for (const text of [String(signer), JSON.stringify(signer), inspect(signer, { depth: 5, showHidden: true }), JSON.stringify({ signer })]) {
      expect(text).not.toContain(seedHex);
      expect(text).toContain(toHex(signer.verifyingKey()));
    }
    expect(toHex(signer.exportSeed())).toBe(seedHex);
  });
});

describe('passport.guard only accepts chains anchored at its own passport', () => {
  it('refuses a look-alike passport (same namespace and capabilities, other key) with RootMismatch', async () => {
    const real = issuePassport({ namespace: 'acme', capabilities: ['trade.equity'], ttlSeconds: 600, signer: LocalSigner.generate(), now });
    const attacker = LocalSigner.generate();
    const fake = issuePassport({ namespace: 'acme', capabilities: ['trade.equity'], ttlSeconds: 600, signer: attacker, now });
    const chain = fake.newChain();
    chain.certs.push(fake.issueSub({ delegatePk: agent.verifyingKey(), capabilities: ['trade.equity'], ttlSeconds: 60, signer: attacker, now }));
    const opts = { agentPk: agent.verifyingKey(), intent: { action: 'trade.equity' }, now };
    await expect(fake.guard(chain, opts)).resolves.toHaveProperty('inner');
    await expect(real.guard(chain, opts)).rejects.toMatchObject({ code: 'RootMismatch' });
    await expect(real.guard({ ...real.newChain(), principalScope: intentHash('other'), certs: chain.certs }, opts)).rejects.toMatchObject({ code: 'RootMismatch' });
  });
});
