#!/usr/bin/env bash
# The README's test command: sets up everything the tests need (pnpm, system packages, the
# workspace), builds, runs every package's tests, and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/pnpm-env.sh

# System services the suites use; each script installs with apt when it can and says so when not.
for need in scripts/ensure-softhsm.sh scripts/ensure-redis.sh; do
  [ -f "$need" ] && { bash "$need" || echo "setup: $need could not prepare its dependency (its suite will say more)"; }
done

pnpm install --frozen-lockfile || exit 1
rm -f packages/*/test-results.json; rm -rf .reports
pnpm run build || { echo "0 passed, 1 failed"; exit 1; }
pnpm run test
status=$?
# Beyond the unit tests: the browser size budget of @a1/core, and the packaging test (every package
# packed and installed alone with npm, the way users get it). Their counts join the summary line.
mkdir -p .reports
node scripts/size-budget.mjs | tee .reports/size-budget.log
node scripts/pack-test.mjs | tee .reports/packaging.log
node scripts/sum-test-results.mjs
summary=$?
[ "$status" -eq 0 ] && [ "$summary" -eq 0 ]
