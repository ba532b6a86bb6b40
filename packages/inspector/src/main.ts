/** Wires the page: read inputs, parse the document, draw the hops and timeline, show the verdict. */
import { chainFingerprint, ed25519Backend, equalBytes, fromHex, intentHash, IntentTree, toHex } from '@a1/core';
import './style.css';
import chainExample from '../examples/chain-3hop.json?raw';
import certExample from '../examples/cert-with-extensions.json?raw';
import passportExample from '../examples/passport.json?raw';
import exampleSettings from '../examples/example-settings.json';
import { parseDocument, type InspectedDocument } from './document.js';
import { explain } from './explain.js';
import { hopViews, shortKey, type HopView } from './hop-view.js';
import { namesByHash, parseIntent } from './intent-text.js';
import { timeline } from './timeline.js';
import { verdictFor } from './verdict.js';
import { isoTime } from './time-text.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const documentInput = $<HTMLTextAreaElement>('document-input');
const rootInput = $<HTMLInputElement>('root-key');
const intentInput = $<HTMLInputElement>('intent');
const checkAtInput = $<HTMLInputElement>('check-at');
const namesInput = $<HTMLTextAreaElement>('names');

function h(tag: string, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children);
  return node;
}

const iso = isoTime;

/** The check time: empty means now; digits are unix seconds; anything else a date. */
function checkTime(): bigint {
  const text = checkAtInput.value.trim();
  if (!text) return BigInt(Math.floor(Date.now() / 1000));
  if (/^\d+$/.test(text)) return BigInt(text);
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new Error(`"${text}" is neither unix seconds nor a date`);
  return BigInt(Math.floor(ms / 1000));
}

function keyBadge(label: string, key: string): HTMLElement {
  return h('span', { class: 'key', title: key, 'data-key': key }, `${label} `, h('code', {}, shortKey(Uint8Array.from(key.match(/../g)!.map((b) => parseInt(b, 16))))));
}

function hopCard(hop: HopView): HTMLElement {
  const caps = hop.capabilities
    ? h('ul', { class: 'capabilities' }, ...hop.capabilities.map((c) => h('li', { class: 'capability' }, c)))
    : h('p', { class: 'muted' }, 'capabilities: not listed in the chain (name them below, or load the passport)');
  const extensions = hop.extensions.length
    ? h('table', { class: 'extensions' }, ...hop.extensions.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v))))
    : h('p', { class: 'muted' }, 'no extensions');
  return h(
    'article',
    { class: `hop${hop.signatureValid && hop.linked ? '' : ' hop-bad'}`, 'data-testid': 'hop', 'data-index': String(hop.index) },
    h('h3', {}, `hop ${hop.index}`, hop.selfSigned ? ' (self-signed)' : ''),
    keyBadge('key', hop.delegate),
    h('p', { class: 'signed-by' }, keyBadge('signed by', hop.delegator), hop.linked ? '' : h('strong', { class: 'bad' }, ' not the previous holder')),
    h('p', { class: 'narrowing', 'data-testid': 'narrowing' }, hop.narrowing),
    caps,
    h('p', { class: 'validity' }, `${iso(hop.issuedAt)} → ${iso(hop.expiration)}`),
    h('p', { class: 'muted' }, `max depth ${hop.maxDepth} · cert ${hop.fingerprint.slice(0, 12)}…`),
    extensions,
    h('p', { class: hop.signatureValid ? 'sig ok' : 'sig bad', 'data-testid': 'signature' }, hop.signatureValid ? 'signature valid' : 'signature INVALID'),
  );
}

function principalScopeNames(scope: Uint8Array, leaves: Uint8Array[], names: ReadonlyMap<string, string>): string[] | undefined {
  if (leaves.length === 0 || !equalBytes(IntentTree.build(leaves).root(), scope)) return undefined;
  return leaves.map((leaf) => names.get(toHex(leaf)) ?? toHex(leaf).slice(0, 12));
}

function showParseError(message: string | undefined): void {
  const box = $('parse-error');
  box.hidden = message === undefined;
  box.textContent = message ?? '';
}

let doc: InspectedDocument | undefined;
let renderRun = 0;

/** Renders the current inputs; anything unexpected is shown on the page, never thrown. */
async function render(): Promise<void> {
  try {
    await renderInputs();
  } catch (error) {
    showParseError(explain(error));
  }
}

