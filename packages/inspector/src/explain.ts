/** A1 errors in plain words: what was found, and what to do about it. */
import { A1Error } from '@a1/core';
import { isoTime } from './time-text.js';

const when = (unix: bigint | undefined): string => (unix === undefined ? 'an unknown time' : isoTime(unix));
const hop = (index: number | undefined): string => (index === undefined ? 'A hop' : `Hop ${index}`);

export function explain(error: unknown): string {
  if (!(error instanceof A1Error)) return `Unexpected problem: ${error instanceof Error ? error.message : String(error)}`;
  const d = error.details;
  switch (error.code) {
    case 'EmptyChain':
      return 'The chain has no certs, so it grants nothing. Ask for the chain that ends at the agent.';
    case 'RootMismatch':
      return `The chain does not start at the root key you pinned${d.reason ? ` (${d.reason})` : ''}. It was issued by someone else: do not trust it for this root.`;
    case 'BrokenLinkage':
      return `${hop(d.index)} is signed by a key that is not the previous hop’s delegate: the chain was spliced together from different chains.`;
    case 'InvalidSignature':
      return `${hop(d.index)}’s signature does not verify: the cert was changed after it was signed, or signed by another key. Treat the chain as forged.`;
    case 'NotYetValid':
      return `${hop(d.index)} is not valid yet: it starts at ${when(d.issuedAt)}, and the check time is ${when(d.now)} (15 s tolerance). Check the clocks, or wait.`;
    case 'Expired':
      return `${hop(d.index)} expired at ${when(d.expiration)}; the check time is ${when(d.now)} (15 s tolerance). Ask its issuer for a fresh cert.`;
    case 'TemporalViolation':
      return `${hop(d.index)} is set to outlive its delegator’s cert (${when(d.expiration)} after ${when(d.parentExpiration)}): a delegate can never hold authority longer than whoever gave it.`;
    case 'MaxDepthExceeded':
      return `${hop(d.index)} goes deeper than an earlier hop allows (at most ${d.limit} hops): that delegator said its authority may not be passed on this far.`;
    case 'ScopeEscalation':
      return `${hop(d.index)} claims capabilities its delegator never had: its scope is not a part of the delegator’s scope.`;
    case 'InvalidSubScopeProof':
      return 'A hop’s list of capabilities and its proofs do not match: the cert is malformed.';
    case 'UnauthorizedLeaf':
      return 'The key presenting the chain is not the holder at its end.';
    case 'ScopeViolation':
      return 'The chain is valid, but this intent is not among the capabilities the holder at the end was given.';
    case 'PassportNarrowingViolation':
      return 'The passport does not list this action among its capabilities.';
    case 'NonceReplay':
      return 'A cert’s one-time nonce is used twice: the chain is a replay.';
    case 'Revoked':
      return 'A cert in the chain has been revoked by its issuer.';
    case 'UnsupportedVersion':
      return `A cert has format version ${d.got}; this verifier reads version ${d.expected}.`;
    case 'WireFormatError':
      return `This is not a passport, chain or cert this page can read: ${d.reason ?? error.message}.`;
    default:
      return `${error.code}: ${error.message}`;
  }
}
