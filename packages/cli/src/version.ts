/** The package version, read from package.json next to dist/ (only for --help and --version). */
import { readFileSync } from 'node:fs';

export function cliVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
