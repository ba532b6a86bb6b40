// The check groups every runtime reports, in order: core's vector test files (run unchanged) and
// the matrix's own checks. One vitest test per runtime and group joins the repo-wide summary.
export const CHECK_GROUPS = [
  'vectors-certs',
  'vectors-chains',
  'vectors-passport',
  'vectors-primitives',
  'vectors-token',
  'ed25519-crafted',
  'passport-round-trip',
];
