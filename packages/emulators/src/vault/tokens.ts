/**
 * Tokens and the login methods workloads use to get them: AppRole, Kubernetes and JWT/OIDC.
 * Tokens belong to the namespace they were issued in and reach that namespace and its children,
 * like Vault's. They expire for real (against the emulator's clock) and renew like Vault's:
 * `auth/token/renew-self` extends a renewable token by its TTL (or the increment asked for), never
 * past its max TTL; `auth/token/lookup-self` reports the remaining TTL. References (Vault API docs):
 * /auth/token (lookup-self, renew-self), /auth/approle (secret_id_ttl, secret_id_num_uses),
 * /auth/kubernetes (login: role, jwt), /auth/jwt (login: role, jwt).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { VaultHttpError, badRequest, invalidToken, permissionDenied } from './http-error.js';

export interface TokenInfo {
  namespace: string;
  /** Epoch ms; undefined = never expires (root token). */
  expiresAt: number | undefined;
  /** The TTL a renewal without increment grants, in seconds (0 for non-expiring tokens). */
  ttlSeconds: number;
  /** Latest possible expiry (epoch ms), whatever the renewals; undefined = no max. */
  maxExpiresAt: number | undefined;
  renewable: boolean;
  policies: string[];
}

export interface TokenOptions {
  namespace?: string;
  /** 0 or absent: never expires. */
  ttlSeconds?: number;
  /** Renewals never extend past creation + this. 0 or absent: no max. */
  explicitMaxTtlSeconds?: number;
  /** Default true for tokens with a TTL (Vault's service tokens are renewable). */
  renewable?: boolean;
  policies?: string[];
  token?: string;
}

export interface AppRole {
  roleId: string;
  secretId: string;
  namespace: string;
  /** Auth mount path, `approle` unless set. */
  mount: string;
  /** TTL of the tokens this role's logins issue. */
  tokenTtlSeconds: number;
  /** The secret id stops working this long after it was issued; 0 = never. */
  secretIdTtlSeconds: number;
  /** Logins the secret id allows; 0 = unlimited. */
  secretIdNumUses: number;
}

export interface AppRoleOptions {
  roleId?: string;
  secretId?: string;
  namespace?: string;
  mount?: string;
  tokenTtlSeconds?: number;
  secretIdTtlSeconds?: number;
  secretIdNumUses?: number;
}

/** A Kubernetes or JWT/OIDC auth role: which bearer JWTs may log in as it. */
export interface JwtRoleOptions {
  role: string;
  /** The JWTs the role accepts (the service-account token, or the OIDC provider's JWT). */
  jwts: string[];
  namespace?: string;
  /** Default `kubernetes` / `jwt`. */
  mount?: string;
  tokenTtlSeconds?: number;
}

interface JwtRole extends Required<Omit<JwtRoleOptions, 'namespace'>> {
  method: 'kubernetes' | 'jwt';
  namespace: string;
}

interface SecretIdState {
  issuedAt: number;
  uses: number;
}

export class TokenStore {
  private readonly tokens = new Map<string, TokenInfo>();
  private readonly roles: AppRole[] = [];
  private readonly secretIds = new Map<AppRole, SecretIdState>();
  private readonly jwtRoles: JwtRole[] = [];

  // Read the clock at each call, so a test that moves Date moves token expiry with it.
  constructor(private readonly now: () => number = () => Date.now()) {}

