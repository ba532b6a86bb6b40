// Chains written by the Rust reference implementation (its own JSON, from the vectors) verify
// with `a1 verify`, and inspect/convert read them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, json, runA1 } from './helpers.js';

const keys = json<{ keys: Record<string, string> }>(readFileSync(join(FIXTURES, 'reference-keys.json'), 'utf8')).keys;
const PRINCIPAL = keys['principal P']!;
const AGENT_B = keys['agent B']!;
const AGENT_C = keys['agent C']!;
const chain3 = join(FIXTURES, 'reference-chain-3hop.json');
const chain2 = join(FIXTURES, 'reference-chain-2hop.json');

describe.concurrent('reference chains', () => {
  it('a 3-hop reference chain verifies for its terminal agent at 1700000000', async () => {
    const result = await runA1(['verify', '--chain', chain3, '--agent', AGENT_C, '--intent', 'trade.equity', '--at', '1700000000', '--json', '--root', PRINCIPAL]);
    expect(result.code, result.stderr).toBe(0);
    expect(json(result.stdout)).toMatchObject({ authorized: true, chain_depth: 3 });
  });

  it('a 2-hop reference chain verifies an intent proved inside a two-capability scope', async () => {
    const trade = await runA1(['verify', '--chain', chain2, '--agent', AGENT_B, '--intent', 'trade.equity', '--at', '1700000000', '--root', PRINCIPAL]);
    expect(trade.code, trade.stderr).toBe(0);
    const read = await runA1(['verify', '--chain', chain2, '--agent', AGENT_B, '--intent', 'portfolio.read', '--at', '1700000000', '--root', PRINCIPAL]);
    expect(read.code, read.stderr).toBe(0);
    const audit = await runA1(['verify', '--chain', chain2, '--agent', AGENT_B, '--intent', 'audit.read', '--at', '1700000000', '--root', PRINCIPAL]);
    expect(audit.code).toBe(1);
    expect(audit.stderr).toContain('ScopeViolation');
  });

  it('the reference chain expires when the reference says it does', async () => {
    const result = await runA1(['verify', '--chain', chain3, '--agent', AGENT_C, '--intent', 'trade.equity', '--at', '1700002416', '--root', PRINCIPAL]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Expired');
    const edge = await runA1(['verify', '--chain', chain3, '--agent', AGENT_C, '--intent', 'trade.equity', '--at', '1700002415', '--root', PRINCIPAL]);
    expect(edge.code).toBe(0);
  });

  it('inspect reads it; convert to schema and back gives the same bytes', async () => {
    const inspect = await runA1(['inspect', chain3, '--at', '1700000000', '--json']);
    expect(json(inspect.stdout)).toMatchObject({ kind: 'chain', form: 'reference', depth: 3, terminal_agent: AGENT_C });
    const schema = await runA1(['convert', '--to', 'schema', chain3, '--json']);
    expect(json(schema.stdout)).toMatchObject({ kind: 'chain', from: 'reference', to: 'schema' });
  });
});
