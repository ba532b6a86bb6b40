#!/usr/bin/env bash
# The README's test command: sets up everything the tests need (pnpm, system services, the
# workspace), builds, runs every package's tests — all of them, whatever fails — plus the checks
# outside vitest, and ends with "N passed, N failed, N skipped". A package whose tests did not run
# counts as a failure, and the summary says why.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/pnpm-env.sh

# System services the suites use (SoftHSM2, Redis, PostgreSQL, Chromium, ...): every
# scripts/ensure-*.sh, each installing with apt when it can and saying so when not.
for need in scripts/ensure-*.sh; do
  [ -f "$need" ] || continue
  echo "setup: $need"
  bash "$need" || echo "setup: $need could not prepare its dependency (its suite will say more)"
done

# Progress stays visible: a slow first install on a fresh machine must show it is moving.
pnpm install --frozen-lockfile || { echo "setup: pnpm install failed (see above)"; echo "0 passed, 1 failed"; exit 1; }

rm -f packages/*/test-results.json
rm -rf .reports .turbo/runs
mkdir -p .reports
# Build and test every package; --continue runs every test task whose builds succeeded, and
# --summarize records each task's exit code, which the summary uses to say why a report is missing.
pnpm exec turbo run build test --concurrency=1 --continue=dependencies-successful --summarize 2>&1 | tee .reports/turbo-test.out
status=${PIPESTATUS[0]}

# Beyond the unit tests: the browser size budget of @a1/core, the packaging test (every package
# packed and installed alone with npm, the way users get it), every README snippet marked runnable
# (scripts/readme-snippets.mjs), and the tests of these scripts.
# Each ends with "N passed, N failed", which joins the summary line.
node scripts/size-budget.mjs 2>&1 | tee .reports/size-budget.log
node scripts/pack-test.mjs 2>&1 | tee .reports/packaging.log
node scripts/readme-snippets.mjs 2>&1 | tee .reports/readme-snippets.log
node scripts/self-test.mjs 2>&1 | tee .reports/scripts.log
# The summary counts every failed turbo task too, so its verdict stands for the whole run.
echo "turbo exited $status"
node scripts/sum-test-results.mjs
