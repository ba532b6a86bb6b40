/**
 * Who may call what, the way Cloud KMS answers a caller it will not serve:
 * - IAM: a resource the credential may not use answers PERMISSION_DENIED "Permission '<perm>'
 *   denied on resource '<name>' (or it may not exist)." — the same answer whether or not the
 *   resource exists, so a caller without access cannot probe for names (Google's standard
 *   wording, e.g. https://cloud.google.com/kms/docs/troubleshooting).
 * - An API not enabled in the project answers PERMISSION_DENIED with ErrorInfo reason
 *   SERVICE_DISABLED ("Cloud Key Management Service (KMS) API has not been used in project … before
 *   or it is disabled.", google/api/error_reason.proto).
 */
import * as grpc from '@grpc/grpc-js';
import { richStatusError } from './status-details.js';

/** The IAM permission each RPC needs (Cloud KMS permissions reference). */
export const PERMISSION_OF: Record<string, string> = {
  AsymmetricSign: 'cloudkms.cryptoKeyVersions.useToSign',
  GetPublicKey: 'cloudkms.cryptoKeyVersions.viewPublicKey',
  GetCryptoKeyVersion: 'cloudkms.cryptoKeyVersions.get',
  UpdateCryptoKeyVersion: 'cloudkms.cryptoKeyVersions.update',
  DestroyCryptoKeyVersion: 'cloudkms.cryptoKeyVersions.destroy',
  RestoreCryptoKeyVersion: 'cloudkms.cryptoKeyVersions.restore',
  CreateCryptoKey: 'cloudkms.cryptoKeys.create',
  CreateKeyRing: 'cloudkms.keyRings.create',
};

export class AccessPolicy {
  /** Resource-name prefixes the credential may use; everything when undefined. */
  private allowed: string[] | undefined;
  private readonly disabledProjects = new Set<string>();

  /** Limits the credential to resources under these names (a key ring, a key, a version); `undefined` lifts it. */
  allowOnly(prefixes: string[] | undefined): void {
    this.allowed = prefixes === undefined ? undefined : [...prefixes];
  }

  /** Marks the Cloud KMS API as not enabled in `project` (or enabled again). */
  setApiEnabled(project: string, enabled: boolean): void {
    if (enabled) this.disabledProjects.delete(project);
    else this.disabledProjects.add(project);
  }

  clear(): void {
    this.allowed = undefined;
    this.disabledProjects.clear();
  }

  /** The error a call on `resource` gets before the resource is even looked up, if any. */
  check(operation: string, resource: string): grpc.ServiceError | undefined {
    const project = /^projects\/([^/]+)/.exec(resource)?.[1];
    if (project !== undefined && this.disabledProjects.has(project)) {
      const message =
        `Cloud Key Management Service (KMS) API has not been used in project ${project} before or it is disabled. ` +
        `Enable it by visiting https://console.developers.google.com/apis/api/cloudkms.googleapis.com/overview?project=${project} then retry.`;
      return richStatusError(grpc.status.PERMISSION_DENIED, message, [
        {
          type: 'ErrorInfo',
          reason: 'SERVICE_DISABLED',
          domain: 'googleapis.com',
          metadata: { consumer: `projects/${project}`, service: 'cloudkms.googleapis.com' },
        },
      ]);
    }
    if (this.allowed === undefined || this.allowed.some((prefix) => resource === prefix || resource.startsWith(`${prefix}/`))) {
      return undefined;
    }
    const permission = PERMISSION_OF[operation] ?? 'cloudkms.cryptoKeyVersions.get';
    const message = `Permission '${permission}' denied on resource '${resource}' (or it may not exist).`;
    return richStatusError(grpc.status.PERMISSION_DENIED, message, [
      { type: 'ErrorInfo', reason: 'IAM_PERMISSION_DENIED', domain: 'iam.googleapis.com', metadata: { permission, resource } },
    ]);
  }
}
