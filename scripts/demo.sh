#!/usr/bin/env bash
# The README's main command: sets up the workspace and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pnpm-env.sh
# SoftHSM2 lets the demo show the PKCS#11 backend too; without it the demo says so and goes on.
bash scripts/ensure-softhsm.sh >/dev/null 2>&1 || echo "setup: SoftHSM2 not available; the demo will skip PKCS#11"
# The install's own progress stays visible: on a fresh machine it is most of the wait.
echo "setup: pnpm install (first run downloads the dependencies; progress below)"
pnpm install --frozen-lockfile --reporter=append-only
pnpm run demo
