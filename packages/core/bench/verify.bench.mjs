// Core benchmarks, measured side by side in one run (interleaved rounds; medians), so the
// ratios hold on a noisy shared machine even when absolute numbers move.
//
// "Cold" authorize: under a nonce store every authorization is of a fresh chain, so each call
// takes the next of POOL distinct chains (different nonces, so different signatures), each
// parsed from its own JSON text: nothing per chain can be cached. Keys repeat, as in production.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
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
} from '../dist/index.js';
import { benchReport } from '../../../scripts/bench/report.mjs';
import { libsodiumBackend } from '../dist/libsodium.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const POOL = 64;
const now = 1_700_000_000n;

// A 3-hop passport chain: human → A (2 caps) → B (1 cap) → C, as agents present it, parsed from JSON.
const seeds = [1, 2, 3, 4].map((n) => new Uint8Array(32).fill(n));
const [human, a, b, c] = seeds.map((s) => LocalSigner.fromSeed(s));
const passport = issuePassport({ namespace: 'bench', capabilities: ['trade.equity', 'portfolio.read', 'audit.read'], ttlSeconds: 86_400, signer: human, now });
const tree1 = IntentTree.build([intentHash('trade.equity'), intentHash('portfolio.read')]);
function freshChainJson() {
  const hop1 = passport.issueSub({ delegatePk: a.verifyingKey(), capabilities: ['trade.equity', 'portfolio.read'], ttlSeconds: 3_600, signer: human, now });
  const hop2 = new CertBuilder({ delegatePk: b.verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: now, expirationUnix: now + 1_800n })
    .scopeProof(SubScopeProof.build(tree1, [intentHash('trade.equity')]))
    .build(a);
  const hop3 = new CertBuilder({ delegatePk: c.verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: now, expirationUnix: now + 900n }).build(b);
  return serializeSignedChain({ ...passport.newChain(), certs: [hop1, hop2, hop3] });
}
const chainJsons = Array.from({ length: POOL }, freshChainJson);
const chains = chainJsons.map((json) => parseSignedChain(json, { namespace: 'bench' }));
const verifyOpts = { agentPk: c.verifyingKey(), intent: intentHash('trade.equity'), now };

// The raw baselines: three verifies of the same messages, keys ready (KeyObjects / raw bytes).
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
const keyObjects = new Map();
const keyObject = (pk) => {
  const id = Buffer.from(pk).toString('hex');
  if (!keyObjects.has(id)) keyObjects.set(id, crypto.createPublicKey({ key: Buffer.concat([SPKI, pk]), format: 'der', type: 'spki' }));
  return keyObjects.get(id);
};
const rawPool = chains.map((chain) => chain.certs.map((cert) => ({ pk: cert.delegatorPk, key: keyObject(cert.delegatorPk), msg: signableBytes(cert), sig: cert.signature })));

let sodium;
try {
  sodium = createRequire(import.meta.url)('sodium-native');
} catch {
  sodium = undefined; // optional: P3a is skipped without it
}
const sodiumBackend = sodium ? libsodiumBackend(sodium) : undefined;

const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seeds[0]]);
const rawPrivate = crypto.createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' });
const message = crypto.randomBytes(32);

async function timeIt(fn, iterations) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn(i % POOL);
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

const authorizeWith = (backend) => (i) => authorize(chains[i], { ...verifyOpts, ed25519Backend: backend });
const rawNode = (i) => {
  for (const r of rawPool[i]) if (!crypto.verify(null, r.msg, r.key, r.sig)) throw new Error('bad');
};
const rawSodium = (i) => {
  for (const r of rawPool[i]) if (!sodium.crypto_sign_verify_detached(r.sig, r.msg, r.pk)) throw new Error('bad');
};

const rows = [];
const ratioRow = (title, results, target, inverse = false) =>
  rows.push({ title, results, ratio: inverse ? results[1].us / results[0].us : results[0].us / results[1].us, target });

const p1 = await compare([['authorize, cold 3-hop chain (node:crypto)', authorizeWith(nodeBackend)], ['3 × raw node:crypto verify', rawNode]], 300);
ratioRow('P1  cold 3-hop authorize ÷ 3 raw node:crypto verifies', p1, '≤ 1.15');
if (sodiumBackend) {
  const p3a = await compare([['authorize, cold 3-hop chain (libsodium)', authorizeWith(sodiumBackend)], ['3 × raw libsodium verify', rawSodium]], 300);
  ratioRow('P3a cold 3-hop authorize on libsodium ÷ 3 raw libsodium verifies', p3a, '≤ 1.25');
  const side = await compare([['authorize, cold 3-hop chain (libsodium)', authorizeWith(sodiumBackend)], ['authorize, cold 3-hop chain (node:crypto)', authorizeWith(nodeBackend)]], 300);
  ratioRow('libsodium path vs node:crypto path (times faster)', side, '—', true);
}
const web = await compare([['authorize, cold 3-hop chain (WebCrypto in Node)', authorizeWith(webCryptoBackend)], ['authorize, cold 3-hop chain (@noble/curves only)', authorizeWith(nobleBackend)]], 30);
ratioRow('WebCrypto path vs @noble/curves path in Node (times faster)', web, '— (P7/P8 are measured in browsers, Deno, Bun)', true);
const noble = await compare([['authorize, cold 3-hop chain (@noble/curves only)', authorizeWith(nobleBackend)], ['authorize, cold 3-hop chain (node:crypto)', authorizeWith(nodeBackend)]], 30);
ratioRow('node:crypto path vs @noble/curves path (times faster)', noble, '≥ 8');

const signer = LocalSigner.fromSeed(seeds[0]);
const sign = await compare([['LocalSigner.signMessage', () => signer.signMessage(message)], ['raw node:crypto sign', () => crypto.sign(null, message, rawPrivate)]], 500);
ratioRow('LocalSigner sign vs raw node:crypto sign', sign, '≤ 1.2');
const [parse] = await compare([['parseSignedChain, a 3-hop chain (JSON text)', (i) => parseSignedChain(chainJsons[i], { namespace: 'bench' })]], 300);

const report = benchReport('@a1/core', 'cold 3-hop authorize and sign, side by side with the raw primitives');
report.context({ rounds: ROUNDS, statistic: 'median', 'distinct chains': POOL, 'sodium-native': sodiumBackend ? 'installed' : 'not installed (P3a skipped)' });
for (const row of rows) report.table(`${row.title} (ratio ${row.ratio.toFixed(2)})`, ['case', 'µs per op'], row.results.map((r) => [r.name, r.us]));
report.table(`for reference, no target: parsing a ${chainJsons[0].length}-byte chain`, ['case', 'µs per op'], [[parse.name, parse.us]]);
// Targets written '≤ 1.15' or '≥ 8'; a '—' row is shown for scale only.
for (const row of rows) {
  const goal = /^([≤≥]) ([\d.]+)$/.exec(row.target);
  if (goal) report.target(row.title, { measured: row.ratio, op: goal[1] === '≤' ? '<=' : '>=', goal: Number(goal[2]), unit: 'x' });
}
report.done();
