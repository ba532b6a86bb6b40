/**
 * Where the Vault token comes from: a fixed token, or an AppRole login made on first use,
 * repeated shortly before the lease ends and whenever a request is refused with 403. Logins
 * are single-flight, so many requests failing on the same stale token cause one login.
 * Secrets live in #private fields: util.inspect and JSON.stringify never show them.
 */
import type nodeVault from 'node-vault';
import type { SignerError, SignerErrorCode } from '@a1/core';
import type { VaultOperation } from './errors.js';

export interface AppRoleCredentials {
  roleId: string;
  secretId: string | undefined;
  /** Auth mount path, `approle` by default. */
  mountPath: string;
}

export interface AuthFailures {
  classify(e: unknown, operation: VaultOperation, path: string): SignerError;
  error(code: SignerErrorCode, message: string): SignerError;
}

// Log in again this long before Vault's lease ends, so a request never starts on a dying token.
const RENEW_MARGIN_MS = 5_000;

export class VaultAuth {
  readonly #client: nodeVault.client;
  readonly #failures: AuthFailures;
  readonly #fixedToken: string | undefined;
  readonly #appRole: AppRoleCredentials | undefined;
  #token: string | undefined;
  #renewAt = 0;
  #login: Promise<string> | undefined;

  constructor(client: nodeVault.client, credentials: { token?: string; appRole?: AppRoleCredentials }, failures: AuthFailures) {
    this.#client = client;
    this.#failures = failures;
    this.#fixedToken = credentials.token;
    this.#appRole = credentials.appRole;
  }

  /** True when a 403 may be cured by logging in again. */
  get canLogInAgain(): boolean {
    return this.#appRole !== undefined;
  }

  /** The token to send now (logs in first when there is none or it is about to expire). */
  async token(): Promise<string> {
    if (this.#fixedToken) return this.#fixedToken;
    if (this.#token && Date.now() < this.#renewAt) return this.#token;
    return this.logInAgain(this.#token);
  }

  /** A token other than `stale`: the one another caller just obtained, or a fresh login. */
  logInAgain(stale: string | undefined): Promise<string> {
    if (this.#login) return this.#login;
    if (this.#token && this.#token !== stale && Date.now() < this.#renewAt) return Promise.resolve(this.#token);
    const login = this.#logIn();
    this.#login = login;
    const settle = () => {
      if (this.#login === login) this.#login = undefined;
    };
    login.then(settle, settle);
    return login;
  }

  /** Strings that must never appear in a message. */
  secrets(): string[] {
    return [this.#fixedToken, this.#token, this.#appRole?.secretId].filter((s): s is string => typeof s === 'string' && s.length > 0);
  }

  async #logIn(): Promise<string> {
    const role = this.#appRole;
    if (!role) throw this.#failures.error('Misconfigured', 'no AppRole credentials to log in with');
    const args: Record<string, unknown> = { role_id: role.roleId, mount_point: role.mountPath, requestOptions: { headers: {} } };
    if (role.secretId !== undefined) args.secret_id = role.secretId;
    let answer: { auth?: { client_token?: unknown; lease_duration?: unknown } };
    try {
      answer = await this.#client.approleLogin(args);
    } catch (e) {
      throw this.#failures.classify(e, 'login', `auth/${role.mountPath}/login`);
    } finally {
      // approleLogin stores the token on the shared client; requests send it per call instead.
      this.#client.token = undefined as unknown as string;
    }
    const token = answer?.auth?.client_token;
    if (typeof token !== 'string' || token === '') throw this.#failures.error('InvalidResponse', 'AppRole login answer has no auth.client_token');
    const leaseMs = typeof answer.auth?.lease_duration === 'number' ? answer.auth.lease_duration * 1000 : 0;
    this.#token = token;
    this.#renewAt = leaseMs > 0 ? Date.now() + Math.max(leaseMs - RENEW_MARGIN_MS, leaseMs / 2) : Number.POSITIVE_INFINITY;
    return token;
  }
}
