// Copies a few reference vectors into examples/ for the page's example buttons (run once by hand:
// node examples/from-vectors.mjs). The page never fetches anything: Vite bundles these files.
import { readFileSync, writeFileSync } from 'node:fs';

const vectors = new URL('../../core/test/vectors/', import.meta.url);
const read = (name) => JSON.parse(readFileSync(new URL(name, vectors), 'utf8'));
const chains = read('chains.json');
const passport = read('passport.json');
const out = (name, text) => writeFileSync(new URL(name, import.meta.url), text.endsWith('\n') ? text : `${text}\n`);

out('chain-3hop.json', chains.base_chains.find((b) => b.name === 'chain_3hop').signed_chain_to_json_pretty);
out('passport.json', passport.save_output);
const withExtensions = JSON.parse(chains.authorize_cases.find((c) => c.name === 'valid_1hop_with_extensions').signed_chain_json);
out('cert-with-extensions.json', JSON.stringify(withExtensions.certs[0]));
// What each example needs to show a verdict: the reference keys, intents and clock.
out(
  'example-settings.json',
  JSON.stringify(
    {
      root: chains.keys.find((k) => k.role === 'principal P').public_key,
      names: chains.scope_intents.map((i) => [i.action, ...Object.entries(i.params).map(([k, v]) => `${k}=${v}`)].join(' ')),
      intent: 'trade.equity',
      checkAt: '1700000060',
    },
    null,
    2,
  ),
);
