/**
 * An AWS JSON 1.1 error answer. The SDK reads `__type` (and the status code) to pick the typed
 * exception class, so names and statuses follow the real KMS service.
 */
export class KmsServiceError extends Error {
  override readonly name = 'KmsServiceError';

  constructor(
    /** The `__type` the SDK maps to an exception class, e.g. `NotFoundException`. */
    readonly type: string,
    message: string,
    /** KMS answers client faults with 400 and server faults with 500. */
    readonly status = 400,
  ) {
    super(message);
  }

  body(): string {
    return JSON.stringify({ __type: this.type, message: this.message });
  }
}

/** The wording the real service uses for a request field that fails its model constraints. */
export function validationError(detail: string): KmsServiceError {
  return new KmsServiceError('ValidationException', `1 validation error detected: ${detail}`);
}
