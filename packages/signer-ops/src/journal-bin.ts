#!/usr/bin/env node
/** `a1-journal verify FILE [--head HASH]`: exit 0 when the chain holds, 1 when it is broken, 2 on usage. */
import { verifyJournal } from './verify-journal.js';

const USAGE = `usage: a1-journal verify FILE [--head HASH]

Checks an issuance journal's hash chain: every line commits to the one before it, so an edited,
deleted or reordered line is found. --head HASH (the last hash, kept elsewhere) also catches lines
cut off the end. Exit 0: the chain holds; 1: it is broken (the line is named); 2: usage or unreadable file.
`;

async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [command, file, ...rest] = argv;
  const headAt = rest.indexOf('--head');
  const expectHead = headAt >= 0 ? rest[headAt + 1] : undefined;
  if (command !== 'verify' || !file || (headAt >= 0 && !expectHead)) {
    process.stderr.write(USAGE);
    return 2;
  }
  try {
    const verdict = await verifyJournal(file, expectHead ? { expectHead } : {});
    if (verdict.ok) {
      process.stdout.write(`ok: ${verdict.entries} entries, head ${verdict.head}\n`);
      return 0;
    }
    process.stdout.write(`BROKEN at line ${verdict.line}: ${verdict.problem} (${verdict.entries} entries before it verify)\n`);
    return 1;
  } catch (error) {
    process.stderr.write(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}\n`);
    return 2;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
