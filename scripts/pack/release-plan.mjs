/**
 * What `changeset version` does to versions, proven on a scratch copy of the workspace's
 * manifests and changesets config (never in the checkout itself): for a sample changeset,
 * only the touched packages and their dependents move, and no peer dependent is majored by a
 * release that stays inside its peer range.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../lib/run.mjs';

function versions(dir) {
  const out = {};
  for (const entry of readdirSync(join(dir, 'packages'))) {
    const file = join(dir, 'packages', entry, 'package.json');
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    out[manifest.name] = manifest;
  }
  return out;
}

/** Copies what changesets reads into `scratch`, adds `changeset`, runs `changeset version`, returns { before, after }. */
export async function versionInScratch(root, scratch, releases) {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(join(scratch, '.changeset'), { recursive: true });
  for (const file of ['package.json', 'pnpm-workspace.yaml']) cpSync(join(root, file), join(scratch, file));
  cpSync(join(root, '.changeset', 'config.json'), join(scratch, '.changeset', 'config.json'));
  for (const entry of readdirSync(join(root, 'packages'))) {
    const file = join(root, 'packages', entry, 'package.json');
    if (!existsSync(file)) continue;
    mkdirSync(join(scratch, 'packages', entry), { recursive: true });
    cpSync(file, join(scratch, 'packages', entry, 'package.json'));
  }
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'));
  const frontMatter = Object.entries(releases).map(([name, type]) => `"${name}": ${type}`).join('\n');
  writeFileSync(join(scratch, '.changeset', 'sample-release.md'), `---\n${frontMatter}\n---\n\nSample change for the release-plan check.\n`);
  const before = versions(scratch);
  await run(join(root, 'node_modules', '.bin', 'changeset'), ['version'], { cwd: scratch, timeoutMs: 120_000 });
  return { before, after: versions(scratch) };
}

/** Which packages moved, and how: name -> 'major' | 'minor' | 'patch'. */
export function bumps({ before, after }) {
  const out = {};
  for (const [name, manifest] of Object.entries(after)) {
    const from = before[name].version.split('.').map(Number);
    const to = manifest.version.split('.').map(Number);
    if (to[0] !== from[0]) out[name] = 'major';
    else if (to[1] !== from[1]) out[name] = 'minor';
    else if (to[2] !== from[2]) out[name] = 'patch';
  }
  return out;
}

/** Packages that list `name` in dependencies or peerDependencies (devDependencies never cause a release). */
export function dependentsOf(manifests, name) {
  return Object.values(manifests)
    .filter((m) => m.dependencies?.[name] !== undefined || m.peerDependencies?.[name] !== undefined)
    .map((m) => m.name);
}
