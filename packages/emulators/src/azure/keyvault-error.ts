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

export const forbidden = (operation: string): KeyVaultError =>
  new KeyVaultError(
    403,
    'Forbidden',
    `Caller is not authorized to perform action on resource. Action: 'Microsoft.KeyVault/vaults/keys/${operation}/action'`,
    {},
    'ForbiddenByRbac',
  );

export const keyDisabled = (): KeyVaultError =>
  new KeyVaultError(403, 'Forbidden', 'Operation is not allowed on a disabled key.', {}, 'KeyDisabled');

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
