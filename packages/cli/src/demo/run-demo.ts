/**
 * The end-to-end demo: one passport per key backend through the real vendor SDKs, two hops of
 * narrowing, the chain in the reference's JSON, offline verification, the refusals, a summary
 * table, and a key rotation on Vault. Everything runs on loopback and is cleaned up.
 */
import {
  A1Error,
  authorize,
  chainFingerprint,
  intentHash,
  IntentTree,
  issuePassport,
  LocalSigner,
  parseSignedChain,
  serializeSignedChain,
  toHex,
  type Passport,
  type SignedChain,
} from '@a1/core';
import type { OutputStream } from '../context.js';
import { issueHop } from '../issue-hop.js';
import { closeSigner, signerFromUri, type UriSigner } from '@a1/signer-uri';
import { isoTime, unixNow } from '../time-text.js';
import { startBackends, type DemoBackend } from './backends.js';
import { countSignatures } from './counting-signer.js';
import { GLOSSARY } from './glossary.js';
import { loadDemoPackages } from './requirements.js';
import { renderTable } from './table.js';

const CAPABILITIES = ['trade.equity', 'portfolio.read', 'audit.read'];
/** The Azure row is not generally available Key Vault (which has no Ed25519 keys): say what it is. */
const AZURE_NOTE =
  '* Azure: the Managed HSM preview contract (OKP/Ed25519 keys, api-version 7.4-preview.1) on the loopback emulator;\n' +
  '  generally available Azure Key Vault has no Ed25519 keys (see @a1/signer-azure).';
const short = (bytes: Uint8Array) => `${toHex(bytes).slice(0, 16)}…`;

interface BackendRun {
  backend: DemoBackend;
  keyId: string;
  publicKey: Uint8Array;
  signCalls: number;
  verify: string;
  forbidden: string;
  tampered: string;
}

/** The code an A1Error refusal carries, or "ACCEPTED" when the check wrongly passed. */
async function refusal(check: () => Promise<unknown>): Promise<string> {
  try {
    await check();
    return 'ACCEPTED';
  } catch (error) {
    if (error instanceof A1Error) return error.code;
    throw error;
  }
}

export interface DemoOptions {
  /** Where the narrative and the table go. */
  out?: OutputStream;
  /** Receives the summary as data (for `a1 demo --json`). */
  onSummary?: (summary: DemoSummary) => void;
}

export interface DemoSummary {
  ok: boolean;
  seconds: number;
  softhsm: string;
  backends: Array<{ backend: string; uri: string; key_id: string; public_key: string; sign_calls: number; verify: string; forbidden: string; tampered: string }>;
}

export async function runDemo(options: DemoOptions = {}): Promise<number> {
  const out = options.out ?? process.stdout;
  const say = (text = '') => out.write(`${text}\n`);
  const started = Date.now();
  const emulators = await loadDemoPackages();
  say('A1 demo: one passport per key backend, delegated human → agent A → agent B, verified offline');
  say();
  say(GLOSSARY);
  say();
  const setup = await startBackends(emulators);
  const signers: UriSigner[] = [];
  let failures = 0;
  try {
    say('Backends (loopback emulators speaking the real wire protocols; the vendor SDKs are the real ones):');
    for (const b of setup.backends) say(`  ${b.name.padEnd(20)} ${b.uri.replace(/pin-source=env:\w+/, 'pin-source=env:…')}`);
    if (setup.softHsmMissing) say(`  PKCS#11              skipped: ${setup.softHsmMissing}`);

    const agentA = LocalSigner.generate();
    const agentB = LocalSigner.generate();
    const runs: BackendRun[] = [];
    let vaultPassport: Passport | undefined;
    let vaultChain: SignedChain | undefined;

    for (const backend of setup.backends) {
      say();
      say(`${backend.name}`);
      const counted = countSignatures(await signerFromUri(backend.uri, backend.options));
      signers.push(counted.signer);
      const signer = counted.signer;
      const passport = await issuePassport({ namespace: 'acme-trading-bot', capabilities: CAPABILITIES, ttlSeconds: 86_400, signer });
      say(`  passport    ${CAPABILITIES.join(', ')}; holder ${short(passport.holderPk)} (${signer.keyId ?? 'key'})`);
      const now = unixNow();
      const hop1 = await issueHop({ passport, signer, delegatePk: agentA.verifyingKey(), capabilities: ['trade.equity', 'portfolio.read'], ttlSeconds: 3600, now });
      say(`  hop 1       human → agent A ${short(agentA.verifyingKey())}: trade.equity, portfolio.read for 1 hour`);
      const escalation = await refusal(() =>
        issueHop({ passport, chain: hop1.chain, signer: agentA, delegatePk: agentB.verifyingKey(), capabilities: ['audit.read'], ttlSeconds: 600, now }),
      );
      const hop2 = await issueHop({ passport, chain: hop1.chain, signer: agentA, delegatePk: agentB.verifyingKey(), capabilities: ['trade.equity'], ttlSeconds: 600, now });
      say(`  hop 2       agent A → agent B ${short(agentB.verifyingKey())}: trade.equity for 10 minutes (asking for audit.read: ${escalation})`);

      const json = serializeSignedChain(hop2.chain);
      const received = parseSignedChain(json);
      const verify = await refusal(() => authorize(received, { agentPk: agentB.verifyingKey(), intent: intentHash('trade.equity') }));
      const forbidden = await refusal(() => authorize(parseSignedChain(json), { agentPk: agentB.verifyingKey(), intent: intentHash('audit.read') }));
      const tamperedChain = parseSignedChain(json);
      tamperedChain.certs[1]!.expirationUnix -= 60n;
      const tampered = await refusal(() => authorize(tamperedChain, { agentPk: agentB.verifyingKey(), intent: intentHash('trade.equity') }));
      const verified = verify === 'ACCEPTED';
      say(`  chain       ${json.length} bytes of the reference's JSON: ${json.slice(0, 72)}…`);
      say(`              parsed back: ${received.certs.length} hops, chain fingerprint ${short(chainFingerprint(received))}`);
      say(`  verify      agent B, trade.equity, offline: ${verified ? 'authorized' : `REFUSED ${verify}`}`);
      say(`  refused     agent B asking for audit.read: ${forbidden}; hop 2 with its expiry moved a minute: ${tampered}`);
      if (!verified || forbidden !== 'ScopeViolation' || tampered !== 'InvalidSignature' || escalation !== 'ScopeEscalation') failures++;

      runs.push({
        backend,
        keyId: signer.keyId ?? '-',
        publicKey: passport.holderPk,
        signCalls: backend.signCalls() ?? counted.count(),
        verify: verified ? 'ok' : `FAILED (${verify})`,
        forbidden,
        tampered,
      });
      if (backend.name === 'Vault Transit') {
        vaultPassport = passport;
        vaultChain = hop1.chain;
      }
    }

    say();
    say(
      renderTable(
        ['backend', 'key id', 'public key', 'sign calls', 'verify', 'forbidden', 'tampered'],
        runs.map((r) => [r.backend.name, r.keyId.length > 64 ? `…${r.keyId.slice(-63)}` : r.keyId, short(r.publicKey), String(r.signCalls), r.verify, r.forbidden, r.tampered]),
      ),
    );
    say(AZURE_NOTE);
    if (setup.softHsmMissing) say(`(PKCS#11: ${setup.softHsmMissing})`);

    if (vaultPassport && vaultChain) failures += await rotationScene(say, setup.vault, vaultPassport, vaultChain, agentA, signers);

    options.onSummary?.({
      ok: failures === 0,
      seconds: (Date.now() - started) / 1000,
      softhsm: setup.softHsmMissing ?? 'used',
      backends: runs.map((r) => ({
        backend: r.backend.name,
        uri: r.backend.uri,
        key_id: r.keyId,
        public_key: toHex(r.publicKey),
        sign_calls: r.signCalls,
        verify: r.verify,
        forbidden: r.forbidden,
        tampered: r.tampered,
      })),
    });
    say();
    say(failures === 0 ? `Done in ${((Date.now() - started) / 1000).toFixed(1)}s: every backend issued, every chain verified offline, every forgery refused.` : `FAILED: ${failures} check(s) did not go as expected.`);
    return failures === 0 ? 0 : 1;
  } finally {
    for (const signer of signers) await closeSigner(signer).catch(() => undefined);
    await setup.close();
  }
}

