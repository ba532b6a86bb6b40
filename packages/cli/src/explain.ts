/** What each verifier refusal means, in words a person on call understands. */
import type { A1Error, A1ErrorCode } from '@a1/core';
import { isoTime } from './time-text.js';

const when = (unix: bigint | undefined) => (unix === undefined ? '?' : isoTime(unix));

/**
 * RootMismatch has several causes, told apart by the reason the verifier gave: a principal that is
 * not a pinned key (trust-anchor.ts), a chain under another passport's key or scope, or tagged
 * with another tenant's namespace (core's checkPassportChain), or — no reason — a first hop not
 * signed by the principal the chain names (core's authorize). test/verify-trust.test.ts drives
 * each through the CLI, so a reworded reason fails there instead of being explained wrongly.
 */
function explainRootMismatch(e: A1Error): string {
  const reason = e.details.reason ?? '';
  if (reason.includes('pinned root')) {
    return "The chain's principal key is not one of the roots you pinned (--root/--roots): it was issued under another key.";
  }
  if (reason.includes('no passport namespace')) {
    return "The chain's first hop names no tenant (namespace), so nothing shows it was issued for this passport's tenant.";
  }
  if (reason.includes('namespace')) {
    return "The chain belongs to another tenant: its namespace is not the passport's, even though the root key may be the same.";
  }
  if (reason.includes("anchored at this passport's key and scope")) {
    return "The chain was not issued under this passport: its principal key or capability scope is another passport's.";
  }
  if (reason !== '') return 'The chain does not anchor to the trusted root.';
  return "The first certificate was not signed by the principal key the chain names as its root: the chain is malformed or spliced at its first hop.";
}

const EXPLANATIONS: Record<A1ErrorCode, (e: A1Error) => string> = {
  EmptyChain: () => 'The chain holds no certificates, so it grants nothing.',
  RootMismatch: (e) => explainRootMismatch(e),
  BrokenLinkage: (e) => `Hop ${e.details.index} was signed by someone other than the delegate of the hop before it: the chain is spliced.`,
  InvalidSignature: (e) => `The signature of hop ${e.details.index} does not match its contents: the certificate was altered after signing, or forged.`,
  NotYetValid: (e) => `Hop ${e.details.index} is not valid yet: issued at ${when(e.details.issuedAt)}, the verifier's clock says ${when(e.details.now)}. Check the clocks, or wait.`,
  Expired: (e) => `Hop ${e.details.index} expired at ${when(e.details.expiration)}; the verifier's clock says ${when(e.details.now)}. Issue a fresh certificate.`,
  TemporalViolation: (e) => `Hop ${e.details.index} outlives the hop that delegated it; a delegate cannot hold authority longer than its delegator.`,
  MaxDepthExceeded: (e) => `The chain is deeper than an earlier hop allows (limit ${e.details.limit} at hop ${e.details.index}).`,
  InvalidSubScopeProof: () => "A hop's sub-scope proof is malformed, so its narrowing cannot be checked.",
  ScopeEscalation: (e) => `Hop ${e.details.index} claims capabilities its delegator did not hold: scope escalation.`,
  UnauthorizedLeaf: () => 'The agent presenting the chain is not its final delegate: the chain was issued to someone else.',
  ScopeViolation: () => "The intent is not among the capabilities delegated to this agent (or its parameters differ).",
  NonceReplay: () => 'A certificate nonce was already used: the chain is being replayed (or repeats a nonce).',
  Revoked: () => 'A certificate in the chain has been revoked.',
  IntentNotFound: () => 'The intent is not in the capability tree.',
  EmptyTree: () => 'The capability tree is empty.',
  WireFormatError: (e) => `The file is not a valid A1 document: ${e.details.reason ?? e.message}.`,
  UnsupportedVersion: () => 'The document uses a format version this verifier does not support.',
  MacVerificationFailed: () => 'A verified token failed its MAC check: it was altered or made with another key.',
  PassportNarrowingViolation: () => "The action is outside the passport's capability mask: the passport never granted it.",
  BatchItemFailed: (e) => `A batch item failed: ${e.details.reason ?? e.message}.`,
  StorageFailure: (e) => `A nonce or revocation store failed, so the verifier refused (fail closed): ${e.details.reason ?? ''}.`,
};

export function explainA1Error(error: A1Error): string {
  return EXPLANATIONS[error.code]?.(error) ?? error.message;
}
