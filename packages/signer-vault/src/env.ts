/**
 * Options from the environment variables Vault users already have: VAULT_ADDR, VAULT_TOKEN,
 * VAULT_TOKEN_FILE, VAULT_ROLE_ID / VAULT_SECRET_ID, VAULT_K8S_ROLE (+ VAULT_K8S_JWT_FILE,
 * VAULT_K8S_MOUNT), VAULT_JWT_ROLE + VAULT_JWT_FILE (+ VAULT_JWT_MOUNT), VAULT_NAMESPACE, VAULT_CACERT, plus A1_VAULT_KEY (a key name or
 * a `hashivault://` URI), A1_VAULT_MOUNT and A1_VAULT_KEY_VERSION. Pure: a VAULT_CACERT that is a
 * file path is returned as `caCertFile` for `fromEnv` to read.
 */
import { SignerError } from '@a1/core';
import { PROVIDER } from './errors.js';
import type { VaultTransitSignerOptions } from './options.js';
import { isKeyName, normalizePath, parseKeyVersion, parseVaultUri } from './uri.js';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface VaultEnvSettings {
  options: VaultTransitSignerOptions;
  /** VAULT_CACERT when it names a file rather than holding the PEM itself. */
  caCertFile?: string;
}

export function parseVaultEnv(env: Environment): VaultEnvSettings {
  const bad = (message: string) => new SignerError({ provider: PROVIDER, code: 'Misconfigured', retryable: false, message });
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };

  const endpoint = get('VAULT_ADDR');
  if (!endpoint) throw bad('VAULT_ADDR is not set');
  const keyText = get('A1_VAULT_KEY');
  if (!keyText) throw bad('A1_VAULT_KEY is not set (a transit key name or hashivault://KEY?mount=...&version=N)');
  const ref = keyText.startsWith('hashivault://') ? parseVaultUri(keyText) : { keyName: keyText };
  if (!isKeyName(ref.keyName)) throw bad('A1_VAULT_KEY must be a transit key name (letters, digits, "-", "_", ".")');

  const options: VaultTransitSignerOptions = { endpoint, keyName: ref.keyName };
  // A login method or an agent's token file is the more deliberate choice: a VAULT_TOKEN left in a
  // shell by `vault login` must not override it.
  const roleId = get('VAULT_ROLE_ID');
  const k8sRole = get('VAULT_K8S_ROLE');
  const jwtRole = get('VAULT_JWT_ROLE');
  const tokenFile = get('VAULT_TOKEN_FILE');
  const token = get('VAULT_TOKEN');
  if (roleId) {
    options.roleId = roleId;
    const secretId = get('VAULT_SECRET_ID');
    if (secretId) options.secretId = secretId;
  } else if (k8sRole) {
    const jwtFile = get('VAULT_K8S_JWT_FILE');
    const mountPath = get('VAULT_K8S_MOUNT');
    options.kubernetes = { role: k8sRole, ...(jwtFile ? { jwtFile } : {}), ...(mountPath ? { mountPath } : {}) };
  } else if (jwtRole) {
    const jwtFile = get('VAULT_JWT_FILE');
    if (!jwtFile) throw bad('VAULT_JWT_ROLE is set but VAULT_JWT_FILE (the file holding the JWT) is not');
    const mountPath = get('VAULT_JWT_MOUNT');
    options.jwt = { role: jwtRole, jwtFile, ...(mountPath ? { mountPath } : {}) };
  } else if (tokenFile) {
    options.tokenFile = tokenFile;
  } else if (token) {
    options.token = token;
  } else {
    throw bad(
      'set VAULT_TOKEN, VAULT_TOKEN_FILE (Vault Agent sink), VAULT_ROLE_ID and VAULT_SECRET_ID (AppRole), VAULT_K8S_ROLE (Kubernetes) or VAULT_JWT_ROLE and VAULT_JWT_FILE (JWT/OIDC)',
    );
  }

  const namespace = get('VAULT_NAMESPACE') ?? ref.namespace;
  if (namespace) options.namespace = normalizePath(namespace);
  const mount = get('A1_VAULT_MOUNT') ?? ref.mountPath;
  if (mount) options.mountPath = normalizePath(mount);
  const versionText = get('A1_VAULT_KEY_VERSION');
  if (versionText) {
    const version = parseKeyVersion(versionText);
    if (version === undefined) throw bad('A1_VAULT_KEY_VERSION must be a positive integer');
    options.keyVersion = version;
  } else if (ref.keyVersion !== undefined) {
    options.keyVersion = ref.keyVersion;
  }

  const caCert = get('VAULT_CACERT');
  if (caCert?.startsWith('-----BEGIN')) return { options: { ...options, caCert } };
  return caCert ? { options, caCertFile: caCert } : { options };
}
