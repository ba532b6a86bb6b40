/**
 * Where the Vault token comes from, and how it stays alive (Vault API docs: /auth/token,
 * /auth/approle, /auth/kubernetes, /auth/jwt):
 * - a fixed token: looked up once (`auth/token/lookup-self`); when renewable, renewed with
 *   `auth/token/renew-self` before its TTL ends;
 * - a token file (a Vault Agent sink): read on first use and read again whenever the file
 *   changes, or when Vault refuses the token (the agent may have just written a new one);
 * - a login (AppRole role id + secret id, Kubernetes role + service-account token file, JWT/OIDC
 *   role + JWT file): made on first use; shortly before the lease ends the token is renewed when
 *   renewable (a login would spend one of a secret id's `secret_id_num_uses`), and a new login is
 *   made when renewal fails or no longer extends it (max TTL), and whenever a request is refused
 *   with 403. JWT files are read at each login (projected tokens rotate).
 * Logins and renewals are single-flight, so many requests on one stale token cause one login.
 * Secrets live in #private fields: util.inspect and JSON.stringify never show them.
 */
import { stat } from 'node:fs/promises';
import type nodeVault from 'node-vault';
import type { SignerError, SignerErrorCode } from '@a1/core';
import type { LoginMethod, VaultOperation } from './errors.js';
import { readSecretFile } from './secret-file.js';

export interface AppRoleCredentials {
  roleId: string;
  secretId: string | undefined;
  /** Auth mount path, `approle` by default. */
  mountPath: string;
}

/** Kubernetes or JWT/OIDC: a role and a file holding the JWT to present. */
export interface JwtCredentials {
  role: string;
  jwtFile: string;
  mountPath: string;
}

export type VaultCredentials =
  | { token: string }
  | { tokenFile: string }
  | { appRole: AppRoleCredentials }
  | { kubernetes: JwtCredentials }
  | { jwt: JwtCredentials };

export interface AuthFailures {
  classify(e: unknown, operation: VaultOperation, path: string, method?: LoginMethod): SignerError;
  error(code: SignerErrorCode, message: string): SignerError;
}

// Log in (or renew) this long before Vault's lease ends, so a request never starts on a dying token.
const RENEW_MARGIN_MS = 5_000;

/** When to act on a lease of `leaseMs` obtained now: well before it ends, never later than halfway for short ones. */
function renewalTime(leaseMs: number): number {
  return leaseMs > 0 ? Date.now() + Math.max(leaseMs - RENEW_MARGIN_MS, leaseMs / 2) : Number.POSITIVE_INFINITY;
}

export class VaultAuth {
  readonly #client: nodeVault.client;
  readonly #failures: AuthFailures;
  readonly #credentials: VaultCredentials;
  #token: string | undefined;
  /** When the current token should be renewed (fixed token) or replaced (login). */
  #renewAt = 0;
  /** Fixed token: whether lookup-self has told us its TTL yet. */
  #lookedUp = false;
  #renewable = false;
  /** Token file: what the file looked like when last read. */
  #fileStamp = '';
  /** The last JWT read from a file, so it can be redacted. */
  #jwt: string | undefined;
  #refresh: Promise<string> | undefined;

  constructor(client: nodeVault.client, credentials: VaultCredentials, failures: AuthFailures) {
    this.#client = client;
    this.#failures = failures;
    this.#credentials = credentials;
    if ('token' in credentials) this.#token = credentials.token;
  }

