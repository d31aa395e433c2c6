#!/usr/bin/env bash
# Serve the demo with its task worker and the chain replay server (recorded
# blockchain responses, so the deposit tracer works offline); stopping the
# server (Ctrl-C) stops all three.
set -euo pipefail
port="${1:-8000}"
bin="$(dirname "$0")/../.venv/bin"

"$bin/python" manage.py db_worker --queue-name "*" --no-reload --interval 0.5 &
worker=$!
"$bin/python" manage.py chain_replay_server --port "${CHAIN_REPLAY_PORT:-8765}" &
replay=$!
trap 'kill "$worker" "$replay" 2>/dev/null || true' EXIT INT TERM

echo "Serving on http://127.0.0.1:${port}/  (Ctrl-C to stop)"
"$bin/python" manage.py runserver "127.0.0.1:${port}" --noreload
