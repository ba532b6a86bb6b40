import { SignerError } from '@a1/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseVaultUri } from '../src/uri.js';

describe('parseVaultUri', () => {
  it('reads the key, mount, version and namespace', () => {
    expect(parseVaultUri('hashivault://a1-root')).toEqual({ keyName: 'a1-root' });
    expect(parseVaultUri('hashivault://a1-root?mount=transit&version=3')).toEqual({ keyName: 'a1-root', mountPath: 'transit', keyVersion: 3 });
    expect(parseVaultUri('hashivault://k?mount=%2Fsecret%2Fsigning%2F&namespace=team-a/sub')).toEqual({
      keyName: 'k',
      mountPath: 'secret/signing',
      namespace: 'team-a/sub',
    });
    expect(parseVaultUri('hashivault://k/')).toEqual({ keyName: 'k' });
  });

  it.each([
    ['vault://k', /expected hashivault/],
    ['hashivault://', /expected hashivault/],
    ['hashivault://k/extra', /expected hashivault/],
    ['hashivault://k?version=0', /positive integer/],
    ['hashivault://k?version=1.5', /positive integer/],
    ['hashivault://k?version=-2', /positive integer/],
    ['hashivault://k?mount=', /mount must not be empty/],
    ['hashivault://k?colour=red', /an unknown parameter \(not shown/],
    ['hashivault://k?version=1&version=2', /given twice/],
    ['hashivault://a%2Fb', /key name/],
    ['hashivault://%E0%A4%A', /key name/],
  ])('refuses %s with a Misconfigured SignerError', (uri, why) => {
    let caught: unknown;
    try {
      parseVaultUri(uri);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SignerError);
    expect((caught as SignerError).code).toBe('Misconfigured');
    expect((caught as SignerError).message).toMatch(why);
  });

  it('round-trips any valid key name, mount and version', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,30}$/),
        fc.stringMatching(/^[a-z0-9-]{1,10}(\/[a-z0-9-]{1,10}){0,2}$/),
        fc.integer({ min: 1, max: 1_000_000 }),
        (keyName, mount, version) => {
          const uri = `hashivault://${encodeURIComponent(keyName)}?mount=${encodeURIComponent(mount)}&version=${version}`;
          expect(parseVaultUri(uri)).toEqual({ keyName, mountPath: mount, keyVersion: version });
        },
      ),
    );
  });

  it('never throws anything but a SignerError', () => {
    fc.assert(
      fc.property(fc.string(), (tail) => {
        try {
          parseVaultUri(`hashivault://${tail}`);
        } catch (e) {
          expect(e).toBeInstanceOf(SignerError);
        }
      }),
    );
  });
});
