/**
 * `a1 cert batch`: many first-hop certs from one passport, read from JSON lines and signed with
 * bounded concurrency (a KMS rate-limits; an HSM has a few sessions).
 */
import { A1Error, isSignerError, providerOf, serializeSignedChain, toHex } from '@a1/core';
import { usageError } from '../cli-error.js';
import type { CommandRun } from '../command-spec.js';
import { hopFacts } from '../chain-output.js';
import { readPassportFile } from '../documents.js';
import { describeFailure } from '../failure.js';
import { readTextFile, refuseExisting, writeTextFile } from '../files.js';
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

function parseRequests(text: string, path: string, defaultTtl: string): BatchRequest[] {
  const requests: BatchRequest[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') return;
    let item: Record<string, unknown>;
    try {
      item = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      throw usageError(`${path}:${line}: not a JSON object`);
    }
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw usageError(`${path}:${line}: not a JSON object`);
    try {
      const delegate = item.delegate;
      if (typeof delegate !== 'string') throw usageError('"delegate" (hex public key) is required');
      const caps = item.capabilities;
      const capabilities = parseCapabilities({ capabilities: Array.isArray(caps) ? (caps as string[]) : (caps as string | undefined) });
      const ttl = item.ttl === undefined ? defaultTtl : String(item.ttl);
      requests.push({ line, delegatePk: parsePublicKey(delegate, 'delegate'), capabilities, ttlSeconds: parseTtl({ ttl }, defaultTtl) });
    } catch (error) {
      throw usageError(`${path}:${line}: ${(error as Error).message}`);
    }
  });
  if (requests.length === 0) throw usageError(`${path} holds no requests`);
  return requests;
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
  const requests = parseRequests(await readTextFile(inputPath), inputPath, defaultTtl);
  await refuseExisting(outputPath, true);
  const signer = await signerFromUri(uri, { env: ctx.env, cwd: ctx.cwd, onWarning: ctx.note });
  const started = Date.now();
  const progress = createProgress(ctx.stderr, requests.length, 'issuing', ctx.stderr.isTTY === true && !ctx.json);
  let results: Array<{ ok: boolean; line: string }>;
  try {
    results = await mapBounded(requests, concurrency, async (request) => {
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
        const failure = describeFailure(error);
        return { ok: false, line: JSON.stringify({ line: request.line, ok: false, delegate: toHex(request.delegatePk), error: { code: failure.code, message: failure.message } }) };
      }
    });
  } finally {
    progress.done();
    await closeSigner(signer);
  }
  await writeTextFile(outputPath, `${results.map((r) => r.line).join('\n')}\n`, { overwrite: true });
  const failed = results.filter((r) => !r.ok).length;
  const issued = results.length - failed;
  const seconds = (Date.now() - started) / 1000;
  ctx.result(
    { issued, failed, total: results.length, seconds, output: outputPath, provider: providerOf(signer), concurrency },
    `issued ${issued} of ${results.length} certs (${failed} failed) in ${seconds.toFixed(1)}s with ${providerOf(signer)}, concurrency ${concurrency} → ${outputPath}`,
  );
  return failed > 0 ? EXIT.partial : EXIT.ok;
};
