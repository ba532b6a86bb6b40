/** --help text, built from the command table. */
import { COMMON_OPTIONS, type CommandSpec, type OptionSpec } from './command-spec.js';

function optionLine(name: string, spec: OptionSpec): string {
  const flag = `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.type === 'string' ? ` ${spec.value ?? 'VALUE'}` : ''}`;
  return `  ${flag.padEnd(34)} ${spec.description}`;
}

export function commandHelp(spec: CommandSpec): string {
  const options = { ...spec.options, ...COMMON_OPTIONS };
  return [
    `a1 ${spec.name} — ${spec.summary}`,
    '',
    `Usage: ${spec.usage}`,
    '',
    'Options:',
    ...Object.entries(options).map(([name, o]) => optionLine(name, o)),
    ...(spec.details ? ['', spec.details] : []),
    '',
    'Examples:',
    ...spec.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

export function mainHelp(commands: readonly CommandSpec[], version: string): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    `a1 ${version} — A1 passports and delegation certificates, signed in your KMS/HSM, verified offline`,
    '',
    'Usage: a1 <command> [options]      a1 <command> --help',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)} ${c.summary}`),
    '',
    'Every command takes --json (machine output) and --help.',
    'Exit codes: 0 ok · 1 refused (A1 error code) · 2 usage/configuration · 3 key backend · 4 file · 5 batch partly failed',
    '',
    'Examples:',
    '  a1 keygen -o root.key',
    '  a1 passport issue --signer file:./root.key --namespace acme --capabilities trade.equity,audit.read -o passport.json',
    '  a1 cert issue --signer file:./root.key --passport passport.json --delegate HEX --capabilities trade.equity -o chain.json',
    '  a1 verify --chain chain.json --agent HEX --intent trade.equity --passport passport.json',
    '  a1 demo',
    '',
  ].join('\n');
}
