/** `a1 cert issue`: the first hop from a passport, or the next hop of an existing chain. */
import { providerOf } from '@a1/core';
import type { CommandRun } from '../command-spec.js';
import { chainText, hopFacts, parseForm } from '../chain-output.js';
import { readChainFile, readPassportFile } from '../documents.js';
import { refuseExisting, writeTextFile } from '../files.js';
import { optionalString, parseCapabilities, parseNonNegativeInteger, parsePublicKey, parseTtl, requireString } from '../inputs.js';
import { issueHop } from '../issue-hop.js';
import { closeSigner, signerFromUri } from '@a1/signer-uri';
import { isoTime, unixNow } from '../time-text.js';

export const runCertIssue: CommandRun = async (ctx, values) => {
  const uri = requireString(values, 'signer', 'e.g. --signer file:./root.key');
  const passportPath = ctx.path(requireString(values, 'passport', 'the passport file from a1 passport issue'));
  const delegatePk = parsePublicKey(requireString(values, 'delegate', "the agent's public key (a1 pubkey)"), '--delegate');
  const capabilities = parseCapabilities(values);
  const ttlSeconds = parseTtl(values, '1h');
  const maxDepthText = optionalString(values, 'max-depth');
  const maxDepth = maxDepthText === undefined ? undefined : parseNonNegativeInteger(maxDepthText, '--max-depth', 255);
  const form = parseForm(optionalString(values, 'format'));
  const chainPath = optionalString(values, 'chain');
  const outputPath = optionalString(values, 'output') ?? chainPath;
  // Extending --chain in place is what it is for; any other existing file (a seed, a passport)
  // is refused before anything is signed, unless --force.
  const replaces = outputPath !== undefined && (values.force === true || (chainPath !== undefined && ctx.path(outputPath) === ctx.path(chainPath)));
  if (outputPath) await refuseExisting(ctx.path(outputPath), replaces);

  const passport = await readPassportFile(passportPath);
  const chain = chainPath ? await readChainFile(ctx.path(chainPath)) : undefined;
  const signer = await signerFromUri(uri, { env: ctx.env, cwd: ctx.cwd, onWarning: ctx.note });
  try {
    const issued = await issueHop({ passport, ...(chain ? { chain } : {}), signer, delegatePk, capabilities, ttlSeconds, maxDepth, now: unixNow() });
    const text = chainText(issued.chain, form);
    const facts = { ...hopFacts(issued.chain, issued.cert, capabilities), provider: providerOf(signer), key_id: signer.keyId ?? null };
    if (outputPath) {
      const path = ctx.path(outputPath);
      await writeTextFile(path, text, { overwrite: replaces });
      ctx.result(
        { file: path, format: form, ...facts },
        [
          `hop ${facts.hop} → ${path} (${form} JSON, ${issued.chain.certs.length} hop${issued.chain.certs.length === 1 ? '' : 's'})`,
          `  delegate      ${facts.delegate_pk}`,
          `  capabilities  ${capabilities.join(', ')}`,
          `  expires       ${isoTime(issued.cert.expirationUnix)}`,
          `  fingerprint   ${facts.cert_fingerprint}`,
        ].join('\n'),
      );
    } else if (ctx.json) {
      ctx.result({ ...facts, format: form, chain: JSON.parse(text) as unknown }, '');
    } else {
      ctx.stdout.write(text);
    }
  } finally {
    await closeSigner(signer);
  }
};
