/** `a1 passport issue`: a self-signed passport, written as the reference's passport file. */
import { certFingerprint, issuePassport, providerOf, savePassport, toHex } from '@a1/core';
import type { CommandRun } from '../command-spec.js';
import { refuseExisting, writeTextFile } from '../files.js';
import { optionalString, parseCapabilities, parseTtl, requireString } from '../inputs.js';
import { closeSigner, signerFromUri } from '@a1/signer-uri';
import { isoTime } from '../time-text.js';
import { usageError } from '../cli-error.js';

export const runPassportIssue: CommandRun = async (ctx, values) => {
  const uri = requireString(values, 'signer', 'e.g. --signer file:./root.key');
  const namespace = requireString(values, 'namespace', 'e.g. --namespace acme-trading-bot');
  const capabilities = parseCapabilities(values);
  const ttlSeconds = parseTtl(values, '30d');
  const output = optionalString(values, 'output');
  if (!output) throw usageError('-o/--output is required: where to write the passport file', 'e.g. -o passport.json');
  const path = ctx.path(output);
  await refuseExisting(path, values.force === true);

  const signer = await signerFromUri(uri, { env: ctx.env, cwd: ctx.cwd, onWarning: ctx.note });
  try {
    const passport = await issuePassport({ namespace, capabilities, ttlSeconds, signer });
    await writeTextFile(path, savePassport(passport), { overwrite: values.force === true });
    const cert = passport.cert;
    ctx.result(
      {
        file: path,
        namespace,
        capabilities,
        holder_pk: toHex(passport.holderPk),
        provider: providerOf(signer),
        key_id: signer.keyId ?? null,
        capability_mask_hex: passport.mask.toHex(),
        issued_at: cert.issuedAt,
        expiration_unix: cert.expirationUnix,
        fingerprint: toHex(certFingerprint(cert)),
      },
      [
        `passport ${namespace} → ${path}`,
        `  holder        ${toHex(passport.holderPk)}`,
        `  capabilities  ${capabilities.join(', ')}`,
        `  valid         ${isoTime(cert.issuedAt)} → ${isoTime(cert.expirationUnix)}`,
        `  signed by     ${providerOf(signer)}${signer.keyId ? ` ${signer.keyId}` : ''}`,
      ].join('\n'),
    );
  } finally {
    await closeSigner(signer);
  }
};
