/**
 * An AWS JSON 1.1 error answer. The SDK reads `__type` (and the status code) to pick the typed
 * exception class, so names and statuses follow the real KMS service.
 */

/**
 * HTTP status per error `__type`, from the KMS Smithy model (`smithy.api#httpError`, as shipped in
 * @aws-sdk/client-kms's error schemas: `Disabled 409`, `KMSInvalidStateException 409`, `NotFound 404`,
 * `DryRunOperation 412`, `KMSInternal 500`, `KeyUnavailable 500`, `DependencyTimeout 503`, …).
 * Errors the model does not list (ThrottlingException, AccessDeniedException, the SigV4 family) are
 * answered 400, as the service does ("Status Code: 400; Error Code: ThrottlingException" —
 * https://repost.aws/knowledge-center/kms-throttlingexception-error).
 */
const STATUS_BY_TYPE: Record<string, number> = {
  AlreadyExistsException: 409,
  ConflictException: 409,
  DisabledException: 409,
  KMSInvalidStateException: 409,
  NotFoundException: 404,
  DryRunOperationException: 412,
  KMSInternalException: 500,
  KeyUnavailableException: 500,
  DependencyTimeoutException: 503,
};

export class KmsServiceError extends Error {
  override readonly name = 'KmsServiceError';
  /** KMS answers client faults with 400 (409/404/412 where the model says so) and server faults with 5xx. */
  readonly status: number;

  constructor(
    /** The `__type` the SDK maps to an exception class, e.g. `NotFoundException`. */
    readonly type: string,
    message: string,
    status?: number,
  ) {
    super(message);
    this.status = status ?? STATUS_BY_TYPE[type] ?? 400;
  }

  body(): string {
    return JSON.stringify({ __type: this.type, message: this.message });
  }
}

/** The wording the real service uses for a request field that fails its model constraints. */
export function validationError(detail: string): KmsServiceError {
  return new KmsServiceError('ValidationException', `1 validation error detected: ${detail}`);
}
