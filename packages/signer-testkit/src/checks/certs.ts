import {
  authorize,
  CertBuilder,
  intentHash,
  issuePassport,
  LocalSigner,
  parseSignedChain,
  serializeSignedChain,
  verifyCertSignature,
} from '@a1/core';
import type { SignedChain } from '@a1/core';
import { describeShape } from '../bytes.js';
import { ConformanceError } from '../conformance-error.js';
import type { SignerConformanceOptions } from '../options.js';
import { withSigner } from '../signer-session.js';

function unixNow(): bigint {
  return BigInt(Math.floor(Date.now() / 1000));
}

/** Runs a verifier step, turning its rejection into a conformance failure that keeps the cause. */
async function verified<T>(check: string, step: string, run: () => Promise<T> | T): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const code = (error as { code?: unknown })?.code;
    throw new ConformanceError(check, `${step} failed with ${describeShape(error)}${typeof code === 'string' ? ` ${code}` : ''}`, {
      cause: error,
    });
  }
}

/** A cert built by the signer with `CertBuilder.buildAsync` survives the wire and `authorize`. */
export async function checkCertAuthorizes(options: Pick<SignerConformanceOptions, 'create'>): Promise<void> {
  const check = 'cert (1 hop)';
  await withSigner(check, options.create, async ({ raw, signer }) => {
    const agent = LocalSigner.generate();
    const scope = intentHash('conformance.sign');
    const now = unixNow();
    const cert = await verified(check, 'CertBuilder.buildAsync', () =>
      new CertBuilder({ delegatePk: agent.verifyingKey(), scopeRoot: scope, issuedAt: now, expirationUnix: now + 3600n })
        .maxDepth(4)
        .buildAsync(raw),
    );
    const chain: SignedChain = { principalPk: await signer.verifyingKey(), principalScope: scope, certs: [cert] };
    // Through the wire format and back, as a verifying agent would receive it.
    const received = await verified(check, 'serialize/parse round trip', () => parseSignedChain(serializeSignedChain(chain)));
    await verified(check, 'authorize', () => authorize(received, { agentPk: agent.verifyingKey(), intent: scope, now }));
  });
}

/**
 * A passport issued by the signer, a sub-cert it signs for an agent, and one further hop from
 * that agent to a worker: the 2-hop chain from `passport.newChain()` passes `passport.guard`.
 */
export async function checkPassportChain(options: Pick<SignerConformanceOptions, 'create'>): Promise<void> {
  const check = 'passport (2 hops)';
  await withSigner(check, options.create, async ({ raw }) => {
    const agent = LocalSigner.generate();
    const worker = LocalSigner.generate();
    const passport = await verified(check, 'issuePassport', () =>
      issuePassport({ namespace: 'conformance', capabilities: ['trade.equity', 'audit.read'], ttlSeconds: 3600, signer: raw }),
    );
    if (!verifyCertSignature(passport.cert)) throw new ConformanceError(check, 'the passport root cert signature does not verify');
    const sub = await verified(check, 'passport.issueSub', () =>
      passport.issueSub({ delegatePk: agent.verifyingKey(), capabilities: ['trade.equity'], ttlSeconds: 600, signer: raw }),
    );
    // The agent passes its whole scope on to a worker: the hop a KMS-signed cert must anchor.
    const now = unixNow();
    const hop = await verified(check, 'CertBuilder.build (agent to worker)', () =>
      new CertBuilder({ delegatePk: worker.verifyingKey(), scopeRoot: sub.scopeRoot, issuedAt: now, expirationUnix: sub.expirationUnix }).build(agent),
    );
    const chain = passport.newChain();
    chain.certs.push(sub, hop);
    await verified(check, 'passport.guard', () =>
      passport.guard(chain, { agentPk: worker.verifyingKey(), intent: { action: 'trade.equity' }, now }),
    );
  });
}
