/** `a1 inspect FILE`: what a passport, chain or cert says, in people's terms, with warnings. */
import {
  certFingerprint,
  chainFingerprint,
  equalBytes,
  intentHash,
  toHex,
  type Passport,
  verifyCertSignature,
  type DelegationCert,
  type ExtValue,
  type SignedChain,
} from '@a1/core';
import type { CommandRun } from '../command-spec.js';
import { readDocument, readPassportFile } from '../documents.js';
import { describeSeconds } from '../duration.js';
import { hopLeaves, leafNames } from '../hop-scope.js';
import { optionalString, parseUnixTime } from '../inputs.js';
import { isoTime, relativeTime, unixNow } from '../time-text.js';

const SOON_SECONDS = 3600n;

function extValue(value: ExtValue): unknown {
  return value.type === 'U64' ? value.value : value.value;
}

function certView(cert: DelegationCert, now: bigint, capabilities: string[] | undefined, label: string) {
  const warnings: string[] = [];
  if (!verifyCertSignature(cert)) warnings.push(`${label}: the signature does not verify (altered or forged)`);
  if (cert.version !== 1) warnings.push(`${label}: unsupported cert version ${cert.version}`);
  if (cert.expirationUnix < now) warnings.push(`${label}: expired ${relativeTime(cert.expirationUnix, now)}`);
  else if (cert.expirationUnix - now <= SOON_SECONDS) warnings.push(`${label}: expires ${relativeTime(cert.expirationUnix, now)}`);
  if (cert.issuedAt > now) warnings.push(`${label}: not valid yet (starts ${relativeTime(cert.issuedAt, now)})`);
  if (cert.expirationUnix <= cert.issuedAt) warnings.push(`${label}: expires before it is issued`);
  const extensions = Object.fromEntries(cert.extensions.entries().map(([k, v]) => [k, extValue(v)]));
  return {
    view: {
      delegator_pk: toHex(cert.delegatorPk),
      delegate_pk: toHex(cert.delegatePk),
      self_signed: equalBytes(cert.delegatorPk, cert.delegatePk),
      capabilities: capabilities ?? null,
      scope_root: toHex(cert.scopeRoot),
      scope_proof: cert.scopeProof.isPassthrough() ? 'pass-through (same scope as the delegator)' : `${cert.scopeProof.subsetIntents.length} capabilities proved against the delegator's scope`,
      issued_at: cert.issuedAt,
      expiration_unix: cert.expirationUnix,
      issued: isoTime(cert.issuedAt),
      expires: isoTime(cert.expirationUnix),
      expires_relative: relativeTime(cert.expirationUnix, now),
      lifetime: cert.expirationUnix > cert.issuedAt ? describeSeconds(Number(cert.expirationUnix - cert.issuedAt)) : '0 seconds',
      max_depth: cert.maxDepth,
      nonce: toHex(cert.nonce),
      extensions,
      fingerprint: toHex(certFingerprint(cert)),
      signature_valid: verifyCertSignature(cert),
    },
    warnings,
  };
}

function certText(view: ReturnType<typeof certView>['view'], indent: string): string[] {
  return [
    `${indent}delegator     ${view.delegator_pk}${view.self_signed ? ' (self-signed)' : ''}`,
    `${indent}delegate      ${view.delegate_pk}`,
    `${indent}capabilities  ${view.capabilities ? view.capabilities.join(', ') : `scope ${view.scope_root.slice(0, 16)}… (${view.scope_proof})`}`,
    `${indent}valid         ${view.issued} → ${view.expires} (${view.lifetime}; expires ${view.expires_relative})`,
    `${indent}max depth     ${view.max_depth}`,
    `${indent}fingerprint   ${view.fingerprint}`,
    `${indent}signature     ${view.signature_valid ? 'valid' : 'INVALID'}`,
  ];
}

/** A hop's capabilities, named when the passport is known (hashes are all the chain carries). */
function chainCapabilities(chain: SignedChain, index: number, passport: Passport | undefined): string[] | undefined {
  const names = passport ? [...passport.capabilities] : [];
  const leaves = hopLeaves(chain, index, names.map((n) => intentHash(n)));
  return leaves ? leafNames(leaves, names) : undefined;
}

