#!/usr/bin/env node
/**
 * Runs every README snippet marked runnable (`<!-- runnable: FOLDER ... -->` before the fence; see
 * scripts/readme-snippets/extract.mjs and CONTRIBUTING.md) exactly as written, from the folder the
 * marker names, against the built packages. A snippet passes when it exits 0 within the deadline,
 * prints something and writes nothing to stderr. Ends with "N passed, N failed".
 *
 *   node scripts/readme-snippets.mjs [--root DIR] [path-prefix ...]   e.g. packages/store-redis
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUNNERS, extractSnippets } from './readme-snippets/extract.mjs';
import { run, tail } from './lib/run.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
// --root DIR: look for READMEs under another tree (the runner's own tests use a temp dir).
const argv = process.argv.slice(2);
const rootAt = argv.indexOf('--root');
const root = rootAt >= 0 ? argv.splice(rootAt, 2)[1] : repo;
const filters = argv;
const TIMEOUT_MS = Number(process.env.A1_SNIPPET_TIMEOUT_MS ?? 120_000);
const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.turbo', '.reports', '.changeset', '.tools', 'coverage']);

function markdownFiles(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) found.push(...markdownFiles(join(dir, entry.name)));
    } else if (entry.name.endsWith('.md') && entry.name !== 'CHANGELOG.md') {
      found.push(join(dir, entry.name));
    }
  }
  return found;
}

let passed = 0;
let failed = 0;
const report = (ok, label, detail) => {
  if (ok) passed += 1;
  else failed += 1;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${label}${detail ? (ok ? ` — ${detail}` : `\n${detail.replace(/^/gm, '     ')}`) : ''}`);
};

for (const file of markdownFiles(root).sort()) {
  const name = relative(root, file);
  if (filters.length > 0 && !filters.some((f) => name.startsWith(f.replace(/^\.\//, '')))) continue;
  let snippets;
  try {
    snippets = extractSnippets(readFileSync(file, 'utf8'));
  } catch (error) {
    report(false, name, error.message);
    continue;
  }
  for (const snippet of snippets) {
    const label = `${name}:${snippet.line} (${snippet.lang}, run from ${snippet.dir}${snippet.needs.length ? `, needs ${snippet.needs.join(', ')}` : ''})`;
    try {
      const first = await runSnippet(snippet);
      report(true, label, first);
    } catch (error) {
      report(false, label, error.message);
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

/** Runs one snippet; resolves with its first output line, throws with why it failed. */
async function runSnippet(snippet) {
  const cwd = join(root, snippet.dir);
  if (!existsSync(cwd)) throw new Error(`folder ${snippet.dir} does not exist`);
  const command = RUNNERS[snippet.lang];
  if (!command) throw new Error(`no runner for a \`${snippet.lang}\` block (one of: ${Object.keys(RUNNERS).join(', ')})`);

  let script = snippet.file;
  let temporary;
  if (snippet.file) {
    const path = join(cwd, snippet.file);
    if (!existsSync(path)) throw new Error(`file=${snippet.file} does not exist in ${snippet.dir}`);
    if (readFileSync(path, 'utf8').trim() !== snippet.code.trim()) {
      throw new Error(`the block is not ${snippet.dir}/${snippet.file} verbatim: paste the file into the README again`);
    }
  } else {
    // In the snippet's folder, so its imports resolve as they would for the reader.
    script = `.readme-snippet-${process.pid}-${snippet.line}.${command === 'node' ? 'mjs' : 'sh'}`;
    temporary = join(cwd, script);
    writeFileSync(temporary, snippet.code);
  }

  const services = [];
  try {
    const env = { ...process.env };
    for (const need of snippet.needs) {
      const path = join(repo, 'scripts', 'readme-snippets', 'services', `${need}.mjs`);
      if (!existsSync(path)) throw new Error(`needs=${need}: no scripts/readme-snippets/services/${need}.mjs`);
      const service = await (await import(path)).start();
      services.push(service);
      Object.assign(env, service.env);
    }
    const args = command === 'bash' ? ['-euo', 'pipefail', script] : [script];
    const { stdout, stderr } = await run(command, args, { cwd, env, timeoutMs: TIMEOUT_MS });
    const firstLine = stdout.trim().split('\n')[0];
    if (!firstLine) throw new Error(`it printed nothing on stdout; a runnable snippet shows its reader a result${stderr.trim() ? `\nstderr:\n${stderr.trim()}` : ''}`);
    // What the reader sees is the result alone: a warning or notice on stderr is a defect to fix.
    if (stderr.trim()) throw new Error(`it exited 0 but wrote to stderr (warnings the reader would see):\n${tail(stderr)}`);
    return firstLine;
  } finally {
    if (temporary) rmSync(temporary, { force: true });
    for (const service of services.reverse()) await service.stop().catch(() => {});
  }
}
