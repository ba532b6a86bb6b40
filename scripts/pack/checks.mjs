/**
 * The pack test's own check counter: every check prints one `ok` / `FAIL` line and the run
 * ends with `N passed, N failed` (what CI's summary reads).
 */
export class Checks {
  passed = 0;
  failed = 0;
  failures = [];

  /** Runs `fn`; a thrown error fails the check. `fn` may return a short note to print. */
  async run(name, fn) {
    const started = Date.now();
    try {
      const note = await fn();
      this.passed += 1;
      console.log(`ok   ${name}${note ? ` — ${note}` : ''} (${seconds(started)})`);
      return true;
    } catch (error) {
      this.failed += 1;
      const message = error instanceof Error ? error.message : String(error);
      this.failures.push(name);
      console.log(`FAIL ${name} (${seconds(started)})\n${indent(message)}`);
      return false;
    }
  }

  /** Records a check that could not run, as a failure with a reason. */
  fail(name, reason) {
    this.failed += 1;
    this.failures.push(name);
    console.log(`FAIL ${name}\n${indent(reason)}`);
  }

  summary() {
    return `${this.passed} passed, ${this.failed} failed`;
  }
}

function seconds(started) {
  return `${((Date.now() - started) / 1000).toFixed(1)}s`;
}

function indent(text) {
  return text
    .split('\n')
    .map((line) => `     ${line}`)
    .join('\n');
}

/** Runs async tasks with at most `limit` in flight. */
export async function inParallel(items, limit, task) {
  const queue = [...items];
  const workers = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    while (queue.length > 0) await task(queue.shift());
  });
  await Promise.all(workers);
}
