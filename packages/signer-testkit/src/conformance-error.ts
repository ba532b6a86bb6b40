/**
 * What a failed conformance check throws. Its message says which check failed and what was
 * wrong, built from facts only (never from the signer's error text, which could hold a secret).
 */
export class ConformanceError extends Error {
  override readonly name = 'ConformanceError';
  /** The check that failed, e.g. `publicKey`, `fault "throttled"`. */
  readonly check: string;

  constructor(check: string, message: string, options?: { cause?: unknown }) {
    super(`${check}: ${message}`, options);
    this.check = check;
  }
}
