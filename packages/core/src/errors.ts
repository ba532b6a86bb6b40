/**
 * Errors. `A1Error.code` is the reference implementation's `A1Error` variant name, so a
 * TypeScript verifier and a Rust verifier name the same failure the same way.
 */

export type A1ErrorCode =
  | 'EmptyChain'
  | 'RootMismatch'
  | 'BrokenLinkage'
  | 'InvalidSignature'
  | 'NotYetValid'
  | 'Expired'
  | 'TemporalViolation'
  | 'MaxDepthExceeded'
  | 'InvalidSubScopeProof'
  | 'ScopeEscalation'
  | 'UnauthorizedLeaf'
  | 'ScopeViolation'
  | 'NonceReplay'
  | 'Revoked'
  | 'IntentNotFound'
  | 'EmptyTree'
  | 'WireFormatError'
  | 'UnsupportedVersion'
  | 'MacVerificationFailed'
  | 'PassportNarrowingViolation'
  | 'BatchItemFailed'
  | 'StorageFailure';

/** Named payload fields; which ones are set depends on the code (see `A1Error.details`). */
export interface A1ErrorDetails {
  /** Hop (cert position) the failure refers to, or the batch item index. */
  index?: number;
  issuedAt?: bigint;
  expiration?: bigint;
  parentExpiration?: bigint;
  /** The verifier's clock (not the drift-tolerated one), as the reference reports it. */
  now?: bigint;
  /** Depth limit for `MaxDepthExceeded`. */
  limit?: number;
  expected?: number;
  got?: number;
  /** What was wrong, for `WireFormatError`, `StorageFailure` and `BatchItemFailed`. */
  reason?: string;
}

interface CodeInfo {
  /** The reference's `error_code()` */
  errorCode: string;
  /** The reference's `http_status()` */
  httpStatus: number;
  /** The reference's Display text for this variant. */
  describe: (d: A1ErrorDetails) => string;
}

const CODES: Record<A1ErrorCode, CodeInfo> = {
  EmptyChain: { errorCode: 'AUTHORIZATION_FAILED', httpStatus: 400, describe: () => 'delegation chain is empty' },
  RootMismatch: {
    errorCode: 'AUTHORIZATION_FAILED',
    httpStatus: 403,
    describe: () => 'chain does not anchor to the declared principal',
  },
  BrokenLinkage: {
    errorCode: 'CHAIN_BROKEN_LINKAGE',
    httpStatus: 403,
    describe: (d) => `delegation linkage broken at hop ${d.index}`,
  },
  InvalidSignature: {
    errorCode: 'INVALID_SIGNATURE',
    httpStatus: 403,
    describe: (d) => `invalid signature at hop ${d.index}`,
  },
  NotYetValid: {
    errorCode: 'AUTHORIZATION_FAILED',
    httpStatus: 401,
    describe: (d) => `delegation at hop ${d.index} not yet valid (issued_at=${d.issuedAt}, now=${d.now})`,
  },
  Expired: {
    errorCode: 'CERT_EXPIRED',
    httpStatus: 401,
    describe: (d) => `delegation at hop ${d.index} has expired (expiry=${d.expiration}, now=${d.now})`,
  },
  TemporalViolation: {
    errorCode: 'AUTHORIZATION_FAILED',
    httpStatus: 403,
    describe: (d) =>
      `temporal violation at hop ${d.index}: child expiry ${d.expiration} exceeds parent expiry ${d.parentExpiration}`,
  },
  MaxDepthExceeded: {
    errorCode: 'CHAIN_DEPTH_EXCEEDED',
    httpStatus: 403,
    describe: (d) => `depth limit exceeded at hop ${d.index} (limit=${d.limit})`,
  },
  InvalidSubScopeProof: {
    errorCode: 'AUTHORIZATION_FAILED',
    httpStatus: 403,
    describe: () => 'sub-scope proof is structurally invalid',
  },
  ScopeEscalation: {
    errorCode: 'SCOPE_ESCALATION',
    httpStatus: 403,
    describe: (d) => `scope escalation at hop ${d.index}: delegated scope is not within the delegator's authorization`,
  },
  UnauthorizedLeaf: {
    errorCode: 'AUTHORIZATION_FAILED',
    httpStatus: 403,
    describe: () => 'executing agent is not the terminal delegate',
  },
  ScopeViolation: {
    errorCode: 'SCOPE_VIOLATION',
    httpStatus: 403,
    describe: () => 'execution intent is not within the terminal scope',
  },
  NonceReplay: { errorCode: 'NONCE_REPLAY', httpStatus: 401, describe: () => 'nonce has already been consumed' },
  Revoked: { errorCode: 'CERT_REVOKED', httpStatus: 401, describe: () => 'delegation certificate has been revoked' },
  IntentNotFound: {
    errorCode: 'AUTHORIZATION_FAILED',
    httpStatus: 403,
    describe: () => 'intent is not present in this tree',
  },
  EmptyTree: {
    errorCode: 'AUTHORIZATION_FAILED',
    httpStatus: 403,
    describe: () => 'intent tree requires at least one intent',
  },
  WireFormatError: {
    errorCode: 'AUTHORIZATION_FAILED',
    httpStatus: 400,
    describe: (d) => `wire format error: ${d.reason}`,
  },
  UnsupportedVersion: {
    errorCode: 'AUTHORIZATION_FAILED',
    httpStatus: 400,
    describe: (d) => `unsupported certificate version: expected ${d.expected}, got ${d.got}`,
  },
  MacVerificationFailed: {
    errorCode: 'MAC_VERIFICATION_FAILED',
    httpStatus: 401,
    describe: () => 'MAC verification failed',
  },
  PassportNarrowingViolation: {
    errorCode: 'PASSPORT_NARROWING_VIOLATION',
    httpStatus: 403,
    describe: () =>
      'passport capability narrowing violation: requested scope exceeds granted passport capabilities',
  },
  BatchItemFailed: {
    errorCode: 'BATCH_ITEM_FAILED',
    httpStatus: 403,
    describe: (d) => `batch authorization failed at index ${d.index}: ${d.reason}`,
  },
  StorageFailure: {
    errorCode: 'STORAGE_FAILURE',
    httpStatus: 503,
    describe: (d) => `storage failure: ${d.reason}`,
  },
};