async function renderInputs(): Promise<void> {
  const run = ++renderRun;
  const summary = $('summary');
  const hops = $('hops');
  const verdictBox = $('verdict');
  summary.replaceChildren();
  hops.replaceChildren();
  $('timeline').replaceChildren();
  verdictBox.replaceChildren();
  verdictBox.dataset.verdict = 'none';
  delete verdictBox.dataset.code;
  showParseError(undefined);
  const text = documentInput.value.trim();
  if (!text) return;
  try {
    doc = parseDocument(text);
  } catch (error) {
    doc = undefined;
    showParseError(explain(error));
    return;
  }
  let now: bigint;
  try {
    now = checkTime();
  } catch (error) {
    showParseError((error as Error).message);
    return;
  }
  const nameLines = namesInput.value.split('\n').filter((l) => l.trim());
  const names = namesByHash([...nameLines, intentInput.value, ...(doc.kind === 'passport' ? doc.passport.capabilities : [])]);
  // The principal scope's capabilities: the passport's, or the names typed when they hash to it.
  const principalLeaves = doc.kind === 'passport' ? doc.passport.capabilities.map((c) => intentHash(c)) : [...namesByHash(nameLines).keys()].map((hex) => fromHex(hex, 'name'));
  const views = hopViews(doc.chain, names, principalLeaves);
  const principalCaps = principalScopeNames(doc.chain.principalScope, principalLeaves, names);
  const { chain } = doc;
  const holder = chain.certs.at(-1)?.delegatePk ?? chain.principalPk;
  summary.append(
    h('p', {}, h('strong', {}, doc.kind), ` (${doc.form} JSON) · `, h('span', { 'data-testid': 'hop-count' }, String(chain.certs.length)), ` hop${chain.certs.length === 1 ? '' : 's'}`),
    h('p', {}, keyBadge('principal', toHex(chain.principalPk)), ' → … → ', keyBadge('holder', toHex(holder))),
    h('p', { class: 'muted' }, `chain fingerprint ${toHex(chainFingerprint(chain)).slice(0, 16)}… · verified with ${ed25519Backend().name}`),
    ...(doc.kind === 'passport' ? [h('p', {}, `passport namespace `, h('code', {}, doc.passport.namespace))] : []),
  );
  hops.append(
    h(
      'div',
      { class: 'principal' },
      h('h3', {}, 'principal'),
      keyBadge('key', toHex(chain.principalPk)),
      principalCaps ? h('ul', { class: 'capabilities' }, ...principalCaps.map((c) => h('li', { class: 'capability' }, c))) : h('p', { class: 'muted' }, `scope ${toHex(chain.principalScope).slice(0, 12)}…`),
    ),
  );
  for (const view of views) hops.append(h('div', { class: 'arrow' }, '→'), hopCard(view));
  $('timeline').append(timeline(views, now));

  const root = rootInput.value.trim();
  let intent;
  try {
    intent = parseIntent(intentInput.value);
  } catch (error) {
    verdictBox.append(h('p', {}, (error as Error).message));
    return;
  }
  if (!/^[0-9a-fA-F]{64}$/.test(root) || !intent) {
    verdictBox.append(h('p', { class: 'muted' }, 'Pin a root key (64 hex digits) and type an intent to see the verdict.'));
    return;
  }
  const verdict = await verdictFor(doc, root, intent, now, principalCaps ? principalLeaves : undefined);
  if (run !== renderRun) return; // a newer input has been rendered meanwhile
  verdictBox.dataset.verdict = verdict.ok ? 'allowed' : 'refused';
  if (verdict.ok) {
    verdictBox.append(
      h('h2', {}, 'Allowed'),
      h('p', {}, `The holder at the end of this ${verdict.receipt.chainDepth}-hop chain (`, keyBadge('key', toHex(holder)), `) may “${intent.text}” under the root you pinned, at ${iso(now)}.`),
    );
  } else {
    const code = (verdict.error as { code?: string }).code ?? 'Error';
    verdictBox.dataset.code = code;
    verdictBox.append(h('h2', {}, `Refused: `, h('code', { 'data-testid': 'error-code' }, code)), h('p', { 'data-testid': 'explanation' }, explain(verdict.error)));
  }
}

function load(text: string, settings?: typeof exampleSettings): void {
  documentInput.value = text;
  if (settings) {
    rootInput.value = settings.root;
    intentInput.value = settings.intent;
    checkAtInput.value = settings.checkAt;
    namesInput.value = settings.names.join('\n');
  }
  void render();
}

for (const input of [documentInput, rootInput, intentInput, checkAtInput, namesInput]) input.addEventListener('input', () => void render());
$('file-input').addEventListener('change', async (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file) load(await file.text());
});
const dropZone = $('drop-zone');
for (const target of [dropZone, documentInput]) {
  target.addEventListener('dragover', (event) => event.preventDefault());
  target.addEventListener('drop', async (event) => {
    event.preventDefault();
    const file = (event as DragEvent).dataTransfer?.files[0];
    if (file) load(await file.text());
  });
}
const examples: Record<string, string> = { chain: chainExample, passport: passportExample, cert: certExample };
for (const button of document.querySelectorAll<HTMLButtonElement>('[data-example]')) {
  button.addEventListener('click', () => load(examples[button.dataset.example!]!, exampleSettings));
}
// Tests (and anyone scripting the page) can wait for the last render to finish.
(window as { a1Inspector?: { settled: () => Promise<void> } }).a1Inspector = { settled: () => render() };
