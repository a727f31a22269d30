#!/usr/bin/env bash
# Shared set-up for the demo and the tests: Debian packages when missing (as root), a virtual
# environment in .venv with OneWindow installed editable, and compiled translations.
# Safe to run again; it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV="${ONEWINDOW_VENV:-$ROOT/.venv}"

need_debs=()
have_deb() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "ok installed"; }
if command -v dpkg-query >/dev/null 2>&1; then
  # CJK TrueType font (printing, screens), poppler (PDF checks), Qt's runtime libraries,
  # espeak-ng (the display's local voice), Xvfb + xdotool (the demo on a machine with no screen),
  # chromium (the back-office page loaded by a real headless browser in tests/server).
  for p in fonts-wqy-microhei poppler-utils libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 \
           libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 \
           libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 espeak-ng xvfb xauth xdotool chromium; do
    have_deb "$p" || need_debs+=("$p")
  done
  if ! python3 -c "import ensurepip" >/dev/null 2>&1; then need_debs+=(python3-venv); fi
fi
if [ ${#need_debs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing Debian packages: ${need_debs[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_debs[@]}" >&2
  else
    echo "Note: these Debian packages are missing and this is not root: ${need_debs[*]}" >&2
  fi
fi

PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
  echo "OneWindow needs Python 3.11 or newer ($("$PY" --version) found)" >&2; exit 1; }
if [ ! -x "$VENV/bin/python" ]; then
  "$PY" -m venv "$VENV"
fi
stamp="$VENV/.onewindow-installed"
# The stamp names the checkout the venv's editable install points at. A venv borrowed from another
# checkout (ONEWINDOW_VENV=…/other/.venv) is used as it is: installing this checkout into it
# would silently point the other checkout's programs at this one's code. scripts/demo puts its
# own checkout first on PYTHONPATH, so it runs its own code anyway.
owner=$(cat "$stamp" 2>/dev/null || true)
if [ -n "$owner" ] && [ "$owner" != "$ROOT" ]; then
  echo "Using the virtual environment of $owner (not reinstalling it for $ROOT)" >&2
elif [ ! -f "$stamp" ] || [ setup.cfg -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  "$VENV/bin/python" -m pip install -q --upgrade pip >&2
  "$VENV/bin/python" -m pip install -q -e ".[test,server]" >&2
  echo "$ROOT" > "$stamp"
fi
"$VENV/bin/python" scripts/build_translations.py >&2
