/**
 * Tokens and AppRole logins. Tokens belong to the namespace they were issued in and reach
 * that namespace and its children, like Vault's; a TTL makes expiry testable.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { badRequest, invalidToken, permissionDenied } from './http-error.js';

export interface TokenInfo {
  namespace: string;
  /** Epoch ms; undefined = never expires (root token). */
  expiresAt: number | undefined;
  policies: string[];
}

export interface AppRole {
  roleId: string;
  secretId: string;
  namespace: string;
  /** Auth mount path, `approle` unless set. */
  mount: string;
  /** TTL of the tokens this role's logins issue. */
  tokenTtlSeconds: number;
}

export interface AppRoleOptions {
  roleId?: string;
  secretId?: string;
  namespace?: string;
  mount?: string;
  tokenTtlSeconds?: number;
}

export class TokenStore {
  private readonly tokens = new Map<string, TokenInfo>();
  private readonly roles: AppRole[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  /** Issues a token; `ttlSeconds` 0 or absent means it never expires. */
  create(options: { namespace?: string; ttlSeconds?: number; policies?: string[]; token?: string } = {}): string {
    const token = options.token ?? `hvs.${randomBytes(18).toString('base64url')}`;
    const ttl = options.ttlSeconds ?? 0;
    this.tokens.set(token, {
      namespace: normalizeNamespace(options.namespace),
      expiresAt: ttl > 0 ? this.now() + ttl * 1000 : undefined,
      policies: options.policies ?? ['default'],
    });
    return token;
  }

  /** Throws Vault's 403 unless `token` is live and may act in `namespace`. */
  check(token: string | undefined, namespace: string): TokenInfo {
    if (!token) throw permissionDenied();
    const info = this.tokens.get(token);
    if (!info) throw invalidToken();
    if (info.expiresAt !== undefined && info.expiresAt <= this.now()) {
      this.tokens.delete(token);
      throw invalidToken();
    }
    const ns = normalizeNamespace(namespace);
    if (info.namespace !== '' && ns !== info.namespace && !ns.startsWith(`${info.namespace}/`)) throw permissionDenied();
    return info;
  }

  revoke(token: string): void {
    this.tokens.delete(token);
  }

  /** Expires every token with a TTL now (root-like tokens without TTL stay). */
  expireAll(): void {
    for (const [token, info] of this.tokens) if (info.expiresAt !== undefined) this.tokens.delete(token);
  }

  addAppRole(options: AppRoleOptions = {}): AppRole {
    const role: AppRole = {
      roleId: options.roleId ?? randomUUID(),
      secretId: options.secretId ?? randomUUID(),
      namespace: normalizeNamespace(options.namespace),
      mount: options.mount ?? 'approle',
      tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    };
    this.roles.push(role);
    return role;
  }

  get appRoles(): readonly AppRole[] {
    return this.roles;
  }

  /** `POST /v1/auth/<mount>/login`: Vault answers 400 for unknown role or wrong secret. */
  login(namespace: string, mount: string, roleId: unknown, secretId: unknown): Record<string, unknown> {
    if (typeof roleId !== 'string' || roleId === '') throw badRequest('missing role_id');
    const ns = normalizeNamespace(namespace);
    const role = this.roles.find((r) => r.roleId === roleId && r.namespace === ns && r.mount === mount);
    if (!role || secretId !== role.secretId) throw badRequest('invalid role or secret ID');
    const clientToken = this.create({ namespace: ns, ttlSeconds: role.tokenTtlSeconds, policies: ['default', 'a1-signer'] });
    return {
      client_token: clientToken,
      accessor: randomBytes(12).toString('base64url'),
      policies: ['default', 'a1-signer'],
      token_policies: ['default', 'a1-signer'],
      metadata: { role_name: role.roleId },
      lease_duration: role.tokenTtlSeconds,
      renewable: true,
      entity_id: randomUUID(),
      token_type: 'service',
      orphan: true,
    };
  }
}

export function normalizeNamespace(namespace: string | undefined): string {
  return (namespace ?? '').replace(/^\/+|\/+$/g, '');
}
