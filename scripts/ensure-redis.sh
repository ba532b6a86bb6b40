#!/usr/bin/env bash
# Make sure redis-server is installed, so the @a1/store-redis tests run against a real Redis
# instead of skipping. The tests start their own private instance (loopback, temp dir, no
# persistence); this script only installs the binary and never starts a system service.
# Installs with apt-get only when missing and we are root; exits non-zero when still missing.
set -euo pipefail

log() { printf 'ensure-redis: %s\n' "$*"; }

version() { redis-server --version | head -n1; }

if command -v redis-server >/dev/null 2>&1; then
  log "already installed: $(command -v redis-server) ($(version))"
  exit 0
fi

log "missing: redis-server"
if [ "$(id -u)" -ne 0 ]; then
  log "not root; install it yourself: sudo apt-get install -y redis-server"
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  log "no apt-get on this system; install redis-server (>= 6) with your package manager"
  exit 1
fi

log "apt-get update"
apt-get update -qq
log "apt-get install -y --no-install-recommends redis-server"
# policy-rc.d 101 keeps the package's post-install from starting a system service we never use.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi
status=0
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server || status=$?
if [ "$status" -ne 0 ]; then
  log "apt-get install failed (exit $status)"
  exit 1
fi

if ! command -v redis-server >/dev/null 2>&1; then
  log "redis-server is still missing after apt-get install"
  exit 1
fi
log "installed: $(command -v redis-server) ($(version))"
exit 0
