/** An expected failure: printed as one plain message (no stack trace) with its exit code. */
import { EXIT, type ExitCode } from './exit-codes.js';

export type CliErrorCode = 'Usage' | 'ProviderMissing' | 'FileError' | 'BadInput';

export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: CliErrorCode;
  readonly exitCode: ExitCode;
  /** A hint printed after the message, e.g. the command to run. */
  readonly hint: string | undefined;

  constructor(code: CliErrorCode, message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = options.exitCode ?? (code === 'FileError' ? EXIT.io : EXIT.usage);
    this.hint = options.hint;
  }
}

export function usageError(message: string, hint?: string): CliError {
  return new CliError('Usage', message, { hint });
}
