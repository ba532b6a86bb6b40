// Core benchmarks, measured side by side in one run (interleaved rounds; medians), so the
// ratios hold on a noisy shared machine even when absolute numbers move.
import crypto from 'node:crypto';
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
  useEd25519Backend,
} from '../dist/index.js';
import { benchReport } from '../../../scripts/bench/report.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const now = 1_700_000_000n;

// A 3-hop passport chain: human → A (2 caps) → B (1 cap), as agents present it, parsed from JSON.
const seeds = [1, 2, 3, 4].map((n) => new Uint8Array(32).fill(n));
const [human, a, b, c] = seeds.map((s) => LocalSigner.fromSeed(s));
const passport = issuePassport({ namespace: 'bench', capabilities: ['trade.equity', 'portfolio.read', 'audit.read'], ttlSeconds: 86_400, signer: human, now });
const hop1 = passport.issueSub({ delegatePk: a.verifyingKey(), capabilities: ['trade.equity', 'portfolio.read'], ttlSeconds: 3_600, signer: human, now });
const tree1 = IntentTree.build([intentHash('trade.equity'), intentHash('portfolio.read')]);
const hop2 = new CertBuilder({ delegatePk: b.verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: now, expirationUnix: now + 1_800n })
  .scopeProof(SubScopeProof.build(tree1, [intentHash('trade.equity')]))
  .build(a);
const hop3 = new CertBuilder({ delegatePk: c.verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: now, expirationUnix: now + 900n }).build(b);
const chainJson = serializeSignedChain({ ...passport.newChain(), certs: [hop1, hop2, hop3] });
const chain = parseSignedChain(chainJson, { namespace: 'bench' });
const verifyOpts = { agentPk: c.verifyingKey(), intent: intentHash('trade.equity'), now };

// The raw baseline: three node:crypto verifies of the same messages with ready key objects.
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const raw = chain.certs.map((cert) => ({
  key: crypto.createPublicKey({ key: Buffer.concat([SPKI, cert.delegatorPk]), format: 'der', type: 'spki' }),
  msg: signableBytes(cert),
  sig: cert.signature,
}));
const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seeds[0]]);
const rawPrivate = crypto.createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
const message = crypto.randomBytes(32);

async function timeIt(fn, iterations) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / iterations; // µs per op
}
const median = (xs) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];

async function compare(cases, iterations) {
  const samples = cases.map(() => []);
  for (const [, fn] of cases) await timeIt(fn, Math.ceil(iterations / 5)); // warm up
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < cases.length; i++) samples[i].push(await timeIt(cases[i][1], iterations));
  }
  return cases.map(([name], i) => ({ name, us: median(samples[i]) }));
}

const verifyOurs = () => authorize(chain, verifyOpts);
const verifyRaw = () => {
  for (const r of raw) if (!crypto.verify(null, r.msg, r.key, r.sig)) throw new Error('bad');
};

const report = benchReport('@a1/core', 'verify and sign, side by side with raw node:crypto');
report.context({ rounds: ROUNDS, statistic: 'median' });
const pair = (name, results) => report.table(name, ['case', 'µs per op'], results.map((r) => [r.name, r.us]));

useEd25519Backend(nodeBackend);
const [ours, baseline] = await compare([['authorize, 3-hop passport chain (node:crypto)', verifyOurs], ['3 × raw node:crypto verify', verifyRaw]], 300);
useEd25519Backend(nobleBackend);
const [nobleOnly] = await compare([['authorize, 3-hop passport chain (@noble/curves only)', verifyOurs]], 30);
useEd25519Backend(nodeBackend);
const signer = LocalSigner.fromSeed(seeds[0]);
const [ourSign, rawSign] = await compare([['LocalSigner.signMessage', () => signer.signMessage(message)], ['raw node:crypto sign', () => crypto.sign(null, message, rawPrivate)]], 500);
const [parse] = await compare([['parseSignedChain, the same 3-hop chain (JSON text)', () => parseSignedChain(chainJson, { namespace: 'bench' })]], 300);

pair('3-hop verify vs 3 raw node:crypto verifies', [ours, baseline]);
pair('node:crypto path vs @noble/curves path', [nobleOnly, ours]);
pair('LocalSigner sign vs raw node:crypto sign', [ourSign, rawSign]);
pair(`for reference, no target: parsing a ${chainJson.length}-byte chain`, [parse]);
report.target('3-hop verify / 3 raw node:crypto verifies', { measured: ours.us / baseline.us, op: '<=', goal: 1.25, unit: 'x' });
report.target('@noble/curves path / node:crypto path (times faster)', { measured: nobleOnly.us / ours.us, op: '>=', goal: 8, unit: 'x' });
report.target('LocalSigner sign / raw node:crypto sign', { measured: ourSign.us / rawSign.us, op: '<=', goal: 1.2, unit: 'x' });
report.done();
