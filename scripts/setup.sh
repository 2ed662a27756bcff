# Shared set-up for scripts/serve and scripts/test; sourced, not run.
# Creates .venv with Python 3.12 and installs the project into it when needed.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

find_python312() {
  local candidate
  for candidate in "${SIMPUL_PYTHON:-}" python3.12 \
      "$HOME"/.pyenv/versions/3.12*/bin/python3.12 \
      /root/.pyenv/versions/3.12*/bin/python3.12 \
      /usr/local/bin/python3.12 /usr/bin/python3.12; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys; assert sys.version_info[:2] >= (3, 12)' \
        >/dev/null 2>&1; then
      command -v "$candidate" || echo "$candidate"
      return 0
    fi
  done
  return 1
}

ensure_venv() {
  # $1: the pip extra to install, e.g. "test" (optional)
  local extra="${1:-}" spec="$ROOT" stamp
  [ -n "$extra" ] && spec="$ROOT[$extra]"
  if [ ! -x "$VENV/bin/python" ]; then
    local py
    if ! py="$(find_python312)"; then
      echo "Python 3.12 or newer is needed (pygeoapi 0.24 requires it)." >&2
      echo "Install it, or set SIMPUL_PYTHON=/path/to/python3.12." >&2
      exit 1
    fi
    echo "Creating $VENV with $py" >&2
    "$py" -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
  fi
  stamp="$VENV/.installed${extra:+-$extra}"
  if [ ! -f "$stamp" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
    echo "Installing the project into $VENV" >&2
    "$VENV/bin/python" -m pip install --quiet -e "$spec"
    touch "$stamp"
  fi
}