  /** Issues a token; `ttlSeconds` 0 or absent means it never expires. */
  create(options: TokenOptions = {}): string {
    const token = options.token ?? `hvs.${randomBytes(18).toString('base64url')}`;
    const ttl = options.ttlSeconds ?? 0;
    const maxTtl = options.explicitMaxTtlSeconds ?? 0;
    const now = this.now();
    this.tokens.set(token, {
      namespace: normalizeNamespace(options.namespace),
      expiresAt: ttl > 0 ? now + ttl * 1000 : undefined,
      ttlSeconds: ttl,
      maxExpiresAt: maxTtl > 0 ? now + maxTtl * 1000 : undefined,
      renewable: options.renewable ?? ttl > 0,
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

  /** `GET auth/token/lookup-self`: the token's remaining TTL and whether it renews. */
  lookupSelf(token: string, info: TokenInfo): Record<string, unknown> {
    const ttl = info.expiresAt === undefined ? 0 : Math.max(0, Math.floor((info.expiresAt - this.now()) / 1000));
    return {
      accessor: token.slice(-6),
      creation_ttl: info.ttlSeconds,
      expire_time: info.expiresAt === undefined ? null : new Date(info.expiresAt).toISOString(),
      explicit_max_ttl: info.maxExpiresAt === undefined ? 0 : info.ttlSeconds,
      namespace_path: info.namespace ? `${info.namespace}/` : '',
      policies: info.policies,
      renewable: info.renewable,
      ttl,
      type: 'service',
    };
  }

  /** `POST auth/token/renew-self`: Vault answers 400 for a token that cannot be renewed. */
  renewSelf(token: string, info: TokenInfo, increment: unknown): Record<string, unknown> {
    if (!info.renewable || info.expiresAt === undefined) throw badRequest('lease is not renewable');
    const asked = typeof increment === 'number' ? increment : typeof increment === 'string' && /^\d+s?$/.test(increment) ? parseInt(increment, 10) : 0;
    const seconds = asked > 0 ? asked : info.ttlSeconds;
    const wanted = this.now() + seconds * 1000;
    info.expiresAt = info.maxExpiresAt === undefined ? wanted : Math.min(wanted, info.maxExpiresAt);
    return this.authBlock(token, info, {});
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
      secretIdTtlSeconds: options.secretIdTtlSeconds ?? 0,
      secretIdNumUses: options.secretIdNumUses ?? 0,
    };
    this.roles.push(role);
    this.secretIds.set(role, { issuedAt: this.now(), uses: 0 });
    return role;
  }

  get appRoles(): readonly AppRole[] {
    return this.roles;
  }

  addJwtRole(method: 'kubernetes' | 'jwt', options: JwtRoleOptions): void {
    this.jwtRoles.push({
      method,
      role: options.role,
      jwts: [...options.jwts],
      namespace: normalizeNamespace(options.namespace),
      mount: options.mount ?? method,
      tokenTtlSeconds: options.tokenTtlSeconds ?? 3600,
    });
  }

  /** Which login method is mounted at `mount` in `namespace`, if any. */
  methodAt(namespace: string, mount: string): 'approle' | 'kubernetes' | 'jwt' | undefined {
    const ns = normalizeNamespace(namespace);
    const jwtRole = this.jwtRoles.find((r) => r.namespace === ns && r.mount === mount);
    if (jwtRole) return jwtRole.method;
    if (this.roles.some((r) => r.namespace === ns && r.mount === mount) || mount === 'approle') return 'approle';
    return undefined;
  }

  /** `POST /v1/auth/<mount>/login` for any method: routes on what is mounted there. */
  login(namespace: string, mount: string, body: Record<string, unknown>): Record<string, unknown> {
    const method = this.methodAt(namespace, mount);
    if (method === 'kubernetes' || method === 'jwt') return this.jwtLogin(method, namespace, mount, body.role, body.jwt);
    return this.appRoleLogin(namespace, mount, body.role_id, body.secret_id);
  }

  /**
   * AppRole: Vault answers 400 for an unknown role, a wrong secret id, and a secret id that has
   * expired (secret_id_ttl) or used up its logins (secret_id_num_uses) — the same text for all.
   */
  private appRoleLogin(namespace: string, mount: string, roleId: unknown, secretId: unknown): Record<string, unknown> {
    if (typeof roleId !== 'string' || roleId === '') throw badRequest('missing role_id');
    const ns = normalizeNamespace(namespace);
    const role = this.roles.find((r) => r.roleId === roleId && r.namespace === ns && r.mount === mount);
    if (!role || secretId !== role.secretId) throw badRequest('invalid role or secret ID');
    const state = this.secretIds.get(role)!;
    const expired = role.secretIdTtlSeconds > 0 && this.now() >= state.issuedAt + role.secretIdTtlSeconds * 1000;
    const usedUp = role.secretIdNumUses > 0 && state.uses >= role.secretIdNumUses;
    if (expired || usedUp) throw badRequest('invalid role or secret ID');
    state.uses += 1;
    const clientToken = this.create({ namespace: ns, ttlSeconds: role.tokenTtlSeconds, policies: ['default', 'a1-signer'] });
    return this.authBlock(clientToken, this.tokens.get(clientToken)!, { role_name: role.roleId });
  }

  /**
   * Kubernetes and JWT/OIDC: an unknown role is 400; a JWT the role does not accept is 403
   * permission denied for Kubernetes (the TokenReview fails) and 400 for JWT.
   */
  private jwtLogin(method: 'kubernetes' | 'jwt', namespace: string, mount: string, roleName: unknown, jwt: unknown): Record<string, unknown> {
    if (typeof roleName !== 'string' || roleName === '') throw badRequest('missing role');
    if (typeof jwt !== 'string' || jwt === '') throw badRequest(method === 'kubernetes' ? 'missing jwt' : 'missing token');
    const ns = normalizeNamespace(namespace);
    const role = this.jwtRoles.find((r) => r.method === method && r.namespace === ns && r.mount === mount && r.role === roleName);
    if (!role) throw badRequest(method === 'kubernetes' ? `invalid role name "${roleName}"` : `role "${roleName}" could not be found`);
    if (!role.jwts.includes(jwt)) {
      throw method === 'kubernetes' ? permissionDenied() : new VaultHttpError(400, ['error validating token: invalid signature']);
    }
    const clientToken = this.create({ namespace: ns, ttlSeconds: role.tokenTtlSeconds, policies: ['default', 'a1-signer'] });
    return this.authBlock(clientToken, this.tokens.get(clientToken)!, { role: role.role });
  }

  private authBlock(clientToken: string, info: TokenInfo, metadata: Record<string, string>): Record<string, unknown> {
    // The TTL just granted, in whole seconds as Vault reports it. Rounded, not floored: the clock has
    // moved a millisecond since the grant on a loaded machine, and a 60 s token must not read 59.
    const leaseSeconds = info.expiresAt === undefined ? 0 : Math.max(0, Math.round((info.expiresAt - this.now()) / 1000));
    return {
      client_token: clientToken,
      accessor: randomBytes(12).toString('base64url'),
      policies: info.policies,
      token_policies: info.policies,
      metadata,
      lease_duration: leaseSeconds,
      renewable: info.renewable,
      entity_id: randomUUID(),
      token_type: 'service',
      orphan: true,
    };
  }
}

export function normalizeNamespace(namespace: string | undefined): string {
  return (namespace ?? '').replace(/^\/+|\/+$/g, '');
}