export const runInspect: CommandRun = async (ctx, values, positionals) => {
  const path = ctx.path(positionals[0]!);
  const atText = optionalString(values, 'at');
  const now = atText === undefined ? unixNow() : parseUnixTime(atText, '--at');
  const doc = await readDocument(path);
  const passportPath = optionalString(values, 'passport');
  const passport = passportPath ? await readPassportFile(ctx.path(passportPath)) : undefined;

  if (doc.kind === 'passport') {
    const { passport } = doc;
    const { view, warnings } = certView(passport.cert, now, [...passport.capabilities], 'passport');
    ctx.result(
      { kind: 'passport', form: doc.form, file: path, namespace: passport.namespace, capabilities: passport.capabilities, capability_mask_hex: passport.mask.toHex(), holder_pk: toHex(passport.holderPk), cert: view, warnings },
      [
        `passport ${passport.namespace} (${path})`,
        `  holder        ${toHex(passport.holderPk)}`,
        `  mask          ${passport.mask.toHex()}`,
        ...certText(view, '  ').slice(2),
        ...warnings.map((w) => `  warning: ${w}`),
      ].join('\n'),
    );
    return;
  }

  if (doc.kind === 'cert') {
    const { view, warnings } = certView(doc.cert, now, undefined, 'cert');
    ctx.result({ kind: 'cert', form: doc.form, file: path, cert: view, warnings }, [`cert (${doc.form} JSON, ${path})`, ...certText(view, '  '), ...warnings.map((w) => `  warning: ${w}`)].join('\n'));
    return;
  }

  const { chain } = doc;
  const warnings: string[] = [];
  const hops = chain.certs.map((cert, i) => {
    const { view, warnings: w } = certView(cert, now, chainCapabilities(chain, i, passport), `hop ${i}`);
    warnings.push(...w);
    const expected = i === 0 ? chain.principalPk : chain.certs[i - 1]!.delegatePk;
    if (!equalBytes(cert.delegatorPk, expected)) warnings.push(`hop ${i}: signed by ${toHex(cert.delegatorPk).slice(0, 16)}…, not by ${i === 0 ? 'the principal' : `hop ${i - 1}'s delegate`} (broken linkage)`);
    if (i > 0 && cert.expirationUnix > chain.certs[i - 1]!.expirationUnix) warnings.push(`hop ${i}: outlives hop ${i - 1}`);
    return view;
  });
  if (chain.certs.length === 0) warnings.push('the chain has no certs');
  const expiry = chain.certs.reduce<bigint | undefined>((min, c) => (min === undefined || c.expirationUnix < min ? c.expirationUnix : min), undefined);
  const namespace = chain.certs[0]?.extensions.get('dyolo.passport.namespace');
  ctx.result(
    {
      kind: 'chain',
      form: doc.form,
      file: path,
      principal_pk: toHex(chain.principalPk),
      principal_scope: toHex(chain.principalScope),
      namespace: namespace?.type === 'Str' ? namespace.value : null,
      depth: chain.certs.length,
      terminal_agent: chain.certs.length ? toHex(chain.certs[chain.certs.length - 1]!.delegatePk) : null,
      expires: expiry === undefined ? null : isoTime(expiry),
      chain_fingerprint: toHex(chainFingerprint({ ...chain, namespace: undefined })),
      // What a1 verify --passport puts in its receipt: the chain bound to the passport's namespace.
      receipt_chain_fingerprint: passport ? toHex(chainFingerprint({ ...chain, namespace: passport.namespace })) : null,
      hops,
      warnings,
    },
    [
      `chain (${doc.form} JSON, ${chain.certs.length} hop${chain.certs.length === 1 ? '' : 's'}, ${path})`,
      `  principal     ${toHex(chain.principalPk)}`,
      ...(namespace?.type === 'Str' ? [`  namespace     ${namespace.value}`] : []),
      `  fingerprint   ${toHex(chainFingerprint({ ...chain, namespace: undefined }))} (the chain file's)`,
      ...(passport ? [`  receipt fp    ${toHex(chainFingerprint({ ...chain, namespace: passport.namespace }))} (bound to namespace "${passport.namespace}", as a1 verify --passport's receipt)`] : []),
      ...(expiry === undefined ? [] : [`  valid until   ${isoTime(expiry)} (${relativeTime(expiry, now)})`]),
      ...hops.flatMap((view, i) => [`  hop ${i}`, ...certText(view, '    ')]),
      ...warnings.map((w) => `  warning: ${w}`),
    ].join('\n'),
  );
};
