#!/usr/bin/env node
/** `a1-journal verify FILE [--head HASH]`: exit 0 when the chain holds, 1 when it is broken, 2 on usage. */
import { verifyJournal } from './verify-journal.js';

async function main(argv: string[]): Promise<number> {
  const [command, file, ...rest] = argv;
  const headAt = rest.indexOf('--head');
  const expectHead = headAt >= 0 ? rest[headAt + 1] : undefined;
  if (command !== 'verify' || !file || (headAt >= 0 && !expectHead)) {
    process.stderr.write('usage: a1-journal verify FILE [--head HASH]\n');
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
