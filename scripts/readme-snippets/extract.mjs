/**
 * Finds the README snippets marked runnable. The marker is an HTML comment (invisible on GitHub and
 * npm) on the line right before a fenced block:
 *
 *   <!-- runnable: packages/store-redis file=examples/replay-protection.mjs needs=redis -->
 *   ```js
 *   ...
 *   ```
 *
 * - the first word is the folder the snippet runs from, relative to the repository root (`.` for
 *   the root); the README's text must say the same;
 * - `file=` (optional): the block is that file verbatim (checked) and the file is what runs;
 *   without it the block itself runs, from a temporary file in that folder;
 * - `needs=` (optional, comma-separated): services started first, each giving the snippet its
 *   environment (scripts/readme-snippets/services/<name>.mjs);
 * - the fence's language picks the runner: js/mjs with node, sh/bash/shell with bash -e.
 */
const MARKER = /^<!--\s*runnable:\s*(.*?)\s*-->\s*$/;
const FENCE = /^(`{3,}|~{3,})\s*([\w-]*)/;

/** @returns {{ line: number, dir: string, file?: string, needs: string[], lang: string, code: string }[]} */
export function extractSnippets(markdown) {
  const lines = markdown.split('\n');
  const snippets = [];
  let openFence; // inside a code block a marker is text (an example of one, as in CONTRIBUTING.md)
  for (let i = 0; i < lines.length; i++) {
    const fenceHere = FENCE.exec(lines[i].trim());
    if (openFence) {
      if (fenceHere && fenceHere[1][0] === openFence[0] && fenceHere[1].length >= openFence.length && !fenceHere[2]) openFence = undefined;
      continue;
    }
    if (fenceHere) {
      openFence = fenceHere[1];
      continue;
    }
    const marker = MARKER.exec(lines[i].trim());
    if (!marker) continue;
    const where = `line ${i + 1}`;
    const [dir, ...options] = marker[1].split(/\s+/).filter(Boolean);
    if (!dir) throw new Error(`${where}: "runnable:" names no folder (use "." for the repository root)`);
    const settings = { needs: [] };
    for (const option of options) {
      const [key, value] = option.split('=');
      if (key === 'file' && value) settings.file = value;
      else if (key === 'needs' && value) settings.needs = value.split(',').filter(Boolean);
      else throw new Error(`${where}: unknown option "${option}" (file=PATH, needs=SERVICE[,SERVICE])`);
    }
    const fence = FENCE.exec(lines[i + 1] ?? '');
    if (!fence) throw new Error(`${where}: the line after a runnable marker must open a fenced code block`);
    const close = lines.findIndex((line, j) => j > i + 1 && line.trim() === fence[1]);
    if (close < 0) throw new Error(`${where}: the code block is never closed`);
    snippets.push({ line: i + 1, dir, ...settings, lang: fence[2].toLowerCase(), code: lines.slice(i + 2, close).join('\n') + '\n' });
    i = close;
  }
  return snippets;
}

export const RUNNERS = { js: 'node', mjs: 'node', javascript: 'node', sh: 'bash', bash: 'bash', shell: 'bash' };
