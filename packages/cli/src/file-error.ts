/** A failed file operation as one plain message: what, which file, why (exit code 4). */
import { CliError } from './cli-error.js';
import { printablePath } from './printable-arg.js';

export function fileError(error: unknown, path: string, action: string, hint?: string): CliError {
  const code = (error as { code?: string } | null)?.code;
  const why =
    code === 'ENOENT' ? 'no such file or directory'
    : code === 'EEXIST' ? 'it already exists (use --force to overwrite)'
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'it is a directory'
    : code ?? (error as Error)?.message ?? String(error);
  // Node's error repeats the path (message and `path`), which may be a pasted seed: only its code is kept.
  return new CliError('FileError', `cannot ${action} ${printablePath(path)}: ${why}`, { hint, ...(code ? { cause: Object.assign(new Error(code), { code }) } : {}) });
}
