# Sourced by scripts/serve and scripts/test with what the caller needs:
#   source scripts/setup.sh serve   # what serving needs: pip install -e .
#   source scripts/setup.sh test    # everything: pip install -e '.[test]', Chromium, fonts, npm, axe-core, Lighthouse, PostgreSQL
# Makes sure it is all installed, system packages included (as root with
# apt-get, otherwise with passwordless sudo), or stops naming every missing
# package and the command that installs them.
set -euo pipefail
KB_SETUP_FOR=${1:-serve}
case "$KB_SETUP_FOR" in
  serve | test) ;;
  *) printf 'setup: unknown set-up %q (use serve or test)\n' "$KB_SETUP_FOR" >&2; exit 2 ;;
esac
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
VENV="$ROOT/.venv"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

# --- system packages (Debian names) --------------------------------------
command -v python3 >/dev/null || die "python3 (3.11 or newer) is missing: install it first"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || die "Python 3.11 or newer is needed; python3 is $(python3 --version 2>&1)"

installed() { # installed PACKAGE: dpkg knows it as installed
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}
has_python_h() { # the headers PyICU's build includes, where this Python looks for them
  python3 -c 'import os, sys, sysconfig
sys.exit(not os.path.isfile(os.path.join(sysconfig.get_paths()["include"], "Python.h")))'
}
has_icu_dev() {
  if command -v pkg-config >/dev/null; then pkg-config --exists icu-uc; else installed libicu-dev; fi
}

has_postgresql() { # initdb and pg_ctl, where scripts/postgres.py looks for them
  compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || { command -v pg_ctl && command -v initdb; } >/dev/null
}

missing_packages() { # prints the Debian packages still missing, one per line
  python3 -c 'import venv, ensurepip' 2>/dev/null || echo python3-venv
  has_python_h || echo python3-dev
  command -v pkg-config >/dev/null || echo pkg-config
  has_icu_dev 2>/dev/null || echo libicu-dev
  command -v g++ >/dev/null || echo g++
  if [ "$KB_SETUP_FOR" = test ]; then
    command -v chromium >/dev/null || echo chromium
    installed fonts-noto-core || echo fonts-noto-core
    command -v npm >/dev/null || echo npm
    has_postgresql || echo postgresql
  fi
}

mapfile -t need_apt < <(missing_packages)
if ((${#need_apt[@]})); then
  packages="${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  install_with() { # install_with [sudo -n]: apt-get update (a fresh machine has no package lists), then install
    "$@" apt-get update -qq >/dev/null || die "apt-get update failed (see above); the missing packages are: $packages"
    "$@" apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null \
      || die "could not install: $packages (see above)"
  }
  if ! command -v apt-get >/dev/null; then
    die "missing system packages (Debian names): $packages; install them with your system's package manager and run $0 again"
  elif [ "$(id -u)" = 0 ]; then
    say "installing system packages: $packages"
    install_with
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    say "installing system packages with sudo: $packages"
    install_with sudo -n
  elif command -v sudo >/dev/null; then
    die "missing system packages: $packages; install them with" \
      "'sudo apt-get update && sudo apt-get install -y $packages' (or the same as root, without sudo) and run $0 again"
  else
    die "missing system packages: $packages; install them as root with" \
      "'apt-get update && apt-get install -y $packages' and run $0 again"
  fi
  mapfile -t still < <(missing_packages)
  ((${#still[@]} == 0)) || die "still missing after installing: ${still[*]}"
fi

# --- Python environment ----------------------------------------------------
# One stamp per pyproject.toml, holding the extra installed: "serve" (pip
# install -e .) or "test" (pip install -e '.[test]', which serving needs too).
if [ ! -x "$VENV/bin/python" ]; then
  say "creating the virtual environment in .venv"
  python3 -m venv "$VENV" || die "could not create .venv (is python3-venv installed?)"
fi
stamp="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
installed_for=$(cat "$stamp" 2>/dev/null || true)
if [ "$KB_SETUP_FOR" = test ]; then
  spec='.[test]'; check='import kb, whoosh, icu, pytest, hypothesis, playwright, ruff'
  [ "$installed_for" = test ] || installed_for=
else
  spec='.'; check='import kb, whoosh, icu'
fi
if [ -z "$installed_for" ] || ! "$VENV/bin/python" -c "$check" 2>/dev/null; then
  say "installing Python packages (pip install -e '$spec')"
  "$VENV/bin/python" -m pip install -q --upgrade pip >/dev/null || die "could not upgrade pip (see above)"
  # The flat layout's editable install prints a notice on every install; it is silenced, nothing else is.
  PYTHONWARNINGS='ignore:Editable installation' "$VENV/bin/python" -m pip install -q -e "$spec" \
    || die "pip install -e '$spec' failed (see above)"
  rm -f "$VENV"/.installed-*
  echo "$KB_SETUP_FOR" >"$stamp"
fi
export PATH="$VENV/bin:$PATH"

# --- test-only JavaScript tools (package.json: axe-core, Lighthouse) ---------
if [ "$KB_SETUP_FOR" = test ] && { [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/lighthouse/package.json ]; }; then
  say "installing axe-core and Lighthouse (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null || die "npm ci failed (see above)"
fi
