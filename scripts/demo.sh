#!/usr/bin/env bash
# The README's main command: sets up the workspace and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/pnpm-env.sh
pnpm install --frozen-lockfile >/dev/null
pnpm run demo
