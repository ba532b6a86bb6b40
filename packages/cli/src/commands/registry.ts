/**
 * Every `a1` command: flags, help and examples. Implementations are loaded on demand, so
 * resolving a command costs nothing beyond this table.
 */
import type { CommandRun, CommandSpec } from '../command-spec.js';
import { SIGNER_URI_HELP } from '@a1/signer-uri';

/**
 * `true` inside the offline bundle (dist/offline.js, see tsup.offline.config.ts): the commands
 * that need a key backend are not in it (bin.ts never sends them there), so their modules — and
 * the external @a1/core and provider packages they use — are left out of it at build time.
 */
declare const A1_OFFLINE_BUNDLE: boolean;

/** The loader of a backend command inside the offline bundle (bin.ts never sends one there). */
const notInOfflineBundle = (): Promise<CommandRun> => Promise.reject(new Error('a key-backend command was sent to the offline bundle'));

const signer = { type: 'string', value: 'URI', description: 'the signing key (see "Signer URIs" below)' } as const;
const capabilities = {
  type: 'string',
  multiple: true,
  value: 'LIST',
  description: 'capabilities, comma-separated or repeated (--capabilities a,b --capabilities c)',
} as const;

export const COMMANDS: CommandSpec[] = [
  {
    name: 'keygen',
    summary: 'create a local Ed25519 seed file (mode 0600) and print its public key',
    usage: 'a1 keygen -o FILE [--force]',
    details: 'For agents and tests. Root keys belong in a KMS or HSM: use its own tooling to create them, then `a1 pubkey`.',
    options: {
      output: { type: 'string', short: 'o', value: 'FILE', description: 'where to write the seed (hex); refuses to overwrite' },
      force: { type: 'boolean', description: 'overwrite an existing file' },
    },
    examples: ['a1 keygen -o agent-a.key', 'a1 keygen -o root.key --json'],
    load: async () => (await import('./keygen.js')).runKeygen,
  },
  {
    name: 'pubkey',
    summary: 'print the Ed25519 public key of a signer',
    usage: 'a1 pubkey --signer URI',
    details: SIGNER_URI_HELP,
    options: { signer },
    examples: ['a1 pubkey --signer file:./root.key', 'AWS_REGION=eu-west-1 a1 pubkey --signer awskms:///alias/a1-root'],
    // A literal ternary, so the offline build drops the import at parse time.
    load: A1_OFFLINE_BUNDLE ? notInOfflineBundle : async () => (await import('./pubkey.js')).runPubkey,
  },
  {
    name: 'passport issue',
    summary: "issue a passport (self-signed root cert) and write the reference's passport file",
    usage: 'a1 passport issue --signer URI --namespace NAME --capabilities a,b --ttl 30d -o passport.json',
    details: SIGNER_URI_HELP,
    options: {
      signer,
      namespace: { type: 'string', short: 'n', value: 'NAME', description: 'the passport namespace (tenant, bot name)' },
      capabilities,
      ttl: { type: 'string', value: 'DURATION', description: 'lifetime: 90s, 15m, 12h, 30d, 2w (default 30d)' },
      output: { type: 'string', short: 'o', value: 'FILE', description: 'passport file to write' },
      force: { type: 'boolean', description: 'overwrite an existing file' },
    },
    examples: [
      'a1 passport issue --signer file:./root.key --namespace acme-bot --capabilities trade.equity,portfolio.read --ttl 30d -o passport.json',
      'a1 passport issue --signer hashivault://a1-root --namespace acme-bot --capabilities audit.read -o passport.json',
    ],
    // A literal ternary, so the offline build drops the import at parse time.
    load: A1_OFFLINE_BUNDLE ? notInOfflineBundle : async () => (await import('./passport-issue.js')).runPassportIssue,
  },
  {
    name: 'cert issue',
    summary: 'delegate a narrower scope to an agent: write or extend a chain file',
    usage: 'a1 cert issue --signer URI --passport passport.json --delegate HEX --capabilities a --ttl 1h [--chain chain.json] [-o chain.json] [--force]',
    details: `Without --chain, the signer must be the passport holder and the new chain has one hop.
With --chain, the cert is appended as the next hop: the signer must be the chain's last delegate,
and the capabilities must lie within the last hop's (proved with a sub-scope proof). The chain is
written in the reference's JSON (what Rust agents parse); -o defaults to --chain, else stdout.
The --chain file is extended in place; any other existing -o file is refused unless --force.

${SIGNER_URI_HELP}`,
    options: {
      signer,
      passport: { type: 'string', short: 'p', value: 'FILE', description: 'the passport file (a1 passport issue)' },
      chain: { type: 'string', value: 'FILE', description: 'append a hop to this chain file' },
      delegate: { type: 'string', short: 'd', value: 'HEX', description: "the agent's 32-byte public key, hex" },
      capabilities,
      ttl: { type: 'string', value: 'DURATION', description: 'lifetime (default 1h); capped by the previous hop' },
      'max-depth': { type: 'string', value: 'N', description: 'how deep later hops may go (default 16)' },
      output: { type: 'string', short: 'o', value: 'FILE', description: 'chain file to write (default: --chain, else stdout); refuses to overwrite' },
      format: { type: 'string', value: 'FORM', description: 'reference (default) or schema' },
      force: { type: 'boolean', description: 'overwrite an existing -o file' },
    },
    examples: [
      'a1 cert issue --signer file:./root.key --passport passport.json --delegate 8139…b394 --capabilities trade.equity,portfolio.read --ttl 1h -o chain.json',
      'a1 cert issue --signer file:./agent-a.key --passport passport.json --chain chain.json --delegate ed49…37d1 --capabilities trade.equity --ttl 10m',
    ],
    // A literal ternary, so the offline build drops the import at parse time.
    load: A1_OFFLINE_BUNDLE ? notInOfflineBundle : async () => (await import('./cert-issue.js')).runCertIssue,
  },
  {
    name: 'cert batch',
    summary: 'issue many sub-certs from a JSON-lines file, with bounded concurrency',
    usage: 'a1 cert batch --signer URI --passport passport.json --input requests.jsonl -o chains.jsonl [--concurrency 8] [--force]',
    details: `Each input line is an object: {"delegate":"HEX","capabilities":["a","b"] or "a,b","ttl":"1h"}
("ttl" defaults to --ttl). Each output line is {"line":N,"ok":true,"delegate":…,"fingerprint":…,"chain":{…}}
or {"line":N,"ok":false,"error":{"code":…,"message":…}}. A progress bar is drawn on a terminal,
a summary line otherwise. Exit 0 when all were issued, 5 when some failed.

${SIGNER_URI_HELP}`,
    options: {
      signer,
      passport: { type: 'string', short: 'p', value: 'FILE', description: 'the passport file' },
      input: { type: 'string', short: 'i', value: 'FILE', description: 'requests, one JSON object per line' },
      output: { type: 'string', short: 'o', value: 'FILE', description: 'results, one JSON object per line; refuses to overwrite' },
      force: { type: 'boolean', description: 'overwrite an existing -o file' },
      ttl: { type: 'string', value: 'DURATION', description: 'default lifetime (default 1h)' },
      concurrency: { type: 'string', value: 'N', description: 'signatures in flight at once (default 8, max 64)' },
    },
    examples: ['a1 cert batch --signer awskms:///alias/a1-root --passport passport.json --input requests.jsonl -o chains.jsonl'],
    // A literal ternary, so the offline build drops the import at parse time.
    load: A1_OFFLINE_BUNDLE ? notInOfflineBundle : async () => (await import('./cert-batch.js')).runCertBatch,
  },
  {
    name: 'verify',
    summary: 'verify a chain offline for an agent and an intent, against a root you pin',
    usage: 'a1 verify --chain chain.json --agent HEX --intent NAME (--root HEX | --roots FILE | --passport passport.json) [--param k=v] [--at UNIX] [--drift S] [--revoked FILE]',
    details: `Exit 0 and a receipt when the agent may perform the intent; exit 1 with the error code and
an explanation when not. No network, no signer package: the keys are in the certs.
A chain carries its own principal key, so a trust anchor is required: --root HEX (repeatable),
--roots FILE (pinned keys, hex, one per line, # comments) or --passport FILE (verified exactly as
Passport.guard does: mask, principal key and scope, namespace). Without one a1 verify refuses
(exit 2); --insecure-no-root checks a chain against its own principal for inspection only, and
says so loudly. The principal key is always printed (and is principal_pk under --json).
--revoked: a file of cert fingerprints (hex), one per line (# comments allowed).
--drift: the clock-skew tolerance in seconds (default 15); a cert accepted only thanks to it is noted.`,
    options: {
      chain: { type: 'string', short: 'c', value: 'FILE', description: 'the chain file (either JSON form)' },
      agent: { type: 'string', short: 'a', value: 'HEX', description: "the presenting agent's public key" },
      intent: { type: 'string', value: 'NAME', description: 'the action, e.g. trade.equity' },
      param: { type: 'string', multiple: true, value: 'K=V', description: 'an intent parameter (repeatable)' },
      root: { type: 'string', multiple: true, value: 'HEX', description: 'a trusted root (principal) public key (repeatable)' },
      roots: { type: 'string', value: 'FILE', description: 'trusted root public keys, hex, one per line' },
      passport: { type: 'string', short: 'p', value: 'FILE', description: 'the passport the chain was issued from (the trust anchor)' },
      'insecure-no-root': { type: 'boolean', description: 'no trust anchor: inspection only, never for decisions' },
      at: { type: 'string', value: 'UNIX', description: 'verify as of this time (default now)' },
      drift: { type: 'string', value: 'SECONDS', description: 'clock skew tolerated (default 15)' },
      revoked: { type: 'string', value: 'FILE', description: 'revoked cert fingerprints, hex, one per line' },
    },
    examples: [
      'a1 verify --chain chain.json --agent ed49…37d1 --intent trade.equity --passport passport.json',
      'a1 verify --chain chain.json --agent ed49…37d1 --intent trade.equity --root "$(a1 pubkey --signer awskms:///alias/a1-root)"',
      'a1 verify --chain chain.json --agent ed49…37d1 --intent trade.fx --param pair=eurusd --roots roots.txt --at 1700000000 --json',
    ],
    load: async () => (await import('./verify.js')).runVerify,
  },
  {
    name: 'inspect',
    summary: 'show what a passport, chain or cert file says (either JSON form), with warnings',
    usage: 'a1 inspect FILE',
    options: {
      at: { type: 'string', value: 'UNIX', description: 'judge validity as of this time (default now)' },
      passport: { type: 'string', short: 'p', value: 'FILE', description: "name a chain's capabilities from its passport" },
    },
    positionals: { min: 1, max: 1 },
    examples: ['a1 inspect passport.json', 'a1 inspect chain.json --passport passport.json', 'a1 inspect chain.json --json'],
    load: async () => (await import('./inspect.js')).runInspect,
  },
  {
    name: 'convert',
    summary: "rewrite a chain or cert in the reference's JSON or the published schema's (all-hex)",
    usage: 'a1 convert --to reference|schema FILE [-o FILE [--force]]',
    options: {
      to: { type: 'string', value: 'FORM', description: 'reference (what Rust agents parse) or schema' },
      output: { type: 'string', short: 'o', value: 'FILE', description: 'write here instead of stdout; refuses to overwrite' },
      force: { type: 'boolean', description: 'overwrite an existing -o file' },
    },
    positionals: { min: 1, max: 1 },
    examples: ['a1 convert --to schema chain.json -o chain.schema.json', 'a1 convert --to reference chain.schema.json'],
    load: async () => (await import('./convert.js')).runConvert,
  },
  {
    name: 'demo',
    summary: 'run the end-to-end demo on loopback emulators (AWS, GCP, Vault, Azure, SoftHSM2)',
    usage: 'a1 demo',
    details: 'Needs @a1/emulators and the five @a1/signer-* packages (present in the repository).',
    options: {},
    examples: ['a1 demo'],
    // A literal ternary, so the offline build drops the import at parse time.
    load: A1_OFFLINE_BUNDLE ? notInOfflineBundle : async () => (await import('./demo.js')).runDemoCommand,
  },
];
