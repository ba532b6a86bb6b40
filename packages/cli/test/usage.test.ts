// Help, usage errors and exit codes; the signer URI dispatch, including a provider package that
// is not installed; duration strings.
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../src/commands/registry.js';
import { parseDuration } from '../src/duration.js';
import { CliError } from '../src/cli-error.js';
import { baseEnv, hasStackTrace, json, PACKAGE_DIR, runA1, tempDir } from './helpers.js';

describe('help', () => {
  it('a1 --help lists every command with examples; no arguments is a usage error', async () => {
    const help = await runA1(['--help']);
    expect(help.code).toBe(0);
    for (const c of COMMANDS) expect(help.stdout).toContain(c.name);
    expect(help.stdout).toContain('Exit codes');
    const bare = await runA1([]);
    expect(bare.code).toBe(2);
  });

  it.concurrent.each(COMMANDS.map((c) => c.name))('a1 %s --help shows usage, options and examples', async (name) => {
    const result = await runA1([...name.split(' '), '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: a1 ${name}`);
    expect(result.stdout).toContain('--json');
    expect(result.stdout).toContain('Examples:');
  });

  it('a1 cert (a group) lists its commands', async () => {
    const result = await runA1(['cert', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('a1 cert issue');
    expect(result.stdout).toContain('a1 cert batch');
  });

  it('--version', async () => {
    const result = await runA1(['--version', '--json']);
    expect(json(result.stdout)).toEqual({ version: '0.0.0' });
  });
});

describe('usage errors: exit 2, one line, no stack trace', () => {
  const cases: Array<[string, string[], string]> = [
    ['unknown command', ['frobnicate'], 'unknown command "frobnicate"'],
    ['unknown subcommand', ['cert', 'frob'], 'unknown command "cert frob"'],
    ['unknown flag', ['verify', '--bogus'], 'unknown option --bogus'],
    ['a misspelt flag', ['cert', 'issue', '--outptu', 'x.json'], 'unknown option --outptu (did you mean --output?)'],
    ['a misspelt flag with =', ['verify', '--intnet=trade'], 'unknown option --intnet (did you mean --intent?)'],
    ['a flag without its value', ['verify', '--chain'], '--chain needs a value (FILE)'],
    ['a misspelt command', ['verfy'], 'unknown command "verfy" (did you mean a1 verify?)'],
    ['missing required flag', ['verify', '--agent', 'aa'], '--chain is required'],
    ['bad public key', ['verify', '--chain', 'x.json', '--agent', 'abcd', '--intent', 'x'], '--agent must be a 32-byte Ed25519 public key'],
    ['bad duration', ['passport', 'issue', '--signer', 'file:x', '--namespace', 'n', '--capabilities', 'a', '--ttl', '3 days', '-o', 'p.json'], '--ttl "3 days" is not a duration'],
    ['no capabilities', ['passport', 'issue', '--signer', 'file:x', '--namespace', 'n', '-o', 'p.json'], '--capabilities is required'],
    ['not a URI', ['pubkey', '--signer', 'root.key'], 'is not a URI'],
    ['unknown scheme', ['pubkey', '--signer', 'gpg:ABCD'], 'unknown signer scheme "gpg:"'],
    ['missing file argument', ['inspect'], 'needs a file argument'],
    ['awskms:// with two slashes', ['pubkey', '--signer', 'awskms://alias/a1-root'], '"alias" was read as a host name (awskms://HOST:PORT/KEY names a custom endpoint); did you mean awskms:///alias/a1-root (three slashes)?'],
    ['bad --at', ['verify', '--chain', 'c.json', '--agent', '8139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394', '--intent', 'x', '--at', 'noon'], '--at must be a unix time'],
    ['bad --param', ['verify', '--chain', 'c.json', '--agent', '8139770ea87d175f56a35466c34c7ecccb8d8a91b4ee37a25df60f5b8fc9b394', '--intent', 'x', '--param', 'novalue'], 'must be KEY=VALUE'],
  ];
  it.concurrent.each(cases)('%s', async (_what, args, message) => {
    const result = await runA1(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(hasStackTrace(result.stderr)).toBe(false);
    expect(result.stdout).toBe('');
    const asJson = await runA1([...args, '--json']);
    expect(json<{ error: { exit_code: number; message: string } }>(asJson.stderr).error.exit_code).toBe(2);
  });

  it('a provider misconfiguration is a usage error too (SignerError Misconfigured)', async () => {
    const result = await runA1(['pubkey', '--signer', 'hashivault://a1-root']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('a1: Misconfigured: vault-transit: VAULT_ADDR is not set');
    // The provider is said once (it used to be "Misconfigured from vault-transit: vault-transit: …").
    expect(result.stderr.split('vault-transit').length - 1).toBe(1);
  });
});

describe('signer URIs', () => {
  // Dispatch, install hints for local and global installs, seed files: packages/signer-uri/test.

  it('a seed pasted as a command or a stray argument is never echoed, in any spelling (exit 2, L1)', async () => {
    const seed = '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb';
    const bytes = Buffer.from(seed, 'hex');
    const spellings = [seed, `0x${seed}`, seed.match(/../g)!.join(':'), bytes.toString('base64'), bytes.toString('base64url')];
    for (const spelling of spellings) {
      for (const args of [[spelling], ['pubkey', spelling], ['pubkey', '--signer', 'file:./k.key', spelling], ['verify', '--chain', 'c.json', spelling]]) {
        const result = await runA1(args);
        expect(result.code).toBe(2);
        for (let i = 0; i + 8 <= spelling.length; i += 2) expect(result.stderr).not.toContain(spelling.slice(i, i + 8));
        expect(result.stderr).toContain('(not shown: it looks like key material)');
      }
    }
  }, 180_000); // 20 runs of the CLI, on a loaded machine

  it('a seed pasted where a file belongs is not echoed in the file error (exit 4, L1)', async () => {
    const seed = '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb';
    const spellings = [seed, seed.match(/../g)!.join(':'), Buffer.from(seed, 'hex').toString('base64url')];
    for (const args of spellings.map((s) => ['inspect', s]).concat([['verify', '--chain', spellings[1]!, '--agent', 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', '--intent', 'x', '--insecure-no-root']])) {
      const result = await runA1(args);
      expect(result.code, result.stderr).toBe(4);
      for (const s of spellings) for (let i = 0; i + 8 <= s.length; i += 4) expect(result.stderr).not.toContain(s.slice(i, i + 8));
      expect(result.stderr).toContain('cannot read the file (not shown: its name looks like key material): no such file or directory');
    }
  }, 120_000);

  it('a token pasted as a stray argument is not echoed either', async () => {
    const result = await runA1(['pubkey', 'hvs.CAESIJlWh3Ud6Kq0bGQx4DQ2S6Cz']);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toContain('CAESIJ');
    expect(result.stderr).toContain('(not shown: it looks like a token)');
  });

  it('an ordinary stray argument is named, to show what was wrong', async () => {
    const result = await runA1(['pubkey', 'extra.txt']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unexpected argument "extra.txt"');
  });

  it('a seed pasted as --signer HEX or file:HEX is never echoed, not even partly (exit 2 / 4)', async () => {
    const seed = '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb';
    for (const signer of [seed, `file:${seed}`]) {
      const result = await runA1(['pubkey', '--signer', signer]);
      expect([2, 4]).toContain(result.code);
      for (let i = 0; i + 8 <= seed.length; i += 2) expect(result.stderr).not.toContain(seed.slice(i, i + 8));
      expect(result.stderr).toMatch(/raw key|key material/);
    }
  });

  /** A node_modules with the built CLI, signer-uri (copied: it resolves the providers from where it is installed) and core. */
  function bareInstall(nodeModules: string): string {
    const cliDir = join(nodeModules, '@a1', 'cli');
    mkdirSync(join(nodeModules, '@a1'), { recursive: true });
    for (const part of ['bin', 'dist', 'package.json']) cpSync(join(PACKAGE_DIR, part), join(cliDir, part), { recursive: true });
    for (const part of ['dist', 'package.json']) cpSync(join(PACKAGE_DIR, '..', 'signer-uri', part), join(nodeModules, '@a1', 'signer-uri', part), { recursive: true });
    symlinkSync(join(PACKAGE_DIR, '..', 'core'), join(nodeModules, '@a1', 'core'), 'dir');
    return join(cliDir, 'bin', 'a1.js');
  }

  const PROVIDERS: Array<[string, string]> = [
    ['awskms:///alias/a1-root?region=us-east-1', '@a1/signer-aws'],
    ['gcpkms://projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1', '@a1/signer-gcp'],
    ['hashivault://a1-root', '@a1/signer-vault'],
    ['azurekms://acme.vault.azure.net/a1-root', '@a1/signer-azure'],
    ['pkcs11:token=a1;object=root?module-path=/x.so&pin-source=env:PIN', '@a1/signer-pkcs11'],
  ];

  describe('npm install -g @a1/cli (a global prefix): the hints say npm install -g', () => {
    const tmp = tempDir('a1-cli-global-');
    const prefix = join(tmp.dir, 'prefix');
    const bin = bareInstall(join(prefix, 'lib', 'node_modules'));
    const env = baseEnv({ npm_config_prefix: prefix });
    afterAll(() => tmp.remove());

    it.concurrent.each(PROVIDERS)('%s → "npm install -g %s", exit 2', async (uri, pkg) => {
      const result = await runA1(['pubkey', '--signer', uri], { bin, cwd: tmp.dir, env });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`npm install -g ${pkg}`);
    });

    it('a1 demo lists every package it needs and the global install command, exit 2 (issue 11 #4)', async () => {
      const result = await runA1(['demo'], { bin, cwd: tmp.dir, env });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('a1 demo needs @a1/emulators, @a1/signer-aws, @a1/signer-gcp, @a1/signer-vault, @a1/signer-azure, @a1/signer-pkcs11');
      expect(result.stderr).toContain('npm install -g @a1/emulators @a1/signer-aws @a1/signer-gcp @a1/signer-vault @a1/signer-azure @a1/signer-pkcs11');
      expect(result.stderr).not.toContain('bug in a1');
      expect(hasStackTrace(result.stderr)).toBe(false);
    });
  });

  describe('an install with @a1/cli, @a1/signer-uri and @a1/core only', () => {
    const tmp = tempDir('a1-cli-bare-');
    const bin = bareInstall(join(tmp.dir, 'node_modules'));
    afterAll(() => tmp.remove());

    it.concurrent.each(PROVIDERS)('%s → "npm install %s", exit 2', async (uri, pkg) => {
      const result = await runA1(['pubkey', '--signer', uri], { bin, cwd: tmp.dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`npm install ${pkg}`);
      expect(result.stderr).not.toContain('npm install -g');
      expect(hasStackTrace(result.stderr)).toBe(false);
      const asJson = await runA1(['pubkey', '--signer', uri, '--json'], { bin, cwd: tmp.dir });
      expect(json<{ error: { code: string } }>(asJson.stderr).error.code).toBe('ProviderMissing');
    });

    it('a1 demo lists the packages it needs, exit 2, no stack trace (issue 11 #4)', async () => {
      const result = await runA1(['demo'], { bin, cwd: tmp.dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('not installed: @a1/emulators, @a1/signer-aws');
      expect(result.stderr).toContain('npm install @a1/emulators @a1/signer-aws');
      expect(hasStackTrace(result.stderr)).toBe(false);
    });

    it('file: keys, passports, certs and verify work without any provider package', async () => {
      const run = (...args: string[]) => runA1(args, { bin, cwd: tmp.dir });
      expect((await run('keygen', '-o', 'root.key')).code).toBe(0);
      const agent = (await run('keygen', '-o', 'agent.key')).stdout.trim();
      expect((await run('passport', 'issue', '--signer', 'file:root.key', '--namespace', 'n', '--capabilities', 'a.b', '-o', 'p.json')).code).toBe(0);
      expect((await run('cert', 'issue', '--signer', 'file:root.key', '--passport', 'p.json', '--delegate', agent, '--capabilities', 'a.b', '-o', 'c.json')).code).toBe(0);
      const verified = await run('verify', '--chain', 'c.json', '--agent', agent, '--intent', 'a.b', '--passport', 'p.json');
      expect(verified.code, verified.stderr).toBe(0);
    });
  });
});

describe('durations', () => {
  it('parses 90s, 15m, 12h, 30d, 2w and plain seconds', () => {
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('12h')).toBe(43_200);
    expect(parseDuration('30d')).toBe(2_592_000);
    expect(parseDuration('2w')).toBe(1_209_600);
    expect(parseDuration('3600')).toBe(3600);
    for (const bad of ['', '0s', '-5m', '1.5h', '10y', 'h', '30 d']) expect(() => parseDuration(bad)).toThrow(CliError);
  });
});
