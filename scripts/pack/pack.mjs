/**
 * `pnpm pack` of every publishable workspace package (pnpm rewrites `workspace:` ranges the way
 * `pnpm publish` does), plus the checks on each tarball's manifest and contents.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { run } from '../lib/run.mjs';

/** Every package under packages/ that is not private: { name, dir, manifest }. */
export function publishablePackages(root) {
  const packagesDir = join(root, 'packages');
  return readdirSync(packagesDir)
    .filter((entry) => existsSync(join(packagesDir, entry, 'package.json')))
    .map((entry) => {
      const dir = join(packagesDir, entry);
      return { name: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name, dir };
    })
    .filter(({ dir }) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private !== true)
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Packs one package into `destination`; returns { tarball, bytes, files, manifest }. */
export async function packPackage(pkg, destination) {
  const { stdout } = await run('pnpm', ['pack', '--pack-destination', destination, '--json'], { cwd: pkg.dir, timeoutMs: 120_000 });
  const report = JSON.parse(stdout.slice(stdout.indexOf('{')));
  const tarball = report.filename;
  const entries = readTar(gunzipSync(readFileSync(tarball)));
  const manifest = JSON.parse(entries.get('package/package.json'));
  return { tarball, bytes: statSync(tarball).size, unpackedBytes: [...entries.values()].reduce((n, b) => n + b.length, 0), files: [...entries.keys()].map((f) => f.replace(/^package\//, '')), manifest };
}

/**
 * What every published manifest must have: no `workspace:` range left, an exports map whose
 * every target is in the tarball, types for each condition, the metadata fields, and no
 * sources, tests or configs in the tarball.
 */
export function checkPackedManifest(packed) {
  const { manifest, files } = packed;
  const problems = [];
  const text = JSON.stringify(manifest);
  if (text.includes('workspace:')) problems.push('a workspace: range survived packing');
  for (const field of ['description', 'license', 'repository', 'keywords', 'engines', 'publishConfig', 'exports', 'files']) {
    if (manifest[field] === undefined) problems.push(`missing "${field}"`);
  }
  if (manifest.sideEffects !== false) problems.push('"sideEffects" is not false');
  if (!files.includes('README.md')) problems.push('README.md is not in the tarball');
  const targets = [];
  collectTargets(manifest.exports?.['.'], [], targets);
  const conditions = new Set(targets.map((t) => t.path[0]));
  if (!targets.some((t) => t.path.includes('types'))) problems.push('exports["."] has no "types" condition');
  if (!conditions.has('import')) problems.push('exports["."] has no "import" condition');
  for (const { path, target } of targets) {
    if (!files.includes(target.replace(/^\.\//, ''))) problems.push(`exports["."].${path.join('.')} -> ${target} is not in the tarball`);
  }
  for (const bin of Object.values(typeof manifest.bin === 'string' ? { bin: manifest.bin } : (manifest.bin ?? {}))) {
    if (!files.includes(bin.replace(/^\.\//, ''))) problems.push(`bin ${bin} is not in the tarball`);
  }
  const stray = files.filter((f) => /^(src|test|tests|bench)\//.test(f) || /(^|\/)(tsconfig|vitest\.config|tsup\.config)[^/]*$/.test(f));
  if (stray.length > 0) problems.push(`sources/tests/configs in the tarball: ${stray.slice(0, 5).join(', ')}`);
  return problems;
}

function collectTargets(node, path, out) {
  if (typeof node === 'string') out.push({ path, target: node });
  else if (node && typeof node === 'object') for (const [key, value] of Object.entries(node)) collectTargets(value, [...path, key], out);
}

/** A minimal ustar reader: file name -> contents (the tarballs pnpm writes are plain ustar). */
function readTar(buffer) {
  const entries = new Map();
  let offset = 0;
  while (offset + 512 <= buffer.length) {
    const header = buffer.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, length) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    if (type === '0' || type === '') entries.set(name, buffer.subarray(offset + 512, offset + 512 + size));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

export function formatBytes(bytes) {
  return bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;
}
