#!/usr/bin/env bash
# Starts a production server on a fresh embedded store, runs scripts/workflow.sh (trigger → poll
# → stats → every item page, with curl) against it, and stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${WORKFLOW_PORT:-3210}"
DATA_DIR="$(mktemp -d "${TMPDIR:-/tmp}/syncwatch-workflow.XXXXXX")"
KEY="sw_workflow_$(node -e 'console.log(require("crypto").randomBytes(18).toString("hex"))')"
LOG="$DATA_DIR/server.log"
SYNCWATCH_DATA_DIR="$DATA_DIR/store" SYNCWATCH_ADMIN_API_KEY="$KEY" SYNCWATCH_ENGINE_AUTORUN=off \
  SYNCWATCH_DEMO_HISTORY=off SYNCWATCH_SPEED="${SYNCWATCH_SPEED:-20}" SYNCWATCH_SCALE=small PORT="$PORT" \
  NEXT_TELEMETRY_DISABLED=1 setsid npx next start -p "$PORT" >"$LOG" 2>&1 &
SERVER=$!
# npx starts next-server as a child: stop the whole process group, not only npx.
cleanup() { kill -- -"$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -rf "$DATA_DIR"; }
trap cleanup EXIT
# Ready once the run engine has written its configuration (it does so after the server answers):
# a connected system with a run profile, which the workflow triggers.
for _ in $(seq 1 120); do
  systems=$(curl -fsS -H "X-Api-Key: $KEY" "http://127.0.0.1:$PORT/api/v1/connected-systems" 2>/dev/null || true)
  [[ "$systems" == *'"runProfiles":[{'* ]] && break
  kill -0 "$SERVER" 2>/dev/null || { echo "server exited:"; cat "$LOG"; exit 1; }
  sleep 1
done
BASE_URL="http://127.0.0.1:$PORT" SYNCWATCH_API_KEY="$KEY" bash scripts/workflow.sh
