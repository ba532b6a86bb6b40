/**
 * KMS grants, as far as a signer needs them: CreateGrant gives a principal some operations on one
 * key. Grants are eventually consistent: "it can take up to five minutes for a new grant to be
 * available throughout KMS", while the grant token works at once
 * (https://docs.aws.amazon.com/kms/latest/developerguide/grant-tokens.html). The emulator makes a
 * grant usable after `propagationMs`, or at once for a request that carries its token.
 */
import { randomBytes } from 'node:crypto';

export interface AwsKmsGrant {
  grantId: string;
  grantToken: string;
  keyId: string;
  granteePrincipal: string;
  /** KMS operation names (`Sign`, `GetPublicKey`, `DescribeKey`, …). */
  operations: string[];
  usableAt: number;
}

export class GrantBook {
  private readonly grants: AwsKmsGrant[] = [];

  constructor(private readonly propagationMs: () => number) {}

  create(keyId: string, granteePrincipal: string, operations: string[]): AwsKmsGrant {
    const grant: AwsKmsGrant = {
      grantId: randomBytes(32).toString('hex'),
      // Opaque and long, like the service's; a credential: never logged by the emulator.
      grantToken: randomBytes(96).toString('base64url'),
      keyId,
      granteePrincipal,
      operations: [...operations],
      usableAt: Date.now() + this.propagationMs(),
    };
    this.grants.push(grant);
    return grant;
  }

  /** Whether a grant lets `principal` call `operation` on `keyId` now (or with one of `tokens`). */
  allows(keyId: string, principal: string, operation: string, tokens: readonly string[]): boolean {
    const now = Date.now();
    return this.grants.some(
      (g) =>
        g.keyId === keyId &&
        g.granteePrincipal === principal &&
        g.operations.includes(operation) &&
        (g.usableAt <= now || tokens.includes(g.grantToken)),
    );
  }

  isKnownToken(token: string): boolean {
    return this.grants.some((g) => g.grantToken === token);
  }
}
