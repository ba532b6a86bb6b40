#!/usr/bin/env bash
# Make sure the PostgreSQL server binaries (Debian's `postgresql` package) are installed, so the
# @a1/store-postgres tests run against a real server instead of failing or skipping. The tests
# start their own private cluster per test file (initdb into a temp dir, pg_ctl on a free loopback
# port) and remove it after; this script never starts or configures a system service.
# PostgreSQL refuses to run as root, so when we are root it also makes sure a non-root system user
# exists to run the test clusters as (Debian's `postgres`, else a dedicated `a1pg`).
# Installs with apt-get only when missing and we are root; exits non-zero when still missing.
set -euo pipefail

log() { printf 'ensure-postgres: %s\n' "$*"; }

# The newest /usr/lib/postgresql/<ver>/bin holding initdb, pg_ctl and postgres (Debian keeps them
# off PATH), else the directory of an initdb found on PATH.
find_bindir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
      printf '%s\n' "$dir"
      return 0
    fi
  done
  if command -v initdb >/dev/null 2>&1; then
    dir=$(dirname "$(readlink -f "$(command -v initdb)")")
    if [ -x "$dir/pg_ctl" ] && [ -x "$dir/postgres" ]; then
      printf '%s\n' "$dir"
      return 0
    fi
  fi
  return 1
}

ensure_runtime_user() {
  [ "$(id -u)" -eq 0 ] || return 0
  if id -u postgres >/dev/null 2>&1; then
    log "test clusters run as the system user 'postgres'"
  elif id -u a1pg >/dev/null 2>&1; then
    log "test clusters run as the system user 'a1pg'"
  else
    log "creating the system user 'a1pg' to run test clusters (PostgreSQL refuses to run as root)"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin a1pg
  fi
}

if bindir=$(find_bindir); then
  log "already installed: $bindir ($("$bindir/postgres" --version))"
  ensure_runtime_user
  exit 0
fi

log "missing: PostgreSQL server binaries (initdb, pg_ctl, postgres)"
if [ "$(id -u)" -ne 0 ]; then
  log "not root; install them yourself: sudo apt-get install -y postgresql"
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  log "no apt-get on this system; install the PostgreSQL server (>= 12) with your package manager"
  exit 1
fi

# policy-rc.d 101 keeps the package's post-install from starting a system service we never use.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi
# Several helpers may run apt at once; dpkg allows only one.
log "apt-get update && apt-get install -y --no-install-recommends postgresql (under flock /tmp/a1-apt.lock)"
status=0
flock /tmp/a1-apt.lock bash -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql' || status=$?
if [ "$status" -ne 0 ]; then
  log "apt-get install failed (exit $status)"
  exit 1
fi

if ! bindir=$(find_bindir); then
  log "PostgreSQL server binaries are still missing after apt-get install"
  exit 1
fi
log "installed: $bindir ($("$bindir/postgres" --version))"
ensure_runtime_user
exit 0
