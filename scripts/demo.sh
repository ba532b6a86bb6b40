#!/usr/bin/env bash
# The README's main command: sets up the workspace and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pnpm-env.sh
# SoftHSM2 lets the demo show the PKCS#11 backend too; without it the demo says so and goes on.
bash scripts/ensure-softhsm.sh >/dev/null 2>&1 || echo "setup: SoftHSM2 not available; the demo will skip PKCS#11"
pnpm install --frozen-lockfile >/dev/null
pnpm run demo
