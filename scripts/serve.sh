#!/usr/bin/env bash
# Serve the demo with what runs beside it: the task worker, the scheduler of
# periodic tasks (SLA checks, index repair) and the chain replay server
# (recorded blockchain responses, so the deposit tracer works offline).
# Stopping the server (Ctrl-C) stops them all.
set -euo pipefail
port="${1:-8000}"
bin="$(dirname "$0")/../.venv/bin"

"$bin/python" manage.py db_worker --queue-name "*" --no-reload --interval 0.5 &
worker=$!
"$bin/python" manage.py scheduler &
scheduler=$!
"$bin/python" manage.py chain_replay_server --port "${CHAIN_REPLAY_PORT:-8765}" &
replay=$!
trap 'kill "$worker" "$scheduler" "$replay" 2>/dev/null || true' EXIT INT TERM

echo "Serving on http://127.0.0.1:${port}/  (Ctrl-C to stop)"
"$bin/python" manage.py runserver "127.0.0.1:${port}" --noreload
