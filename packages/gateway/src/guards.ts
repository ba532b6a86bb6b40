/**
 * Per-route access rules, run as `onRequest` hooks so an unauthenticated request is refused
 * before its body is read (§1.2): the route's role, the per-key rate limit.
 */
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { TEXT, type Role } from './contract.js';
import { ContractError } from './errors.js';
import { TokenBuckets } from './rate-limit.js';

/** What a route requires: a role, any valid credential, or nothing. */
export type Access = { role: Role } | 'any-credential' | 'public';

export interface AccessOptions {
  /** With no credential configured at all, let role-guarded routes through (upstream's open mode). */
  openWhenUnconfigured?: boolean;
}

export function guard(access: Access, options: AccessOptions = {}): onRequestHookHandler {
  return async function checkAccess(this: unknown, request: FastifyRequest, _reply: FastifyReply) {
    if (access === 'public') return;
    const { auth, authFailureLimiter, keyLimiters } = request.server.gateway;
    if (!auth.configured && options.openWhenUnconfigured) return;
    const header = request.headers.authorization;
    const identity = await auth.identify(header);
    if (!identity) {
      if (header !== undefined && !authFailureLimiter.take(request.clientIp)) throw ContractError.of(429, TEXT.rateLimited);
      throw ContractError.of(401, TEXT.adminUnauthorized);
    }
    if (typeof access === 'object' && !identity.roles.has(access.role)) throw ContractError.of(403, TEXT.forbiddenRole);
    if (identity.rateLimitRps) {
      let limiter = keyLimiters.get(identity.id);
      if (!limiter) keyLimiters.set(identity.id, (limiter = new TokenBuckets(identity.rateLimitRps)));
      if (!limiter.take(identity.id)) throw ContractError.of(429, TEXT.rateLimited);
    }
    request.identity = identity;
  };
}
