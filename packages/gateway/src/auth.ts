/**
 * Who is calling: the admin secret (`Authorization: Bearer <A1_ADMIN_SECRET>`, exactly as upstream
 * §1.3, every role) or a named API key (its roles). Compared in constant time; the presented value
 * is never logged or echoed.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from './contract.js';
import type { ApiKeyRing } from './api-keys.js';

export interface Identity {
  /** `admin` for the admin secret, else the API key's name. */
  name: string;
  /** Rate-limit and idempotency partition: `admin` or `key:<id>`. */
  id: string;
  roles: ReadonlySet<Role>;
  rateLimitRps?: number;
}

const ALL_ROLES: ReadonlySet<Role> = new Set<Role>(['issue', 'revoke', 'admin']);
const BEARER = 'Bearer ';

const sha256 = (text: string) => createHash('sha256').update(text).digest();

export class Authenticator {
  readonly #adminDigest: Buffer | undefined;
  readonly #keys: ApiKeyRing | undefined;

  constructor(adminSecret: string | undefined, keys: ApiKeyRing | undefined) {
    this.#adminDigest = adminSecret ? sha256(adminSecret) : undefined;
    this.#keys = keys && keys.size > 0 ? keys : undefined;
  }

  /** Whether any credential is configured at all. */
  get configured(): boolean {
    return this.#adminDigest !== undefined || this.#keys !== undefined;
  }

  /**
   * The identity an `Authorization` header proves, or undefined. Like upstream: the scheme is
   * `Bearer` with a capital B and one space, nothing trimmed.
   */
  async identify(authorization: string | undefined): Promise<Identity | undefined> {
    if (authorization === undefined || !authorization.startsWith(BEARER)) return undefined;
    const presented = authorization.slice(BEARER.length);
    if (this.#adminDigest && timingSafeEqual(sha256(presented), this.#adminDigest)) {
      return { name: 'admin', id: 'admin', roles: ALL_ROLES };
    }
    const record = await this.#keys?.verify(presented);
    if (!record) return undefined;
    const roles = new Set<Role>(record.roles.includes('admin') ? ALL_ROLES : record.roles);
    return { name: record.name, id: `key:${record.id}`, roles, ...(record.rateLimitRps ? { rateLimitRps: record.rateLimitRps } : {}) };
  }

  toJSON(): { configured: boolean } {
    return { configured: this.configured };
  }
}
