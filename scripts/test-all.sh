#!/usr/bin/env bash
# The whole test suite, from a fresh clone: `npm ci && npm test`.
# Installs what it needs (Chromium from Debian, the Prisma client, a production build), makes sure
# the local PostgreSQL server runs, then: typecheck, lint, format check, architecture rules, the
# generated OpenAPI examples (up to date), unit tests, API tests over
# HTTP on PGlite and on PostgreSQL (every answer checked against the served OpenAPI document, and
# the document linted), fault tests (kill -9, SIGTERM, a second process, terminated connections,
# two instances), the curl workflow script against a live server, Playwright end-to-end tests, and
# the benchmark harness at --scale small. Ends with one line "suite: N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CI="${CI:-true}"
REPORTS=.tmp/reports
rm -rf "$REPORTS" && mkdir -p "$REPORTS"
failed_steps=()

step() { echo; echo "=== $1"; }
run_step() { # name, command...
  local name="$1"; shift
  step "$name"
  local started=$SECONDS
  if "$@"; then echo "--- $name: ok ($((SECONDS - started)) s)"; else echo "--- $name: FAILED ($((SECONDS - started)) s)"; failed_steps+=("$name"); fi
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is missing: install Debian's chromium package (sudo apt-get install chromium)." >&2; return 1
  fi
}

ensure_postgres() {
  if command -v pg_lsclusters >/dev/null && ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  fi
  for _ in $(seq 1 20); do pg_isready -h 127.0.0.1 -p 5432 -q && return 0; sleep 1; done
  echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2; return 1
}

[ -d node_modules ] || npm ci
run_step "install Chromium" ensure_chromium
run_step "PostgreSQL server" ensure_postgres
run_step "Prisma client" npx prisma generate
run_step "typecheck" npx tsc --noEmit -p .
run_step "lint (ESLint)" npx eslint --max-warnings 0 .
run_step "format check (Prettier)" npx prettier --check .
run_step "architecture rules and import cycles (dependency-cruiser)" npm run --silent check:architecture
run_step "OpenAPI examples up to date (generated in process)" npm run --silent examples -- --check
run_step "unit tests" npx vitest run --project unit --reporter=default --reporter=json --outputFile="$REPORTS/unit.json"
run_step "production build" npx next build
run_step "API tests on PGlite" npx vitest run --project api --reporter=default --reporter=json --outputFile="$REPORTS/api-pglite.json"
run_step "API tests on PostgreSQL" env TEST_STORE=postgres npx vitest run --project api --reporter=default --reporter=json --outputFile="$REPORTS/api-postgres.json"
run_step "OpenAPI document lint (Redocly, recommended rules)" npx redocly lint "$REPORTS/openapi-pglite.json" --format=stylish
run_step "fault tests" npx vitest run --project faults --reporter=default --reporter=json --outputFile="$REPORTS/faults.json"
run_step "curl workflow against a live server" bash scripts/workflow-against-server.sh
run_step "end-to-end tests (Playwright, Chromium)" env PLAYWRIGHT_JSON_OUTPUT_NAME="$REPORTS/e2e.json" npx playwright test --reporter=list,json
run_step "benchmark harness (--scale small)" npm run bench -- --scale small

node scripts/summarise-tests.mjs "$REPORTS" "${#failed_steps[@]}"
if [ ${#failed_steps[@]} -gt 0 ]; then
  printf 'Failed steps: %s\n' "${failed_steps[*]}"
  exit 1
fi
