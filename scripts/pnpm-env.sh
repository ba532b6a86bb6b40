# Sourced by the setup scripts: puts pnpm 10.34.9 on PATH, fetching it through npm when missing.
# (corepack's signature check fails on this Node, and pnpm 11 needs Node 22.)
PNPM_VERSION=10.34.9
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION with npm"
  if npm install -g --no-fund --no-audit "pnpm@$PNPM_VERSION" && [ "$(pnpm --version 2>/dev/null)" = "$PNPM_VERSION" ]; then
    echo "setup: installed pnpm $PNPM_VERSION with npm"
  else
    # No global install rights: a shim that runs pnpm through npx (turbo calls `pnpm` by name).
    shim_dir="$(pwd)/.tools/bin"
    mkdir -p "$shim_dir"
    printf '#!/usr/bin/env bash\nexec npx -y pnpm@%s "$@"\n' "$PNPM_VERSION" >"$shim_dir/pnpm"
    chmod +x "$shim_dir/pnpm"
    export PATH="$shim_dir:$PATH"
    echo "setup: using pnpm $PNPM_VERSION through npx"
  fi
fi
