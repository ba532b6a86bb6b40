/**
 * Which one way of authenticating the options give: a token, a token file, AppRole, Kubernetes
 * or JWT/OIDC. Exactly one, so a forgotten VAULT_TOKEN can never silently win over a login. Pure.
 */
import type { SignerError } from '@a1/core';
import type { VaultTransitSignerOptions } from './options.js';
import { normalizePath } from './uri.js';
import type { VaultCredentials } from './vault-auth.js';

/** Where Kubernetes mounts the pod's service-account token. */
export const KUBERNETES_SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

export function credentialsFrom(options: VaultTransitSignerOptions, bad: (message: string) => SignerError): VaultCredentials {
  const given = [
    options.token && 'token',
    options.tokenFile && 'tokenFile',
    options.roleId && 'roleId',
    options.kubernetes && 'kubernetes',
    options.jwt && 'jwt',
  ].filter((x): x is string => typeof x === 'string');
  if (given.length === 0) throw bad('a way to authenticate is required: token, tokenFile, roleId (AppRole), kubernetes or jwt');
  if (given.length > 1) throw bad(`give one way to authenticate, not ${given.join(' and ')}`);
  if (options.token) return { token: options.token };
  if (options.tokenFile) return { tokenFile: options.tokenFile };
  if (options.roleId) {
    return { appRole: { roleId: options.roleId, secretId: options.secretId || undefined, mountPath: normalizePath(options.appRoleMountPath ?? 'approle') } };
  }
  if (options.kubernetes) {
    if (!options.kubernetes.role) throw bad('kubernetes.role is required');
    return {
      kubernetes: {
        role: options.kubernetes.role,
        jwtFile: options.kubernetes.jwtFile ?? KUBERNETES_SA_TOKEN,
        mountPath: normalizePath(options.kubernetes.mountPath ?? 'kubernetes'),
      },
    };
  }
  const jwt = options.jwt!;
  if (!jwt.role || !jwt.jwtFile) throw bad('jwt.role and jwt.jwtFile are required');
  return { jwt: { role: jwt.role, jwtFile: jwt.jwtFile, mountPath: normalizePath(jwt.mountPath ?? 'jwt') } };
}
