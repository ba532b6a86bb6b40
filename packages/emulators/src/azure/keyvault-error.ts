/**
 * Key Vault answers every failure with `{"error":{"code":"…","message":"…"}}` and an HTTP status;
 * handlers throw `KeyVaultError` and the server writes exactly that body.
 */
export class KeyVaultError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly innerCode?: string,
  ) {
    super(message);
  }

  body(): { error: Record<string, unknown> } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.innerCode ? { innererror: { code: this.innerCode } } : {}),
      },
    };
  }
}

export const keyNotFound = (name: string, version: string): KeyVaultError =>
  new KeyVaultError(
    404,
    'KeyNotFound',
    version
      ? `A key with (name/id) ${name}/${version} was not found in this key vault.`
      : `A key with (name/id) ${name} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command.`,
  );

export const badParameter = (message: string): KeyVaultError => new KeyVaultError(400, 'BadParameter', message);

/** The RBAC data actions Key Vault names in its denials (Azure built-in roles reference). */
const RBAC_ACTIONS: Record<string, string> = {
  get: 'Microsoft.KeyVault/vaults/keys/read',
  sign: 'Microsoft.KeyVault/vaults/keys/sign/action',
  create: 'Microsoft.KeyVault/vaults/keys/create/action',
  update: 'Microsoft.KeyVault/vaults/keys/write',
};

/** A denial under the Azure RBAC permission model. */
export const forbidden = (operation: string): KeyVaultError =>
  new KeyVaultError(
    403,
    'Forbidden',
    `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nAction: '${RBAC_ACTIONS[operation] ?? operation}'`,
    {},
    'ForbiddenByRbac',
  );

/** A denial under the vault access policy model (the text Key Vault logs and answers). */
export const forbiddenByPolicy = (operation: string, vaultName: string): KeyVaultError =>
  new KeyVaultError(
    403,
    'Forbidden',
    `The user, group or application 'appid=a1-emulator-client;oid=00000000-0000-0000-0000-0000000000a1' does not have keys ${operation} permission on key vault '${vaultName};location=emulator'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
    {},
    'ForbiddenByPolicy',
  );

/** The vault's network rules refuse the caller's address, whatever its token may do. */
export const forbiddenByFirewall = (clientAddress: string): KeyVaultError =>
  new KeyVaultError(
    403,
    'Forbidden',
    `Client address is not authorized and caller is not a trusted service.\r\nClient address: ${clientAddress}`,
    {},
    'ForbiddenByFirewall',
  );

/** Sign (like decrypt and unwrapKey) on a disabled key: 403 with inner code KeyDisabled. */
export const keyDisabled = (operation = 'sign'): KeyVaultError =>
  new KeyVaultError(403, 'Forbidden', `Operation ${operation} is not allowed on a disabled key.`, {}, 'KeyDisabled');

/** Sign outside the key's nbf/exp window (the service enforces both for sign, encrypt, wrapKey). */
export const keyExpired = (operation = 'sign'): KeyVaultError =>
  new KeyVaultError(403, 'Forbidden', `Operation ${operation} is not allowed on an expired key.`, {}, 'KeyExpired');

export const keyNotYetValid = (operation = 'sign'): KeyVaultError =>
  new KeyVaultError(403, 'Forbidden', `Operation ${operation} is not allowed on a key that is not yet valid.`, {}, 'KeyNotYetValid');

export const throttled = (retryAfterSeconds: number): KeyVaultError =>
  new KeyVaultError(
    429,
    'Throttled',
    'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
    { 'Retry-After': String(retryAfterSeconds) },
  );

export const serviceUnavailable = (): KeyVaultError =>
  new KeyVaultError(503, 'ServiceUnavailable', 'The service is temporarily unavailable. Please retry later.');

export const routeNotFound = (method: string, path: string): KeyVaultError =>
  new KeyVaultError(404, 'NotFound', `No route for ${method} ${path}.`);

/**
 * OKP keys and EdDSA exist only in the 7.4-preview.1 key model (see api-versions.ts): under any
 * other api-version the service does not know the key type or the algorithm. The status and
 * code follow the service's answer to a parameter outside the version's enums (400 BadParameter);
 * the wording is the emulator's and names the version that would work.
 */
export const okpNotInApiVersion = (apiVersion: string, what = 'key type OKP (curve Ed25519)'): KeyVaultError =>
  badParameter(`The ${what} is not supported in api-version ${apiVersion}; only api-version 7.4-preview.1 (Managed HSM preview) defines it.`);
