/** Process exit codes of `a1`, one meaning each (documented in the README). */
export const EXIT = {
  ok: 0,
  /** The chain (or document) was checked and refused: an A1Error with its code. */
  refused: 1,
  /** Bad usage or configuration: unknown flag, bad URI, missing provider package. */
  usage: 2,
  /** The key backend failed: unreachable, access denied, throttled, wrong key type. */
  signer: 3,
  /** A file could not be read or written. */
  io: 4,
  /** `cert batch`: some requests failed (the others were issued). */
  partial: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
