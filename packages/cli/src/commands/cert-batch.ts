/**
 * `a1 cert batch`: many first-hop certs from one passport, read from JSON lines and signed with
 * bounded concurrency (a KMS rate-limits; an HSM has a few sessions).
 */
import { A1Error, isSignerError, providerOf, serializeSignedChain, toHex } from '@a1/core';
import { CliError, usageError } from '../cli-error.js';
import type { CommandRun } from '../command-spec.js';
import { hopFacts } from '../chain-output.js';
import { readPassportFile } from '../documents.js';
import { describeFailure } from '../failure.js';
import { MAX_LINES_FILE_BYTES, readTextFile, refuseExisting, writeTextFile } from '../files.js';
import { mapBounded } from '../bounded.js';
import { EXIT } from '../exit-codes.js';
import { optionalString, parseCapabilities, parseNonNegativeInteger, parsePublicKey, parseTtl, requireString } from '../inputs.js';
import { issueHop } from '../issue-hop.js';
import { createProgress } from '../progress.js';
import { closeSigner, signerFromUri } from '@a1/signer-uri';
import { unixNow } from '../time-text.js';

interface BatchRequest {
  line: number;
  delegatePk: Uint8Array;
  capabilities: string[];
  ttlSeconds: number;
}

/** One input line: a request, or why the line is not one (reported as that line's failed result). */
type BatchEntry = { line: number; request: BatchRequest } | { line: number; problem: string };

function parseRequest(raw: string, line: number, defaultTtl: string): BatchRequest {
  let item: Record<string, unknown>;
  try {
    item = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    throw usageError('not a JSON object');
  }
  if (item === null || typeof item !== 'object' || Array.isArray(item)) throw usageError('not a JSON object');
  const delegate = item.delegate;
  if (typeof delegate !== 'string') throw usageError('"delegate" (hex public key) is required');
  const caps = item.capabilities;
  const capabilities = parseCapabilities({ capabilities: Array.isArray(caps) ? (caps as string[]) : (caps as string | undefined) });
  const ttl = item.ttl === undefined ? defaultTtl : String(item.ttl);
  return { line, delegatePk: parsePublicKey(delegate, '"delegate"'), capabilities, ttlSeconds: parseTtl({ ttl }, defaultTtl) };
}

function parseEntries(text: string, path: string, defaultTtl: string): BatchEntry[] {
  const entries: BatchEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      entries.push({ line: i + 1, request: parseRequest(raw, i + 1, defaultTtl) });
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      entries.push({ line: i + 1, problem: error.message });
    }
  });
  if (entries.length === 0) throw usageError(`${path} holds no requests`);
  return entries;
}

/** What a failed line says: the refusal and, for A1 errors, the reason (which capability, what is granted). */
function failureMessage(error: unknown): string {
  const failure = describeFailure(error);
  const reason = error instanceof A1Error ? error.details.reason : undefined;
  return reason ? `${failure.message}: ${reason}` : failure.message;
}

export const runCertBatch: CommandRun = async (ctx, values) => {
  const uri = requireString(values, 'signer', 'e.g. --signer awskms:///alias/a1-root');
  const passportPath = ctx.path(requireString(values, 'passport', 'the passport file'));
  const inputPath = ctx.path(requireString(values, 'input', 'requests, one JSON object per line'));
  const outputPath = ctx.path(requireString(values, 'output', 'where to write the results (JSON lines)'));
  const defaultTtl = optionalString(values, 'ttl') ?? '1h';
  parseTtl({ ttl: defaultTtl }, '1h');
  const concurrencyText = optionalString(values, 'concurrency');
  const concurrency = concurrencyText === undefined ? 8 : parseNonNegativeInteger(concurrencyText, '--concurrency', 64);
  if (concurrency < 1) throw usageError('--concurrency must be at least 1');

  const passport = await readPassportFile(passportPath);
  const entries = parseEntries(await readTextFile(inputPath, MAX_LINES_FILE_BYTES), inputPath, defaultTtl);
  const force = values.force === true;
  await refuseExisting(outputPath, force);
  const signer = await signerFromUri(uri, { env: ctx.env, cwd: ctx.cwd, onWarning: ctx.note });
  const started = Date.now();
  const progress = createProgress(ctx.stderr, entries.length, 'issuing', ctx.stderr.isTTY === true && !ctx.json);
  let results: Array<{ ok: boolean; line: string }>;
  try {
    results = await mapBounded(entries, concurrency, async (entry) => {
      if ('problem' in entry) {
        progress.tick(true);
        return { ok: false, line: JSON.stringify({ line: entry.line, ok: false, error: { code: 'BadInput', message: `line ${entry.line}: ${entry.problem}` } }) };
      }
      const { request } = entry;
      try {
        const { chain, cert } = await issueHop({ passport, signer, delegatePk: request.delegatePk, capabilities: request.capabilities, ttlSeconds: request.ttlSeconds, now: unixNow() });
        progress.tick(false);
        const facts = hopFacts(chain, cert, request.capabilities);
        // The chain is embedded as the reference's JSON text itself (u64 exact).
        const line = `{"line":${request.line},"ok":true,"delegate":"${facts.delegate_pk}","fingerprint":"${facts.cert_fingerprint}","expiration_unix":${cert.expirationUnix},"chain":${serializeSignedChain(chain)}}`;
        return { ok: true, line };
      } catch (error) {
        progress.tick(true);
        if (!(error instanceof A1Error) && !isSignerError(error) && !(error instanceof Error && 'exitCode' in error)) throw error;
        return { ok: false, line: JSON.stringify({ line: request.line, ok: false, delegate: toHex(request.delegatePk), error: { code: describeFailure(error).code, message: failureMessage(error) } }) };
      }
    });
  } finally {
    progress.done();
    await closeSigner(signer);
  }
  await writeTextFile(outputPath, `${results.map((r) => r.line).join('\n')}\n`, { overwrite: force });
  const failed = results.filter((r) => !r.ok).length;
  const issued = results.length - failed;
  const seconds = (Date.now() - started) / 1000;
  ctx.result(
    { issued, failed, total: results.length, seconds, output: outputPath, provider: providerOf(signer), concurrency },
    `issued ${issued} of ${results.length} certs (${failed} failed) in ${seconds.toFixed(1)}s with ${providerOf(signer)}, concurrency ${concurrency} → ${outputPath}`,
  );
  return failed > 0 ? EXIT.partial : EXIT.ok;
};
