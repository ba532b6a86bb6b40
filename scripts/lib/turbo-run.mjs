/**
 * Why a package's tests left no report: read from the run summary turbo writes with `--summarize`
 * (.turbo/runs/<id>.json: one entry per task that ran, with its exit code) and the run's captured
 * output (each line prefixed `<package>:<task>: `). A task that never ran is absent from the
 * summary, so "did not run" is explained by the failed build it needed.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The newest run summary under `root/.turbo/runs`, or undefined. */
export function latestRunSummary(root) {
  const dir = join(root, '.turbo', 'runs');
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return files[0] ? JSON.parse(readFileSync(files[0], 'utf8')) : undefined;
}

/** The last `lines` lines turbo printed for one task (`@a1/core#build`), colours removed. */
export function taskOutputTail(output, taskId, lines = 12) {
  const prefix = `${taskId.replace('#', ':')}: `;
  return stripAnsi(output ?? '')
    .split('\n')
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length))
    .filter((line) => line.trim() !== '' && !/^\s+at /.test(line)) // stack frames say where, not why
    .slice(-lines);
}

/**
 * One paragraph saying why `pkg`'s test task produced no report.
 * @param {{ name: string, workspaceDeps: (name: string) => string[], summary?: object, output?: string }} input
 */
export function whyNoReport({ name, workspaceDeps, summary, output }) {
  if (!summary) return 'no test report, and no turbo run summary (.turbo/runs) to say why: turbo itself did not finish; see its output above';
  const tasks = new Map((summary.tasks ?? []).map((t) => [t.taskId, t]));
  const failed = (task) => task?.execution && task.execution.exitCode !== 0;
  const explain = (task, what) => {
    const tail = taskOutputTail(output, task.taskId);
    const how = task.execution.error ?? `exit code ${task.execution.exitCode}`;
    return `${what} (${how})${tail.length ? `; its last lines:\n${indent(tail)}` : ''}`;
  };

  const test = tasks.get(`${name}#test`);
  if (test?.execution) {
    if (failed(test)) return explain(test, 'its test task failed before writing test-results.json');
    return 'its test task passed but wrote no test-results.json: is the json reporter in its vitest.config?';
  }
  // Never started: find the build it waited for — its own, or a workspace dependency's.
  const seen = new Set();
  const queue = [name];
  while (queue.length > 0) {
    const current = queue.shift();
    if (seen.has(current)) continue;
    seen.add(current);
    const build = tasks.get(`${current}#build`);
    if (failed(build)) return explain(build, current === name ? 'its tests did not run: its build failed' : `its tests did not run: the build of ${current}, which it needs, failed`);
    queue.push(...workspaceDeps(current));
  }
  return "its test task is not in turbo's run summary and no build it needs failed: turbo was stopped early, or the package was filtered out (see its output above)";
}

/** Tasks turbo ran that failed in packages no test report accounts for (a build of a package without tests). */
export function uncountedFailures(summary, countedPackages) {
  return (summary?.tasks ?? []).filter((t) => t.execution && t.execution.exitCode !== 0 && !countedPackages.has(t.package));
}

/** Workspace dependencies (any `workspace:` range) of each package, by name, from package.json files. */
export function workspaceGraph(packageJsons) {
  const byName = new Map();
  for (const pkg of packageJsons) {
    const deps = { ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies };
    byName.set(pkg.name, Object.keys(deps).filter((dep) => String(deps[dep]).startsWith('workspace:')));
  }
  return (name) => byName.get(name) ?? [];
}

function stripAnsi(text) {
  return text.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
}

function indent(lines) {
  return lines.map((line) => `    ${line}`).join('\n');
}