export class A1Error extends Error {
  override readonly name = 'A1Error';
  readonly code: A1ErrorCode;
  readonly details: Readonly<A1ErrorDetails>;
  /** The reference's `error_code()` string, e.g. `CERT_EXPIRED`. */
  readonly errorCode: string;
  /** The reference's `http_status()`. */
  readonly httpStatus: number;
  /** True for failures a retry may cure (storage outages); authorization verdicts are final. */
  readonly transient: boolean;

  constructor(code: A1ErrorCode, details: A1ErrorDetails = {}, options?: { cause?: unknown }) {
    const info = CODES[code];
    super(info.describe(details), options);
    this.code = code;
    this.details = Object.freeze({ ...details });
    this.errorCode = info.errorCode;
    this.httpStatus = info.httpStatus;
    this.transient = code === 'StorageFailure';
  }

  get index(): number | undefined {
    return this.details.index;
  }
  get limit(): number | undefined {
    return this.details.limit;
  }
  get issuedAt(): bigint | undefined {
    return this.details.issuedAt;
  }
  get expiration(): bigint | undefined {
    return this.details.expiration;
  }
  get parentExpiration(): bigint | undefined {
    return this.details.parentExpiration;
  }
  get now(): bigint | undefined {
    return this.details.now;
  }
  /** Alias of `expiration`, matching the reference's Display text (`expiry=`). */
  get expiry(): bigint | undefined {
    return this.details.expiration;
  }
  get expected(): number | undefined {
    return this.details.expected;
  }
  get got(): number | undefined {
    return this.details.got;
  }
  get reason(): string | undefined {
    return this.details.reason;
  }

  /** Shorthand for the most common failure: malformed input, with what was wrong. */
  static wire(reason: string): A1Error {
    return new A1Error('WireFormatError', { reason });
  }
}

export function isA1Error(e: unknown, code?: A1ErrorCode): e is A1Error {
  return e instanceof A1Error && (code === undefined || e.code === code);
}
