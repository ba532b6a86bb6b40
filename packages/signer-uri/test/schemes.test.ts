// Dispatch on the scheme, and what is said (never echoing the URI) when the text is not a signer URI.
import { describe, expect, it } from 'vitest';
import { providerPackageFor, signerFromUri, signerScheme, SignerUriError } from '../src/index.js';
import { refusal } from './refusal.js';

const SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';

describe('signer schemes', () => {
  it('dispatch on the scheme to exactly one provider package', () => {
    expect(providerPackageFor('file:./root.key')).toBeUndefined();
    expect(providerPackageFor('awskms:///alias/a1?region=eu-west-1')).toBe('@a1/signer-aws');
    expect(providerPackageFor('gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1')).toBe('@a1/signer-gcp');
    expect(providerPackageFor('hashivault://a1-root?mount=transit&version=2')).toBe('@a1/signer-vault');
    expect(providerPackageFor('azurekms://acme.vault.azure.net/a1-root')).toBe('@a1/signer-azure');
    expect(providerPackageFor('pkcs11:token=a1;object=root?module-path=/x.so&pin-source=env:PIN')).toBe('@a1/signer-pkcs11');
    expect(signerScheme('AWSKMS:///alias/a1')).toBe('awskms:');
  });

  it('an unknown scheme names the scheme and the known ones, and nothing after the colon', () => {
    const error = (() => {
      try {
        signerScheme('ssh-agent:secret-part');
      } catch (e) {
        return e as SignerUriError;
      }
    })();
    expect(error).toBeInstanceOf(SignerUriError);
    expect(error).toMatchObject({ code: 'UnknownScheme' });
    expect(error!.message).toContain('"ssh-agent:"');
    expect(error!.message).not.toContain('secret-part');
    expect(error!.hint).toContain('awskms:');
  });

  it('a raw seed pasted as the signer is refused without echoing any of it', async () => {
    for (const text of [SEED, `0x${SEED}`, SEED.slice(0, 40)]) {
      const error = await refusal(signerFromUri(text));
      expect(error).toBeInstanceOf(SignerUriError);
      expect(error).toMatchObject({ code: 'NotAUri' });
      expect(error.message).toContain('raw key');
      for (let i = 0; i + 8 <= SEED.length; i += 4) {
        expect(`${error.message} ${error.hint}`).not.toContain(SEED.slice(i, i + 8));
      }
    }
  });

  it('a relative path without file: is not a URI, with the fix', () => {
    expect(() => signerScheme('root.key')).toThrow(/not a URI/);
  });
});
