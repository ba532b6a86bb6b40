/**
 * P7/P8: cold 3-hop `authorize` through WebCrypto vs @noble/curves only, side by side in one run
 * (interleaved rounds, medians), in whatever runtime this bundle is in. The chain is core's bench
 * chain (packages/core/bench/verify.bench.mjs): passport human → A (2 caps) → B (1 cap) → C. Each
 * call takes the next of POOL distinct chains, each parsed from its own JSON text, so nothing per
 * chain can be cached; keys repeat, as in production.
 */
import {
  authorize,
  CertBuilder,
  intentHash,
  IntentTree,
  issuePassport,
  LocalSigner,
  nobleBackend,
  nodeBackend,
  parseSignedChain,
  serializeSignedChain,
  signableBytes,
  SubScopeProof,
  webCryptoBackend,
  type Ed25519Backend,
} from '@a1/core';

const POOL = 64;
const now = 1_700_000_000n;

function chainPool() {
  const [human, a, b, c] = [1, 2, 3, 4].map((n) => LocalSigner.fromSeed(new Uint8Array(32).fill(n)));
  const passport = issuePassport({ namespace: 'bench', capabilities: ['trade.equity', 'portfolio.read', 'audit.read'], ttlSeconds: 86_400, signer: human!, now });
  const tree1 = IntentTree.build([intentHash('trade.equity'), intentHash('portfolio.read')]);
  const json = () => {
    const hop1 = passport.issueSub({ delegatePk: a!.verifyingKey(), capabilities: ['trade.equity', 'portfolio.read'], ttlSeconds: 3_600, signer: human!, now });
    const hop2 = new CertBuilder({ delegatePk: b!.verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: now, expirationUnix: now + 1_800n })
      .scopeProof(SubScopeProof.build(tree1, [intentHash('trade.equity')]))
      .build(a!);
    const hop3 = new CertBuilder({ delegatePk: c!.verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: now, expirationUnix: now + 900n }).build(b!);
    return serializeSignedChain({ ...passport.newChain(), certs: [hop1, hop2, hop3] });
  };
  const chains = Array.from({ length: POOL }, () => parseSignedChain(json(), { namespace: 'bench' }));
  return { chains, options: { agentPk: c!.verifyingKey(), intent: intentHash('trade.equity'), now } };
}

export interface BenchResult {
  runtime: string;
  rounds: number;
  /** Median µs per cold 3-hop authorize, by backend name; `raw …` rows: three bare verifies. */
  medianMicros: Record<string, number>;
}

type Case = [name: string, call: (i: number) => unknown];

/**
 * The ceiling no verifier can beat: the chain's three signatures through bare `crypto.subtle.verify`
 * (keys imported once, all three at once) and through bare @noble verify, on the same messages.
 */
async function rawCases(chains: ReturnType<typeof chainPool>['chains']): Promise<Case[]> {
  const subtle = (globalThis as any).crypto.subtle;
  const keys = new Map<string, unknown>();
  const messages = await Promise.all(
    chains.map((chain) =>
      Promise.all(
        chain.certs.map(async (cert) => {
          const id = cert.delegatorPk.join();
          if (!keys.has(id)) keys.set(id, await subtle.importKey('raw', cert.delegatorPk, { name: 'Ed25519' }, false, ['verify']));
          return { key: keys.get(id), pk: cert.delegatorPk, msg: signableBytes(cert), sig: cert.signature };
        }),
      ),
    ),
  );
  return [
    ['raw subtle.verify ×3', async (i) => {
      const verdicts = await Promise.all(messages[i % POOL]!.map((m) => subtle.verify({ name: 'Ed25519' }, m.key, m.sig, m.msg)));
      if (!verdicts.every(Boolean)) throw new Error('a bench signature did not verify');
    }],
    ['raw @noble verify ×3', (i) => {
      for (const m of messages[i % POOL]!) if (!nobleBackend.verify(m.pk, m.msg, m.sig)) throw new Error('a bench signature did not verify');
    }],
  ];
}

export async function runBench(rounds = 15, iterations = 30): Promise<BenchResult> {
  if (!webCryptoBackend || !(await webCryptoBackend.supported())) throw new Error('this runtime has no Ed25519 in crypto.subtle');
  const { chains, options } = chainPool();
  const backends: Ed25519Backend[] = [webCryptoBackend, nobleBackend, ...(nodeBackend ? [nodeBackend] : [])];
  // Diagnostic, not a verifier: what authorize costs around the signature math (hashing, rules,
  // awaits), with a backend that accepts every signature on the asynchronous path.
  const noSignatureMath: Ed25519Backend = { ...nobleBackend, verify: () => true, verifyAsync: async () => true };
  const cases: Case[] = [
    ...backends.map((backend): Case => [backend.name, (i) => authorize(chains[i % POOL]!, { ...options, ed25519Backend: backend })]),
    ['authorize without signature math', (i) => authorize(chains[i % POOL]!, { ...options, ed25519Backend: noSignatureMath })],
    ...(await rawCases(chains)),
  ];
  const timeIt = async ([, call]: Case, n: number): Promise<number> => {
    const start = performance.now();
    for (let i = 0; i < n; i++) await call(i);
    return ((performance.now() - start) * 1000) / n;
  };
  for (const c of cases) await timeIt(c, Math.ceil(iterations / 3)); // warm up
  const samples = cases.map(() => [] as number[]);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < cases.length; i++) samples[i]!.push(await timeIt(cases[i]!, iterations));
  }
  const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)]!;
  const g = globalThis as any;
  const runtime = g.Deno ? `deno ${g.Deno.version.deno}` : g.Bun ? `bun ${g.Bun.version}` : g.process?.versions?.node ? `node ${g.process.version}` : 'browser';
  return { runtime, rounds, medianMicros: Object.fromEntries(cases.map(([name], i) => [name, median(samples[i]!)])) };
}
