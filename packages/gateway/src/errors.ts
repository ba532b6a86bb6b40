/**
 * Errors a handler raises with an exact contract body, and the one mapping from any error to the
 * status and body its route family answers (§1.6, §1.7, §1.8). Used by the server's setErrorHandler.
 */
import { A1Error, SignerError } from '@a1/core';
import { BodySyntaxError } from './body-json.js';
import { SIGNER_ERRORS, storageErrorText, TEXT, upstreamErrorCode, upstreamErrorText, type ErrorShape } from './contract.js';
import { obj, writeOut, type OutObject } from './json-out.js';

/** A failure whose status and body the handler already knows. */
export class ContractError extends Error {
  override readonly name = 'ContractError';
  constructor(
    readonly statusCode: number,
    readonly body: OutObject,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${statusCode}`);
  }

  static of(statusCode: number, error: string): ContractError {
    return new ContractError(statusCode, obj([['error', error]]));
  }
}

/** `error_code` and, for the reference's Python client (which reads `code`), the same value as `code`. */
function coded(error: string, errorCode: string): OutObject {
  return obj([
    ['error', error],
    ['error_code', errorCode],
    ['code', errorCode],
  ]);
}

export interface ErrorReply {
  statusCode: number;
  body: string;
  headers: Record<string, string>;
  /** Unexpected: logged at error level. */
  unexpected?: boolean;
}


/**
 * Signing failures (no upstream equivalent: upstream signs in process). Throttled and down → 503
 * with Retry-After, slow → 504, a wrong answer → 502, anything else (access, key, configuration) →
 * 500. The text names the backend and the failure kind only: never a credential.
 */
function signerReply(error: SignerError): ErrorReply {
  const { status: statusCode, errorCode } = (SIGNER_ERRORS as Record<string, { status: number; errorCode: string }>)[error.code] ?? SIGNER_ERRORS.other;
  const text = `signing backend ${error.provider} failed (${error.code}); nothing was issued`;
  const headers: Record<string, string> = statusCode === 503 ? { 'retry-after': '1' } : {};
  return { statusCode, body: writeOut(coded(text, errorCode)), headers };
}

function a1Reply(error: A1Error, shape: ErrorShape): ErrorReply {
  const reply = (statusCode: number, body: OutObject): ErrorReply => ({ statusCode, body: writeOut(body), headers: {} });
  switch (shape) {
    case 'authorize':
      return reply(error.code === 'StorageFailure' ? 503 : 403, coded(upstreamErrorText(error), upstreamErrorCode(error)));
    case 'batch':
      if (error.code === 'StorageFailure') return reply(503, coded(upstreamErrorText(error), 'STORAGE_ERROR'));
      return reply(400, coded(upstreamErrorText(error), 'AUTHORIZATION_FAILED'));
    case 'token':
      return reply(401, obj([['valid', false], ['error', error.message]]));
    case 'revoke':
      if (error.code === 'StorageFailure') return reply(500, obj([['error', storageErrorText(error)]]));
      return reply(400, obj([['error', error.message]]));
    case 'issue':
    case 'plain':
      if (error.code === 'StorageFailure') return reply(503, obj([['error', upstreamErrorText(error)]]));
      return reply(400, obj([['error', error.message]]));
  }
}

interface FrameworkError {
  code?: string;
  statusCode?: number;
  validation?: unknown;
  message?: string;
}

/** Maps what a route threw to the contract's answer for that route's family. */
export function errorReply(error: unknown, shape: ErrorShape): ErrorReply {
  if (error instanceof ContractError) return { statusCode: error.statusCode, body: writeOut(error.body), headers: error.headers };
  if (error instanceof A1Error) return a1Reply(error, shape);
  if (error instanceof SignerError) return signerReply(error);
  const json = (statusCode: number, text: string): ErrorReply => ({ statusCode, body: writeOut(obj([['error', text]])), headers: {} });
  if (error instanceof BodySyntaxError) return json(400, TEXT.jsonSyntax + error.message);
  const fw = (error ?? {}) as FrameworkError;
  if (fw.validation) return json(422, TEXT.jsonShape + (fw.message ?? 'invalid body'));
  switch (fw.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return json(413, TEXT.bodyTooLarge);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return json(415, TEXT.unsupportedMediaType);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return json(400, `${TEXT.jsonSyntax}EOF while parsing a value at line 1 column 0`);
  }
  if (typeof fw.statusCode === 'number' && fw.statusCode >= 400 && fw.statusCode < 500) {
    return json(fw.statusCode, fw.message ?? 'bad request');
  }
  return { ...json(500, 'internal error'), unexpected: true };
}