  /** True when a 403 may be cured by getting the token again (a login, or a token file re-read). */
  get canLogInAgain(): boolean {
    return !('token' in this.#credentials);
  }

  /** The token to send now: logs in, re-reads the file, or renews first when due. */
  async token(): Promise<string> {
    const creds = this.#credentials;
    if ('tokenFile' in creds) return this.#tokenFromFile(false);
    if ('token' in creds) {
      if (!this.#lookedUp || (this.#renewable && Date.now() >= this.#renewAt)) await this.#singleFlight(() => this.#keepFixedTokenAlive());
      return creds.token;
    }
    if (this.#token && Date.now() < this.#renewAt) return this.#token;
    if (this.#token && this.#renewable) return this.#singleFlight(() => this.#renewOrLogIn());
    return this.logInAgain(this.#token);
  }

  /** A token other than `stale`: the one another caller just obtained, or a fresh one. */
  logInAgain(stale: string | undefined): Promise<string> {
    if (this.#refresh) return this.#refresh;
    if ('tokenFile' in this.#credentials) return this.#tokenFromFile(true);
    if (this.#token && this.#token !== stale && Date.now() < this.#renewAt) return Promise.resolve(this.#token);
    return this.#singleFlight(() => this.#logIn());
  }

  /** Strings that must never appear in a message. */
  secrets(): string[] {
    const creds = this.#credentials;
    return [
      this.#token,
      'token' in creds ? creds.token : undefined,
      'appRole' in creds ? creds.appRole.secretId : undefined,
      this.#jwt,
    ].filter((s): s is string => typeof s === 'string' && s.length > 0);
  }

  #singleFlight(work: () => Promise<string>): Promise<string> {
    if (this.#refresh) return this.#refresh;
    const running = work();
    this.#refresh = running;
    const settle = () => {
      if (this.#refresh === running) this.#refresh = undefined;
    };
    running.then(settle, settle);
    return running;
  }

  /**
   * Fixed token: the first use asks lookup-self for the TTL; a renewable token is renewed before
   * it ends. A failed lookup or renewal is not fatal here: the request itself then says whether
   * the token still works (and a dead token is AccessDenied there).
   */
  async #keepFixedTokenAlive(): Promise<string> {
    const token = (this.#credentials as { token: string }).token;
    const headers = { 'X-Vault-Token': token };
    try {
      if (!this.#lookedUp) {
        const looked = (await this.#client.read('auth/token/lookup-self', { headers })) as { data?: { ttl?: unknown; renewable?: unknown } };
        this.#lookedUp = true;
        const ttl = typeof looked?.data?.ttl === 'number' ? looked.data.ttl : 0;
        this.#renewable = looked?.data?.renewable === true && ttl > 0;
        this.#renewAt = renewalTime(ttl * 1000);
      } else {
        const renewed = (await this.#client.write('auth/token/renew-self', {}, { headers })) as { auth?: { lease_duration?: unknown } };
        const lease = typeof renewed?.auth?.lease_duration === 'number' ? renewed.auth.lease_duration : 0;
        this.#renewAt = renewalTime(lease * 1000);
      }
    } catch {
      this.#lookedUp = true;
      // Try again later rather than on every request.
      this.#renewAt = Date.now() + RENEW_MARGIN_MS;
    }
    return token;
  }

  /** A logged-in token near its end: renewed when Vault still extends it, else replaced by a new login. */
  async #renewOrLogIn(): Promise<string> {
    const token = this.#token!;
    try {
      const renewed = (await this.#client.write('auth/token/renew-self', {}, { headers: { 'X-Vault-Token': token } })) as {
        auth?: { lease_duration?: unknown; renewable?: unknown };
      };
      const leaseSeconds = typeof renewed?.auth?.lease_duration === 'number' ? renewed.auth.lease_duration : 0;
      // At its max TTL a renewal grants (almost) nothing more: log in instead.
      if (leaseSeconds * 1000 > 2 * RENEW_MARGIN_MS) {
        this.#renewable = renewed.auth?.renewable === true;
        this.#renewAt = renewalTime(leaseSeconds * 1000);
        return token;
      }
    } catch {
      // Renewal refused or failed: a fresh login below.
    }
    return this.#logIn();
  }

  /**
   * The token in the sink file; read again when the file changed (or `force`). A cheap stat per
   * call sees the change; the read itself goes through readSecretFile (regular file, size cap).
   */
  async #tokenFromFile(force: boolean): Promise<string> {
    const path = (this.#credentials as { tokenFile: string }).tokenFile;
    let stamp: string;
    try {
      const info = await stat(path);
      stamp = `${info.ino}:${info.size}:${info.mtimeMs}`;
    } catch (e) {
      throw this.#failures.error('Misconfigured', `the Vault token file cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'}); is the Vault Agent sink written?`);
    }
    if (force || stamp !== this.#fileStamp || !this.#token) {
      const read = await readSecretFile(path);
      if ('problem' in read) throw this.#failures.error('Misconfigured', `the Vault token file ${read.problem}`);
      const token = read.text.trim();
      if (token === '') throw this.#failures.error('Misconfigured', 'the Vault token file is empty');
      this.#token = token;
      this.#fileStamp = read.stamp;
    }
    return this.#token;
  }

  /** The JWT to present, read again at each login (projected tokens rotate); its path is not shown. */
  async #readJwt(credentials: JwtCredentials, method: LoginMethod): Promise<string> {
    const read = await readSecretFile(credentials.jwtFile);
    if ('problem' in read) throw this.#failures.error('Misconfigured', `the ${method} JWT file ${read.problem}`);
    const jwt = read.text.trim();
    if (jwt === '') throw this.#failures.error('Misconfigured', `the ${method} JWT file is empty`);
    this.#jwt = jwt;
    return jwt;
  }

  async #logIn(): Promise<string> {
    const creds = this.#credentials;
    let method: LoginMethod;
    let mountPath: string;
    let body: Record<string, unknown>;
    if ('appRole' in creds) {
      method = 'approle';
      mountPath = creds.appRole.mountPath;
      body = { role_id: creds.appRole.roleId, ...(creds.appRole.secretId !== undefined ? { secret_id: creds.appRole.secretId } : {}) };
    } else if ('kubernetes' in creds) {
      method = 'kubernetes';
      mountPath = creds.kubernetes.mountPath;
      body = { role: creds.kubernetes.role, jwt: await this.#readJwt(creds.kubernetes, method) };
    } else if ('jwt' in creds) {
      method = 'jwt';
      mountPath = creds.jwt.mountPath;
      body = { role: creds.jwt.role, jwt: await this.#readJwt(creds.jwt, method) };
    } else {
      throw this.#failures.error('Misconfigured', 'no login credentials');
    }
    const path = `auth/${mountPath}/login`;
    let answer: { auth?: { client_token?: unknown; lease_duration?: unknown; renewable?: unknown } };
    try {
      // No token on a login: the shared client holds none, and the headers here add none.
      answer = (await this.#client.write(path, body, { headers: {} })) as typeof answer;
    } catch (e) {
      throw this.#failures.classify(e, 'login', path, method);
    }
    const token = answer?.auth?.client_token;
    if (typeof token !== 'string' || token === '') throw this.#failures.error('InvalidResponse', `${method} login answer has no auth.client_token`);
    const leaseSeconds = typeof answer.auth?.lease_duration === 'number' ? answer.auth.lease_duration : 0;
    this.#token = token;
    this.#renewable = answer.auth?.renewable === true;
    this.#renewAt = renewalTime(leaseSeconds * 1000);
    return token;
  }
}
