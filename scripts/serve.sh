#!/usr/bin/env bash
# Serve the demo with its task worker; stopping the server (Ctrl-C) stops both.
set -euo pipefail
port="${1:-8000}"
bin="$(dirname "$0")/../.venv/bin"

"$bin/python" manage.py db_worker --queue-name "*" --no-reload --interval 0.5 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM

echo "Serving on http://127.0.0.1:${port}/  (Ctrl-C to stop)"
"$bin/python" manage.py runserver "127.0.0.1:${port}" --noreload
