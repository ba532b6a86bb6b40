import { describe, expect, it } from 'vitest';
import { parseVaultUri } from '../src/uri.js';

// Issue 12 §6: a mistaken `?token=hvs…` was printed back with the whole URI.
describe('parseVaultUri never echoes the URI', () => {
  const token = 'hvs.CAESIJ9secretTokenValue42';
  it.each([
    [`hashivault://a1-root?token=${token}`, /parameter "token" does not belong in the key URI.*VAULT_TOKEN/],
    [`hashivault://a1-root?${token}`, /bad Vault key URI: an unknown parameter \(not shown: it may hold a secret; known: mount, version, namespace\)$/],
    [`hashivault://a1-root?version=${token}`, /version must be a positive integer/],
    [`hashivault://${token}/x`, /expected hashivault/],
    [`vault://${token}`, /expected hashivault/],
  ])('%s: names the wrong part only', (uri, why) => {
    let message = '';
    try {
      parseVaultUri(uri);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(why);
    expect(message).not.toContain('secretToken');
    expect(message).not.toContain('hvs.');
  });
});
