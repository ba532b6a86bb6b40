/** `a1 …`: find the command, parse its flags, run it, map failures to messages and exit codes. */
import type { ParseArgsConfig } from 'node:util';
import { usageError } from './cli-error.js';
import { COMMON_OPTIONS, type CommandSpec } from './command-spec.js';
import { COMMANDS } from './commands/registry.js';
import { createContext, toJsonText, type OutputStream } from './context.js';
import { closest } from './did-you-mean.js';
import { describeFailure, formatFailure } from './failure.js';
import { commandHelp, mainHelp } from './help.js';
import { parseCommandLine } from './parse-command-line.js';
import { printableArg } from './printable-arg.js';
import { cliVersion } from './version.js';

export interface MainOptions {
  stdout?: OutputStream;
  stderr?: OutputStream;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** The longest command name that prefixes `args` (`cert issue` before `cert`). */
function findCommand(args: readonly string[]): { spec: CommandSpec; rest: string[] } | undefined {
  let best: { spec: CommandSpec; rest: string[] } | undefined;
  for (const spec of COMMANDS) {
    const words = spec.name.split(' ');
    if (words.every((w, i) => args[i] === w) && (!best || words.length > best.spec.name.split(' ').length)) {
      best = { spec, rest: args.slice(words.length) };
    }
  }
  return best;
}

function groupHelp(prefix: string): string | undefined {
  const group = COMMANDS.filter((c) => c.name.startsWith(`${prefix} `));
  if (group.length === 0) return undefined;
  return [`a1 ${prefix} <command>`, '', ...group.map((c) => `  a1 ${c.name.padEnd(16)} ${c.summary}`), '', `See a1 ${prefix} <command> --help.`, ''].join('\n');
}

/** Runs the command line and resolves to the exit code; never throws. */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const json = argv.includes('--json');
  const ctx = createContext({ stdout, stderr, env, cwd, json });
  try {
    const first = argv[0];
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      // Asked for: stdout, exit 0. No command at all is a usage error: stderr, exit 2.
      (first === undefined ? stderr : stdout).write(mainHelp(COMMANDS, cliVersion()));
      return first === undefined ? 2 : 0;
    }
    if (first === '--version' || first === '-V') {
      stdout.write(json ? `${toJsonText({ version: cliVersion() })}\n` : `${cliVersion()}\n`);
      return 0;
    }
    const found = findCommand(argv);
    if (!found) {
      const group = groupHelp(first);
      if (group && (argv[1] === undefined || argv[1] === '--help' || argv[1] === '-h')) {
        (argv[1] === undefined ? stderr : stdout).write(group);
        return argv[1] === undefined ? 2 : 0;
      }
      const typed = argv.slice(0, group ? 2 : 1).join(' ');
      const meant = closest(typed, COMMANDS.map((c) => c.name));
      throw usageError(`unknown command ${printableArg(typed)}${meant ? ` (did you mean a1 ${meant}?)` : ''}`, 'run a1 --help for the list of commands');
    }
    const { spec, rest } = found;
    const config: ParseArgsConfig = {
      args: rest,
      options: { ...spec.options, ...COMMON_OPTIONS },
      allowPositionals: true,
      strict: true,
    };
    const { values, positionals } = parseCommandLine(config, spec);
    if (values.help) {
      stdout.write(commandHelp(spec));
      return 0;
    }
    const allowed = spec.positionals ?? { min: 0, max: 0 };
    if (positionals.length < allowed.min) throw usageError(`a1 ${spec.name} needs ${allowed.min === 1 ? 'a file argument' : `${allowed.min} arguments`}`, `usage: ${spec.usage}`);
    if (positionals.length > allowed.max) throw usageError(`unexpected argument ${printableArg(positionals[allowed.max]!)}`, `usage: ${spec.usage}`);
    const run = await spec.load();
    const code = await run(ctx, values, positionals);
    return code ?? 0;
  } catch (error) {
    const failure = describeFailure(error);
    if (json) {
      const { exitCode, ...rest } = failure;
      stderr.write(`${toJsonText({ error: { ...rest, exit_code: exitCode } })}\n`);
    } else {
      stderr.write(formatFailure(failure));
    }
    return failure.exitCode;
  }
}
