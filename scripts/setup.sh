# Sourced by scripts/serve and scripts/test: make sure everything the product
# needs is installed, system packages included, or stop naming what is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# --- system packages (Debian names) --------------------------------------
need_apt=()
command -v python3 >/dev/null || die "python3 (3.11 or newer) is missing: install it first"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || die "Python 3.11 or newer is needed; python3 is $(python3 --version 2>&1)"
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
pkg-config --exists icu-uc 2>/dev/null || need_apt+=(libicu-dev)
command -v g++ >/dev/null || need_apt+=(g++)
for extra in ${KB_SETUP_EXTRA_APT:-}; do
  case "$extra" in
    chromium) command -v chromium >/dev/null || need_apt+=(chromium)
              dpkg -s fonts-noto-core >/dev/null 2>&1 || need_apt+=(fonts-noto-core) ;;
    npm) command -v npm >/dev/null || need_apt+=(npm) ;;
    *) dpkg -s "$extra" >/dev/null 2>&1 || need_apt+=("$extra") ;;
  esac
done
if ((${#need_apt[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing system packages: ${need_apt[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null || die "apt-get update failed; install by hand: ${need_apt[*]}"
    apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null \
      || die "could not install: ${need_apt[*]}"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    say "installing system packages with sudo: ${need_apt[*]}"
    sudo -n apt-get update -qq >/dev/null && sudo -n apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null \
      || die "could not install: ${need_apt[*]}"
  else
    die "missing system packages: ${need_apt[*]} (install them, e.g. 'sudo apt-get install ${need_apt[*]}', and run again)"
  fi
fi

# --- Python environment ----------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  say "creating the virtual environment in .venv"
  python3 -m venv "$VENV" || die "could not create .venv (is python3-venv installed?)"
fi
stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ] || ! "$VENV/bin/python" -c 'import kb, whoosh, icu' 2>/dev/null; then
  say "installing Python packages (pip install -e '.[test]')"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
  "$VENV/bin/python" -m pip install -q -e '.[test]' || die "pip install failed (see above)"
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi
export PATH="$VENV/bin:$PATH"

# --- test-only JavaScript tools (axe-core for the accessibility checks) -----
if [[ " ${KB_SETUP_EXTRA_APT:-} " == *" npm "* ]] && [ ! -f node_modules/axe-core/axe.min.js ]; then
  say "installing axe-core (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null || die "npm ci failed (see above)"
fi
