import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrationScript } from '../src/index.js';
import { checkBuild } from './support/verifier-processes.mjs';

const cli = join(import.meta.dirname, '..', 'dist', 'cli.js');

describe('the a1-store-postgres command (built)', () => {
  checkBuild();

  it('prints its usage for --help, exit 0', () => {
    const out = execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    expect(out).toMatch(/usage: a1-store-postgres <command>/);
    expect(out).toMatch(/migrate/);
  });

  it('prints the migration script for sql', () => {
    expect(execFileSync(process.execPath, [cli, 'sql'], { encoding: 'utf8' })).toBe(migrationScript());
  });

  it('refuses an unknown command (exit 2) and a missing database (exit 1) without a stack trace', () => {
    const unknown = spawnSync(process.execPath, [cli, 'drop-everything'], { encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG') && k !== 'A1_PG_URL'));
    const missing = spawnSync(process.execPath, [cli, 'status'], { encoding: 'utf8', env });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/neither A1_PG_URL nor PGHOST/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });
});
