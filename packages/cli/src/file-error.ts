/** A failed file operation as one plain message: what, which file, why (exit code 4). */
import { CliError } from './cli-error.js';

export function fileError(error: unknown, path: string, action: string, hint?: string): CliError {
  const code = (error as { code?: string } | null)?.code;
  const why =
    code === 'ENOENT' ? 'no such file or directory'
    : code === 'EEXIST' ? 'it already exists (use --force to overwrite)'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'it is a directory'
    : (error as Error)?.message ?? String(error);
  return new CliError('FileError', `cannot ${action} ${path}: ${why}`, { hint, cause: error });
}
