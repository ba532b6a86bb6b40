/**
 * Turning a thrown error into what the user sees: one message (no stack trace for anything
 * expected), an explanation, and the exit code.
 */
import { isA1Error, isSignerError } from '@a1/core';
import { isSignerUriError, type SignerUriErrorCode } from '@a1/signer-uri';
import { CliError } from './cli-error.js';
import { EXIT } from './exit-codes.js';
import { explainA1Error } from './explain.js';

export interface Failure {
  exitCode: number;
  /** Stable code for scripts: the A1Error/SignerError code, or the CLI's own. */
  code: string;
  message: string;
  explanation?: string;
  hint?: string;
  provider?: string;
  keyId?: string;
  retryable?: boolean;
  /** Only for unexpected errors (bugs): their stack. */
  stack?: string;
}

/** A signer URI problem as the CLI reports it: the codes scripts already know, and the exit code. */
const SIGNER_URI_FAILURES: Record<SignerUriErrorCode, { code: string; exitCode: number }> = {
  NotAUri: { code: 'Usage', exitCode: EXIT.usage },
  UnknownScheme: { code: 'Usage', exitCode: EXIT.usage },
  ProviderMissing: { code: 'ProviderMissing', exitCode: EXIT.usage },
  SeedFileUnreadable: { code: 'FileError', exitCode: EXIT.io },
  NotASeedFile: { code: 'BadInput', exitCode: EXIT.usage },
};

export function describeFailure(error: unknown): Failure {
  if (error instanceof CliError) {
    return { exitCode: error.exitCode, code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  }
  if (isSignerUriError(error)) {
    const { code, exitCode } = SIGNER_URI_FAILURES[error.code];
    return { exitCode, code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  }
  if (isA1Error(error)) {
    const reason = error.code !== 'WireFormatError' && error.details.reason ? ` (${error.details.reason})` : '';
    return { exitCode: EXIT.refused, code: error.code, message: error.message, explanation: `${explainA1Error(error)}${reason}` };
  }
  if (isSignerError(error)) {
    const misconfigured = error.code === 'Misconfigured';
    return {
      exitCode: misconfigured ? EXIT.usage : EXIT.signer,
      code: error.code,
      message: error.message,
      provider: error.provider,
      ...(error.keyId ? { keyId: error.keyId } : {}),
      retryable: error.retryable,
    };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
    return { exitCode: EXIT.usage, code: 'Usage', message: (error as Error).message, hint: 'see --help' };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  return { exitCode: 70, code: 'InternalError', message: err.message, stack: err.stack };
}

export function formatFailure(failure: Failure): string {
  // A SignerError's message already starts with its provider and key ("vault-transit key a1-root: …"):
  // printed as is, so each is said once.
  const lines = [`a1: ${failure.code}: ${failure.message}`];
  if (failure.explanation) lines.push(`  ${failure.explanation}`);
  if (failure.retryable) lines.push('  (temporary: retrying may succeed)');
  if (failure.hint) lines.push(`  hint: ${failure.hint}`);
  if (failure.stack) lines.push('', 'This is a bug in a1; please report it with this trace:', failure.stack);
  return `${lines.join('\n')}\n`;
}