/** Vault key rotation: old certs keep verifying until they expire; new certs chain to the new key. */
async function rotationScene(
  say: (text?: string) => void,
  vault: { rotateKey(name: string): number },
  oldPassport: Passport,
  oldChain: SignedChain,
  agentA: LocalSigner,
  signers: UriSigner[],
): Promise<number> {
  say();
  say('Key rotation on Vault');
  const version = vault.rotateKey('a1-root');
  say(`  rotated     transit/keys/a1-root to version ${version}`);
  const rotated = await signerFromUri('hashivault://a1-root?mount=transit');
  signers.push(rotated);
  const newPassport = await issuePassport({ namespace: 'acme-trading-bot', capabilities: CAPABILITIES, ttlSeconds: 86_400, signer: rotated });
  say(`  new key     ${short(newPassport.holderPk)} (was ${short(oldPassport.holderPk)}); new passport issued`);
  const now = unixNow();
  const fresh = await issueHop({ passport: newPassport, signer: rotated, delegatePk: agentA.verifyingKey(), capabilities: ['trade.equity'], ttlSeconds: 3600, now });
  const pinned = await signerFromUri(`hashivault://a1-root?mount=transit&version=${version - 1}`);
  signers.push(pinned);
  const pinnedKey = await pinned.verifyingKey();

  const agentPk = agentA.verifyingKey();
  const intent = intentHash('trade.equity');
  const oldExpiry = oldChain.certs[0]!.expirationUnix;
  const oldNow = await refusal(() => authorize(oldChain, { agentPk, intent, proof: proofFor(oldChain) }));
  const oldLater = await refusal(() => authorize(oldChain, { agentPk, intent, proof: proofFor(oldChain), now: oldExpiry + 16n }));
  const newNow = await refusal(() => authorize(fresh.chain, { agentPk, intent }));
  const crossed = await refusal(() => authorize({ ...fresh.chain, principalPk: oldPassport.holderPk }, { agentPk, intent }));
  say(`  old chain   (version ${version - 1}) now: ${oldNow === 'ACCEPTED' ? 'still verifies' : oldNow}; after it expires at ${isoTime(oldExpiry)}: ${oldLater}`);
  say(`  new chain   (version ${version}) principal ${short(fresh.chain.principalPk)}: ${newNow === 'ACCEPTED' ? 'verifies' : newNow}; presented as the old key's: ${crossed}`);
  say(`  pinning     hashivault://a1-root?version=${version - 1} still resolves to ${short(pinnedKey)} (Vault keeps old versions until min_encryption_version moves)`);
  const ok = oldNow === 'ACCEPTED' && oldLater === 'Expired' && newNow === 'ACCEPTED' && crossed === 'RootMismatch';
  return ok ? 0 : 1;
}

/** Hop 1 carries two capabilities: the intent is proved inside its tree. */
function proofFor(chain: SignedChain) {
  const leaves = chain.certs[chain.certs.length - 1]!.scopeProof.subsetIntents;
  return leaves.length > 1 ? IntentTree.build([...leaves]).prove(intentHash('trade.equity')) : undefined;
}
