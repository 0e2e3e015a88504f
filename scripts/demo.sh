#!/usr/bin/env bash
# Builds Syncwatch if needed and starts it on the embedded store with the run engine and demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
export PORT="${PORT:-3000}"
if [ ! -f .next/BUILD_ID ] || [ -n "$(find app components lib instrumentation.ts next.config.mjs -newer .next/BUILD_ID -type f -print -quit 2>/dev/null)" ]; then
  echo "[syncwatch] building the app (first start takes a minute or two)..."
  npx next build
fi
echo "[syncwatch] starting on http://localhost:${PORT}"
exec npx next start -p "$PORT" --keepAliveTimeout 65000
