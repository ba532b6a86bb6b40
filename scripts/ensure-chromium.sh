#!/usr/bin/env bash
# Make sure a real Chromium (Debian's `chromium` package, /usr/bin/chromium) is installed, so the
# runtime matrix and the chain inspector tests drive a real headless browser through
# playwright-core instead of failing. Playwright's own browser downloads are never used.
# Installs with apt-get only when missing and we are root; exits non-zero when still missing.
set -euo pipefail

log() { printf 'ensure-chromium: %s\n' "$*"; }
CHROMIUM=${A1_CHROMIUM:-/usr/bin/chromium}

if [ -x "$CHROMIUM" ]; then
  log "already installed: $CHROMIUM ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi

log "missing: $CHROMIUM"
if [ "$(id -u)" -ne 0 ]; then
  log "not root; install it yourself: sudo apt-get install -y chromium"
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  log "no apt-get on this system; install Chromium and set A1_CHROMIUM to its executable"
  exit 1
fi

# Several helpers may run apt at once; dpkg allows only one.
log "apt-get update && apt-get install -y --no-install-recommends chromium (under flock /tmp/a1-apt.lock)"
status=0
flock /tmp/a1-apt.lock bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core' || status=$?
if [ "$status" -ne 0 ]; then
  log "apt-get install failed (exit $status)"
  exit 1
fi
if [ ! -x "$CHROMIUM" ]; then
  log "$CHROMIUM is still missing after apt-get install"
  exit 1
fi
log "installed: $CHROMIUM ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown'))"
