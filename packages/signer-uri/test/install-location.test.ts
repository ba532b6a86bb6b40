// Which install command helps depends on where the package lives: a global install resolves
// peers from the global node_modules, so only `npm install -g` helps there.
import { describe, expect, it } from 'vitest';
import { installCommand, installLocation, type InstallFacts } from '../src/index.js';

const unix = (modulePath: string, env: NodeJS.ProcessEnv = {}, execPath = '/usr/local/bin/node'): InstallFacts => ({ modulePath, env, execPath, platform: 'linux' });

describe('installLocation', () => {
  it.each<[string, InstallFacts, string]>([
    ['npm -g, default prefix next to the node binary', unix('/usr/local/lib/node_modules/@a1/cli/node_modules/@a1/signer-uri/dist/index.js'), 'npm-global'],
    ['npm -g, configured prefix', unix('/home/u/.npm-global/lib/node_modules/@a1/signer-uri/dist/index.js', { npm_config_prefix: '/home/u/.npm-global' }), 'npm-global'],
    ['npm -g under nvm', unix('/home/u/.nvm/versions/node/v22.12.0/lib/node_modules/@a1/cli/node_modules/@a1/signer-uri/dist/index.js', {}, '/home/u/.nvm/versions/node/v22.12.0/bin/node'), 'npm-global'],
    ['pnpm add -g', unix('/home/u/.local/share/pnpm/global/5/node_modules/.pnpm/@a1+signer-uri@0.1.0/node_modules/@a1/signer-uri/dist/index.js'), 'pnpm-global'],
    ['yarn global add', unix('/home/u/.config/yarn/global/node_modules/@a1/signer-uri/dist/index.js'), 'yarn-global'],
    ['npx', unix('/home/u/.npm/_npx/6a1b2c/node_modules/@a1/signer-uri/dist/index.js'), 'npx'],
    ['a project', unix('/srv/app/node_modules/@a1/signer-uri/dist/index.js'), 'local'],
    ['a project whose path merely contains lib/node_modules', unix('/srv/lib/node_modules/@a1/signer-uri/dist/index.js'), 'local'],
    ['a checkout', unix('/work/main/packages/signer-uri/dist/index.js'), 'local'],
  ])('%s', (_what, facts, expected) => {
    expect(installLocation(facts)).toBe(expected);
  });

  it('names the command for each location', () => {
    expect(installCommand('@a1/signer-aws', 'npm-global')).toBe('npm install -g @a1/signer-aws');
    expect(installCommand('@a1/signer-aws', 'local')).toBe('npm install @a1/signer-aws');
    expect(installCommand('@a1/signer-aws', 'pnpm-global')).toBe('pnpm add -g @a1/signer-aws');
    expect(installCommand('@a1/signer-aws', 'yarn-global')).toBe('yarn global add @a1/signer-aws');
    expect(installCommand('@a1/signer-aws', 'npx')).toContain('npx -p @a1/cli -p @a1/signer-aws');
    expect(installCommand(['@a1/emulators', '@a1/signer-aws'], 'npm-global')).toBe('npm install -g @a1/emulators @a1/signer-aws');
  });
});
