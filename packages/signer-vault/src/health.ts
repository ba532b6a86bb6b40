/** What `health()` answers: never thrown for a backend fault, always this shape. */
export interface SignerHealth {
  ok: boolean;
  /** Time the probe took, in milliseconds. */
  latencyMs: number;
  keyId: string;
  /** What was checked, or the error code and what is wrong. */
  detail: string;
}
