#!/usr/bin/env bash
# The fast gate to run before each commit (`npm run check`): typecheck, ESLint, Prettier's check and
# the architecture rules (dependency-cruiser) side by side, then the unit tests. ESLint and Prettier
# keep caches under .tmp/ and node_modules/.cache, so a second run looks only at what changed.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

names=(typecheck eslint prettier architecture)
npx tsc --noEmit -p . >"$logs/typecheck" 2>&1 &
npx eslint --max-warnings 0 --cache --cache-location .tmp/eslintcache . >"$logs/eslint" 2>&1 &
npx prettier --check --cache --log-level warn . >"$logs/prettier" 2>&1 &
npm run --silent check:architecture >"$logs/architecture" 2>&1 &
pids=($(jobs -p))

failed=()
for i in "${!names[@]}"; do
  if wait "${pids[$i]}"; then
    echo "ok      ${names[$i]}"
  else
    echo "FAILED  ${names[$i]}"
    cat "$logs/${names[$i]}"
    failed+=("${names[$i]}")
  fi
done
npx vitest run --project unit || failed+=("unit tests")

echo "check: $((SECONDS - started)) s"
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
