/** The signer URI grammar, for the --help of any tool that takes a signer URI. */
export const SIGNER_URI_HELP = `Signer URIs (only the named provider package is loaded):
  file:./root.key                                   a local seed file (a1 keygen)
  awskms:///alias/NAME?region=R                     AWS KMS (awskms://HOST:PORT/KEY for an endpoint)
  gcpkms://projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/N[?endpoint=URL]
  hashivault://KEY?mount=transit&version=N          Vault Transit (VAULT_ADDR, VAULT_TOKEN)
  azurekms://NAME.vault.azure.net/KEY[/VERSION]     Key Vault / Managed HSM (OKP Ed25519)
  pkcs11:token=T;object=O?module-path=/lib.so&pin-source=env:A1_PKCS11_PIN`;
