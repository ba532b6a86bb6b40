#!/usr/bin/env bash
# Make sure SoftHSM2 (and OpenSC's pkcs11-tool, handy for inspecting tokens) are installed, so the
# @a1/signer-pkcs11 tests run against a real PKCS#11 token instead of skipping.
# Installs with apt-get only when something is missing and we are root; says what it did;
# exits non-zero when SoftHSM2 is still missing afterwards.
set -uo pipefail

log() { printf 'ensure-softhsm: %s\n' "$*"; }

find_module() {
  local candidate
  for candidate in \
    /usr/lib/softhsm/libsofthsm2.so \
    /usr/lib/"$(uname -m)"-linux-gnu/softhsm/libsofthsm2.so \
    /usr/local/lib/softhsm/libsofthsm2.so \
    /usr/lib64/softhsm/libsofthsm2.so \
    /usr/lib64/pkcs11/libsofthsm2.so; do
    if [ -f "$candidate" ]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

# softhsm2 is required; opensc (pkcs11-tool, for inspecting tokens by hand) is nice to have.
required=()
optional=()
find_module >/dev/null && command -v softhsm2-util >/dev/null 2>&1 || required+=(softhsm2)
command -v pkcs11-tool >/dev/null 2>&1 || optional+=(opensc)

if [ ${#required[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ]; then
  log "already installed: $(find_module), $(command -v softhsm2-util), $(command -v pkcs11-tool)"
  exit 0
fi

log "missing: ${required[*]-} ${optional[*]-}"
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  if [ ${#required[@]} -eq 0 ]; then
    log "SoftHSM2 is installed ($(find_module)); skipping optional ${optional[*]} (not root or no apt-get)"
    exit 0
  fi
  log "cannot install as $(id -un) without apt-get/root; install SoftHSM2 >= 2.6 yourself, e.g. sudo apt-get install -y softhsm2"
  exit 1
fi

apt() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 -qq "$@"; }

log "apt-get update"
apt update || { log "apt-get update failed"; [ ${#required[@]} -eq 0 ] && exit 0; exit 1; }
if [ ${#required[@]} -gt 0 ]; then
  log "apt-get install ${required[*]}"
  apt install -y --no-install-recommends "${required[@]}" || { log "apt-get install ${required[*]} failed"; exit 1; }
fi
if [ ${#optional[@]} -gt 0 ]; then
  log "apt-get install ${optional[*]} (optional)"
  apt install -y --no-install-recommends "${optional[@]}" || log "optional ${optional[*]} not installed; continuing"
fi

if ! module=$(find_module) || ! command -v softhsm2-util >/dev/null 2>&1; then
  log "SoftHSM2 is still missing after apt-get install"
  exit 1
fi
log "ready: $module, $(command -v softhsm2-util) ($(softhsm2-util --version))"
command -v pkcs11-tool >/dev/null 2>&1 && log "ready: $(command -v pkcs11-tool)"
exit 0
