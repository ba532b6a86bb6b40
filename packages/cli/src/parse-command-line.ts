/**
 * node:util parseArgs with messages that say what to do: an unknown flag names the flag it was
 * probably meant to be, a flag without its value names the value it needs. Node's own texts
 * advise `--` tricks that never help here.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './cli-error.js';
import { COMMON_OPTIONS, type CommandSpec, type ParsedValues } from './command-spec.js';
import { closest } from './did-you-mean.js';

export function parseCommandLine(config: ParseArgsConfig, spec: CommandSpec): { values: ParsedValues; positionals: string[] } {
  try {
    return parseArgs(config) as { values: ParsedValues; positionals: string[] };
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    const options = { ...spec.options, ...COMMON_OPTIONS };
    const help = `see a1 ${spec.name} --help`;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /option '([^']+)'/i.exec(message ?? '')?.[1] ?? 'given';
      const name = flag.replace(/^-+/, '').split('=')[0]!;
      const meant = closest(name, Object.keys(options));
      throw usageError(`unknown option ${flag.split('=')[0]}${meant ? ` (did you mean --${meant}?)` : ''}`, help);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      // Node says "Option '-c, --chain <value>' argument missing" or "Option '--force' does not take an argument".
      const long = /--([\w-]+)/.exec(message ?? '')?.[1];
      const option = long === undefined ? undefined : options[long];
      if (option?.type === 'string') throw usageError(`--${long} needs a value (${option.value ?? 'VALUE'})`, help);
      if (option?.type === 'boolean') throw usageError(`--${long} takes no value`, help);
    }
    throw usageError(message ?? String(error), help);
  }
}
