/**
 * What a command declares: its flags (for node:util parseArgs and for --help), examples, and a
 * lazy loader for its implementation — so `a1 verify` never loads signer code.
 */
import type { CommandContext } from './context.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder in help, e.g. URI, FILE. */
  value?: string;
  description: string;
}

export type ParsedValues = Record<string, string | boolean | Array<string | boolean> | undefined>;

export type CommandRun = (ctx: CommandContext, values: ParsedValues, positionals: string[]) => Promise<number | void>;

export interface CommandSpec {
  /** Words after `a1`, e.g. `cert issue`. */
  name: string;
  summary: string;
  usage: string;
  /** Longer explanation shown by --help. */
  details?: string;
  options: Record<string, OptionSpec>;
  /** Positional arguments allowed (default 0). */
  positionals?: { min: number; max: number };
  examples: string[];
  load: () => Promise<CommandRun>;
}

/** Flags every command takes. */
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'machine-readable JSON on stdout (errors as JSON on stderr)' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};
