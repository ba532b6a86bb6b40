// The runnable-snippet marker and its runner: what passes, and every way a snippet fails.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { extractSnippets } from '../readme-snippets/extract.mjs';
import { run } from '../lib/run.mjs';

const fence = '```';

test('a marker before a fence gives the folder, options, language and code', () => {
  const md = ['# x', '<!-- runnable: packages/store-redis file=examples/a.mjs needs=redis,softhsm -->', `${fence}js`, 'console.log(1);', fence, `${fence}js`, 'not marked', fence].join('\n');
  assert.deepEqual(extractSnippets(md), [
    { line: 2, dir: 'packages/store-redis', file: 'examples/a.mjs', needs: ['redis', 'softhsm'], lang: 'js', code: 'console.log(1);\n' },
  ]);
});

test('a marker shown inside a code block (documentation of the marker) is not a snippet', () => {
  const md = ['````md', '<!-- runnable: . -->', `${fence}js`, 'console.log(1);', fence, '````', '<!-- runnable: pkg -->', `${fence}sh`, 'echo 2', fence].join('\n');
  assert.deepEqual(extractSnippets(md).map((s) => [s.line, s.dir, s.code]), [[7, 'pkg', 'echo 2\n']]);
});

test('a malformed marker is an error naming its line', () => {
  assert.throws(() => extractSnippets('<!-- runnable: . colour=red -->\n```js\n```'), /line 1: unknown option "colour=red"/);
  assert.throws(() => extractSnippets('<!-- runnable: -->\n```js\n```'), /names no folder/);
  assert.throws(() => extractSnippets('<!-- runnable: . -->\ntext'), /must open a fenced code block/);
  assert.throws(() => extractSnippets('<!-- runnable: . -->\n```js\nx'), /never closed/);
});

const dir = mkdtempSync(join(tmpdir(), 'a1-snippets-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the runner passes a snippet that prints and exits; fails one that hangs, prints nothing, warns, or drifted from its file', async () => {
  mkdirSync(join(dir, 'pkg', 'examples'), { recursive: true });
  writeFileSync(join(dir, 'pkg', 'examples', 'ok.mjs'), "console.log('from the file');\n");
  const snippet = (where, code, lang = 'js') => [`<!-- runnable: ${where} -->`, `${fence}${lang}`, code, fence, ''].join('\n');
  writeFileSync(
    join(dir, 'README.md'),
    [
      snippet('pkg', "console.log('hello from', process.cwd().split('/').pop());"),
      snippet('pkg file=examples/ok.mjs', "console.log('from the file');"),
      snippet('.', 'echo from bash', 'sh'),
      snippet('.', 'setInterval(() => {}, 1000); // like a store never closed'),
      snippet('.', '// prints nothing'),
      snippet('.', "console.log('ok'); console.error('(node) Warning: something');"),
      snippet('pkg file=examples/ok.mjs', "console.log('an older copy');"),
      snippet('.', 'process.exit(3)'),
    ].join('\n'),
  );
  const runner = fileURLToPath(new URL('../readme-snippets.mjs', import.meta.url));
  const result = await run(process.execPath, [runner, '--root', dir], { env: { ...process.env, A1_SNIPPET_TIMEOUT_MS: '3000' } }).catch((error) => ({ stdout: error.message }));
  const out = result.stdout;
  assert.match(out, /^ok {3}README\.md:1 .*hello from pkg$/m);
  assert.match(out, /^ok {3}README\.md:6 .*from the file$/m);
  assert.match(out, /^ok {3}README\.md:11 .*from bash$/m);
  assert.match(out, /README\.md:16[\s\S]*timed out after 3000 ms/);
  assert.match(out, /README\.md:21[\s\S]*printed nothing/);
  assert.match(out, /README\.md:26[\s\S]*wrote to stderr[\s\S]*Warning: something/);
  assert.match(out, /README\.md:31[\s\S]*not pkg\/examples\/ok\.mjs verbatim/);
  assert.match(out, /README\.md:36[\s\S]*exit code 3/);
  assert.match(out, /^3 passed, 5 failed$/m);
});
