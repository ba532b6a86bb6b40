/**
 * The chain inspector in a real headless Chromium (Debian's): reference chains, passports and
 * certs in both JSON forms are pictured (hops, keys, capabilities, narrowing, timeline,
 * extensions) and verified in the page against a pinned root, with the reference's verdicts;
 * tampered and unreadable input is refused in plain words. Under CI=true a missing Chromium fails.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseSignedChain, serializeSignedChain } from '@a1/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPage, chromiumInstalled, openInspector, packageDir, show, shown } from './page.js';

const vector = (name: string) => JSON.parse(readFileSync(new URL(`../../core/test/vectors/${name}.json`, import.meta.url), 'utf8'));
const chains = vector('chains');
const passportVectors = vector('passport');
const principal = chains.keys.find((k: { role: string }) => k.role === 'principal P').public_key as string;
// The reference's scope intents, typed the way a person would (action key=value …).
const intentText = new Map<string, string>(
  chains.scope_intents.map((i: { hash: string; action: string; params: Record<string, string> }) => [i.hash, [i.action, ...Object.entries(i.params).map(([k, v]) => `${k}=${v}`)].join(' ')]),
);
const names = [...intentText.values()];
const base = (name: string) => chains.base_chains.find((b: { name: string }) => b.name === name);
const chain3 = base('chain_3hop').signed_chain_to_json_pretty as string;

const inCi = process.env.CI === 'true';

describe.skipIf(!chromiumInstalled() && !inCi)('the chain inspector page in headless Chromium', () => {
  let inspector: Awaited<ReturnType<typeof openInspector>> | undefined;
  let setupError: unknown;
  // A setup failure (Chromium missing under CI, a build error) fails every test, so the summary
  // counts it; a throwing beforeAll would leave them merely skipped.
  beforeAll(async () => {
    try {
      if (!chromiumInstalled()) throw new Error('Chromium is missing: run bash scripts/ensure-chromium.sh (apt-get install chromium)');
      buildPage();
      inspector = await openInspector();
    } catch (error) {
      setupError = error;
    }
  });
  afterAll(async () => {
    await inspector?.close();
  });
  const opened = () => {
    if (!inspector) throw setupError;
    return inspector;
  };
  const page = () => opened().page;

  it('pictures the 3-hop reference chain: keys, narrowing, capabilities, timeline; allowed for trade.equity', async () => {
    await show(page(), { document: chain3, root: principal, intent: 'trade.equity', checkAt: '1700000060', names });
    const view = await shown(page());
    expect(view.hopCount).toBe('3');
    expect(view.summary).toContain('reference JSON');
    expect(view.hops.map((h) => h.key)).toEqual(chains.keys.slice(1).map((k: { public_key: string }) => k.public_key));
    expect(view.hops.map((h) => h.capabilities)).toEqual([names, ['trade.equity', 'portfolio.read'], ['trade.equity']]);
    expect(view.hops.map((h) => h.narrowing)).toEqual([
      'pass-through: keeps its delegator’s whole scope',
      'narrowed to 2 of 4 capabilities',
      'narrowed to 1 of 2 capabilities',
    ]);
    expect(view.hops.every((h) => h.signature === 'signature valid')).toBe(true);
    expect(view.timelineBars).toBe(3);
    expect(view.verdict).toBe('allowed');
    expect(view.summary).toContain('verified with webcrypto');
  });

  it('every reference base chain shows its hop count with valid signatures', async () => {
    for (const b of chains.base_chains) {
      await show(page(), { document: b.signed_chain_to_json });
      const view = await shown(page());
      expect(view.hopCount, b.name).toBe(String(b.chain.certs.length));
      expect(view.hops.map((h) => h.signature)).toEqual(b.chain.certs.map(() => 'signature valid'));
    }
  });

  // The reference's authorize cases that a person can pose on the page: the agent is the chain's
  // holder, the intent one of the named scope intents, default drift and no stores.
  const poseable = chains.authorize_cases.filter(
    (c: any) =>
      c.signed_chain_json &&
      intentText.has(c.inputs.intent) &&
      c.inputs.drift_tolerance_secs === 15 &&
      c.inputs.revoked_fingerprints.length === 0 &&
      c.inputs.pre_consumed_nonces.length === 0 &&
      !c.chain.namespace &&
      c.chain.certs.length > 0 &&
      c.chain.certs.at(-1).delegate_pk === c.inputs.agent_pk &&
      !c.name.startsWith('scope_violation_proof') &&
      !c.name.startsWith('scope_violation_empty_proof'),
  );

  it(`gives the reference's verdict on ${poseable.length} authorize cases`, async () => {
    expect(poseable.length).toBeGreaterThanOrEqual(30);
    const wrong: string[] = [];
    for (const c of poseable) {
      await show(page(), { document: c.signed_chain_json, root: c.chain.principal_pk, intent: intentText.get(c.inputs.intent)!, checkAt: String(c.inputs.clock_unix), names });
      const view = await shown(page());
      const want = c.outcome.ok ? 'allowed' : `refused ${c.outcome.error.variant}`;
      const got = view.verdict === 'allowed' ? 'allowed' : `${view.verdict} ${view.code}`;
      if (got !== want) wrong.push(`${c.name}: got ${got}, want ${want}`);
    }
    expect(wrong.join('\n')).toBe('');
  });

  it('refuses a tampered chain: the changed hop is marked and the verdict explains', async () => {
    const tampered = JSON.parse(chain3);
    tampered.certs[1].signature[10] ^= 0x40;
    await show(page(), { document: JSON.stringify(tampered), root: principal, intent: 'trade.equity', checkAt: '1700000060', names });
    const view = await shown(page());
    expect(view.hops.map((h) => h.signature)).toEqual(['signature valid', 'signature INVALID', 'signature valid']);
    expect(view.verdict).toBe('refused');
    expect(view.code).toBe('InvalidSignature');
    expect(view.explanation).toContain('Hop 1’s signature does not verify');
  });

  it('refuses under a different pinned root, and an intent outside the holder’s scope', async () => {
    await show(page(), { document: chain3, root: chains.keys[2].public_key, intent: 'trade.equity', checkAt: '1700000060', names });
    let view = await shown(page());
    expect([view.verdict, view.code]).toEqual(['refused', 'RootMismatch']);
    expect(view.explanation).toContain('does not start at the root key you pinned');
    await show(page(), { root: principal, intent: 'audit.read' });
    view = await shown(page());
    expect([view.verdict, view.code]).toEqual(['refused', 'ScopeViolation']);
    expect(view.explanation).toContain('not among the capabilities');
  });

  it('an expired chain checked now is refused with the expiry in plain words', async () => {
    await show(page(), { document: chain3, root: principal, intent: 'trade.equity', checkAt: '', names });
    const view = await shown(page());
    expect([view.verdict, view.code]).toEqual(['refused', 'Expired']);
    expect(view.explanation).toMatch(/^Hop 0 expired at 2023-11-14T23:13:20Z; the check time is 20\d\d-/);
  });

  it('reads the schema (all-hex) JSON form too', async () => {
    const schema = serializeSignedChain(parseSignedChain(chain3), { format: 'schema' });
    await show(page(), { document: schema, root: principal, intent: 'portfolio.read', checkAt: '1700000060', names });
    const view = await shown(page());
    expect(view.summary).toContain('schema JSON');
    expect(view.hopCount).toBe('3');
    expect([view.verdict, view.code]).toEqual(['refused', 'ScopeViolation']); // hop 2 kept only trade.equity
  });

  it('a passport: its self-signed hop and capabilities; actions outside it refused', async () => {
    await show(page(), { document: passportVectors.save_output, root: principal, intent: 'portfolio.read', checkAt: '1700000060', names: [] });
    let view = await shown(page());
    expect(view.summary).toContain('passport');
    expect(view.summary).toContain(passportVectors.namespace);
    expect(view.hopCount).toBe('1');
    expect(view.hops[0]!.capabilities).toEqual(passportVectors.capabilities);
    expect(view.verdict).toBe('allowed');
    await show(page(), { intent: 'trade.fx' });
    view = await shown(page());
    expect([view.verdict, view.code]).toEqual(['refused', 'PassportNarrowingViolation']);
  });

  it('a lone cert shows its extensions', async () => {
    const c = chains.authorize_cases.find((x: { name: string }) => x.name === 'valid_1hop_with_extensions');
    const cert = JSON.stringify(JSON.parse(c.signed_chain_json).certs[0]);
    await show(page(), { document: cert, root: principal, intent: 'trade.equity', checkAt: '1700000060', names });
    const view = await shown(page());
    expect(view.summary).toContain('cert');
    expect(view.hopCount).toBe('1');
    expect(view.hops[0]!.extensions).toEqual([
      ['dyolo.cost_center', 'eng-42'],
      ['dyolo.rate_limit_rpm', '60'],
    ]);
    expect(view.verdict).toBe('allowed');
  });

  it('unreadable input is explained, never a crash', async () => {
    for (const [text, words] of [
      ['not json at all', 'this is not JSON'],
      ['{"hello": 1}', 'not a passport file, a chain'],
      ['{"version":1,"principal_pk":"zz","principal_scope":"00","certs":[]}', 'not a passport, chain or cert this page can read'],
    ] as const) {
      await show(page(), { document: text });
      const view = await shown(page());
      expect(view.parseError, text).toContain(words);
      expect(view.hopCount).toBeNull();
    }
    expect(opened().pageErrors.join('\n')).toBe('');
  });

  it('loads nothing but the page itself (no network)', () => {
    const { requests, server } = opened();
    expect(requests.filter((url) => !url.startsWith(server.url))).toEqual([]);
    expect(new Set(requests.map((url) => new URL(url).pathname))).toEqual(new Set(['/']));
  });

  it('works opened from disk (file://) and draws the example; screenshot for the README', async () => {
    const fromDisk = await opened().browser.context.newPage();
    await fromDisk.goto(`file://${packageDir}dist/index.html`);
    await fromDisk.click('[data-example=chain]');
    await show(fromDisk, {});
    const view = await shown(fromDisk);
    expect(view.hopCount).toBe('3');
    expect(view.verdict).toBe('allowed');
    const png = await fromDisk.screenshot({ fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // The committed screenshot changes only when asked for.
    if (process.env.A1_UPDATE_SCREENSHOT === '1') writeFileSync(new URL('../docs/inspector.png', import.meta.url), png);
    await fromDisk.close();
  });
});
