#!/usr/bin/env bash
# Installs everything clinic_app needs on a Debian/Ubuntu machine, idempotently:
# the system libraries Qt needs (and the tools the tests use), a virtual
# environment in .venv with the project and its test tools, and the compiled
# translations. Sourced by scripts/demo and scripts/test.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SYSTEM_PACKAGES=(
  # Qt 6 (PySide6) on X11 / offscreen
  libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-image0 libxcb-xkb1 libx11-xcb1 libglib2.0-0
  # a virtual screen for machines without one; PDF pages to images; QR decoding in tests
  xvfb xauth poppler-utils zbar-tools
  # PostgreSQL client (central's production database)
  postgresql-client
)

install_system_packages() {
  command -v dpkg-query >/dev/null 2>&1 || { echo "install: not a Debian system; install Qt's libraries yourself" >&2; return 0; }
  local missing=()
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "install: missing system packages (${missing[*]}) and no sudo" >&2; return 1; }
    sudo="sudo"
  fi
  echo "install: system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

install_python_env() {
  local python="${PYTHON:-python3}"
  "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "install: Python 3.11 or newer is needed ($python is older)" >&2; return 1; }
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  .venv/bin/python -m clinic_app.ui.i18n compile
}

install_system_packages
install_python_env
