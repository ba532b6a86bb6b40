/** What a command gets from the process: streams, environment, working directory, output mode. */
import { resolve } from 'node:path';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CommandContext {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  json: boolean;
  /** Path relative to the working directory. */
  path(file: string): string;
  /** One result: `data` as JSON under --json, otherwise the human `text`. */
  result(data: unknown, text: string): void;
  /** A human note on stderr (suppressed under --json). */
  note(text: string): void;
}

export function createContext(options: { stdout: OutputStream; stderr: OutputStream; env: NodeJS.ProcessEnv; cwd: string; json: boolean }): CommandContext {
  const { stdout, stderr, cwd, json } = options;
  return {
    ...options,
    path: (file) => resolve(cwd, file),
    result(data, text) {
      stdout.write(json ? `${toJsonText(data)}\n` : text.endsWith('\n') ? text : `${text}\n`);
    },
    note(text) {
      if (!json) stderr.write(`${text}\n`);
    },
  };
}

/** JSON with bigint as numbers (exact) and Uint8Array as hex. */
export function toJsonText(data: unknown, indent = 2): string {
  const marker = '__a1_bigint__:';
  const text = JSON.stringify(
    data,
    (_key, value: unknown) => {
      if (typeof value === 'bigint') return `${marker}${value}`;
      if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
      return value;
    },
    indent,
  );
  return text.replace(new RegExp(`"${marker}(\\d+)"`, 'g'), '$1');
}
