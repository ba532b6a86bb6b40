/** Constructor options of `VaultTransitSigner`. */
export interface VaultTransitSignerOptions {
  /** Vault address, e.g. `https://vault.example.com:8200` (`VAULT_ADDR`). */
  endpoint: string;
  /** Transit key name (`A1_VAULT_KEY`). */
  keyName: string;
  /** A Vault token (`VAULT_TOKEN`). Renewed before its TTL ends when renewable. Give one way to authenticate only. */
  token?: string;
  /** AppRole role id (`VAULT_ROLE_ID`): the signer logs in on first use and again when the token expires. */
  roleId?: string;
  /** AppRole secret id (`VAULT_SECRET_ID`); omit for roles with `bind_secret_id=false`. */
  secretId?: string;
  /** Where the AppRole auth method is mounted. Default `approle`. */
  appRoleMountPath?: string;
  /**
   * A file holding the token, as a Vault Agent sink writes it (`VAULT_TOKEN_FILE`). Read on first
   * use and again whenever the file changes or Vault refuses the token; the agent renews it.
   */
  tokenFile?: string;
  /** Kubernetes auth (`VAULT_K8S_ROLE`): logs in with the pod's service-account token. */
  kubernetes?: {
    role: string;
    /** Default `/var/run/secrets/kubernetes.io/serviceaccount/token` (`VAULT_K8S_JWT_FILE`). */
    jwtFile?: string;
    /** Default `kubernetes` (`VAULT_K8S_MOUNT`). */
    mountPath?: string;
  };
  /** JWT/OIDC auth (`VAULT_JWT_ROLE`, `VAULT_JWT_FILE`): logs in with the JWT in `jwtFile`, read at each login. */
  jwt?: {
    role: string;
    jwtFile: string;
    /** Default `jwt` (`VAULT_JWT_MOUNT`). */
    mountPath?: string;
  };
  /** Vault Enterprise / HCP namespace (`VAULT_NAMESPACE`), sent as `X-Vault-Namespace`. */
  namespace?: string;
  /** Transit mount path. Default `transit`. */
  mountPath?: string;
  /** PEM of the CA(s) to trust for Vault's TLS certificate (the contents, not a path). */
  caCert?: string | Uint8Array;
  /** Pin this key version instead of the latest at first use. */
  keyVersion?: number;
  /** Per-request timeout. Default 10 000 ms. */
  timeoutMs?: number;
  /**
   * Total time over which 429 / 5xx / network failures / timeouts are attempted again. Each wait is
   * Vault's Retry-After (when sent) plus full jitter; a wait that would end past the deadline is not
   * started, and the caller's AbortSignal ends any wait. Default 30 000 ms.
   */
  retryDeadlineMs?: number;
  /** Optional cap on the number of retries within the deadline. Default: no cap. */
  maxRetries?: number;
  /** First backoff ceiling in ms (doubles per retry, full jitter, capped at 2 s). Default 100. */
  retryBaseDelayMs?: number;
}
