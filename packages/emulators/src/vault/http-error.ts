/**
 * Vault answers every failure with `{"errors":[...]}` and an HTTP status; handlers throw
 * `VaultHttpError` and the server turns it into exactly that body.
 */
export class VaultHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errors: string[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors.join('; ') || `HTTP ${status}`);
  }
}

export const permissionDenied = (): VaultHttpError => new VaultHttpError(403, ['permission denied']);
/** What Vault 1.15+ says for an unknown, revoked or expired token. */
export const invalidToken = (): VaultHttpError => new VaultHttpError(403, ['permission denied', 'invalid token']);
export const badRequest = (message: string): VaultHttpError => new VaultHttpError(400, [message]);
export const routeNotFound = (path: string): VaultHttpError =>
  new VaultHttpError(404, [`no handler for route "${path}". route entry not found.`]);
