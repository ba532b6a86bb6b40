/** `a1 convert --to reference|schema FILE`: a chain or cert rewritten in the other JSON form. */
import { serializeCert } from '@a1/core';
import { parseForm, chainText } from '../chain-output.js';
import { usageError } from '../cli-error.js';
import type { CommandRun } from '../command-spec.js';
import { readDocument } from '../documents.js';
import { refuseExisting, writeTextFile } from '../files.js';
import { optionalString, requireString } from '../inputs.js';

export const runConvert: CommandRun = async (ctx, values, positionals) => {
  const form = parseForm(requireString(values, 'to', 'reference or schema'), '--to');
  const path = ctx.path(positionals[0]!);
  const output = optionalString(values, 'output');
  const force = values.force === true;
  if (output) await refuseExisting(ctx.path(output), force);
  const doc = await readDocument(path);
  if (doc.kind === 'passport') throw usageError('a passport file has one form (the reference\'s save() text); convert chains and certs');
  const text = doc.kind === 'chain' ? chainText(doc.chain, form) : `${serializeCert(doc.cert, { format: form, pretty: true })}\n`;
  if (output) {
    const target = ctx.path(output);
    await writeTextFile(target, text, { overwrite: force });
    ctx.result({ file: target, kind: doc.kind, from: doc.form, to: form }, `${doc.kind} ${doc.form} → ${form}: ${target}`);
  } else if (ctx.json) {
    ctx.result({ kind: doc.kind, from: doc.form, to: form, document: JSON.parse(text) as unknown }, '');
  } else {
    ctx.stdout.write(text);
  }
};
