#!/usr/bin/env bash
# Seed 001's monitoring workflow with curl alone (node only parses JSON; jq may be absent):
# list connected systems → trigger a run profile → poll the activity until it ends → stats →
# every page of execution items, checking the number of items equals the envelope's totalCount.
#
#   BASE_URL=http://localhost:3000 SYNCWATCH_API_KEY=sw_... bash scripts/workflow.sh [connectedSystemId runProfileId]
#
# Exits non-zero on any failure.
set -euo pipefail
BASE_URL="${BASE_URL:-http://localhost:3000}"
API="$BASE_URL/api/v1"
KEY="${SYNCWATCH_API_KEY:?set SYNCWATCH_API_KEY to an Administrator API key}"
TIMEOUT="${WORKFLOW_TIMEOUT_SECONDS:-600}"
PAGE_SIZE="${WORKFLOW_PAGE_SIZE:-100}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

fail() { echo "workflow: FAILED: $*" >&2; exit 1; }

# call METHOD PATH [expected-status]: body to $TMP/body, fails on another status.
call() {
  local method="$1" path="$2" expected="${3:-200}" status
  status=$(curl -sS -o "$TMP/body" -w '%{http_code}' -X "$method" -H "X-Api-Key: $KEY" -H "Accept: application/json" \
    ${4:+-H "Content-Type: application/json" --data "$4"} "$API$path") || fail "$method $path: curl error"
  [ "$status" = "$expected" ] || fail "$method $path: HTTP $status (expected $expected): $(head -c 500 "$TMP/body")"
}

# js EXPRESSION: evaluates with `b` = the last response body.
js() { node -e 'const b = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); const v = ('"$1"'); process.stdout.write(typeof v === "object" ? JSON.stringify(v) : String(v));' "$TMP/body"; }

echo "== connected systems ($API)"
call GET /connected-systems
js 'b.items.map(c => `  ${c.id} ${c.name} (${c.kind}): ` + c.runProfiles.map(r => `${r.id}=${r.name}`).join(", ")).join("\n")'; echo
if [ $# -ge 2 ]; then
  CS="$1"; RP="$2"
else
  CS=$(js 'b.items.find(c => c.runProfiles.length)?.id ?? ""')
  RP=$(js 'b.items.find(c => c.runProfiles.length)?.runProfiles[0].id ?? ""')
fi
[ -n "$CS" ] && [ -n "$RP" ] || fail "no connected system with a run profile"

echo "== trigger run profile $RP of connected system $CS"
call POST "/connected-systems/$CS/run-profiles/$RP/execute" 202 '{}'
ID=$(js 'b.activityId')
echo "  activity $ID ($(js 'b.location'))"

echo "== poll until the activity ends"
deadline=$((SECONDS + TIMEOUT))
while :; do
  call GET "/activities/$ID"
  STATUS=$(js 'b.status')
  echo "  $(date -u +%H:%M:%S) $STATUS $(js '`${b.progress.objectsProcessed}/${b.progress.objectsToProcess ?? "?"} objects${b.progress.percent === null ? "" : ` (${b.progress.percent}%)`}, ${b.totalObjectErrors} errors${b.progress.message ? ` - ${b.progress.message}` : ""}`')"
  [ "$STATUS" != "InProgress" ] && break
  [ $SECONDS -lt $deadline ] || fail "activity $ID still running after ${TIMEOUT}s"
  sleep 1
done

echo "== stats"
call GET "/activities/$ID/stats"
FIELDS=$(js 'Object.keys(b).filter(k => k.startsWith("total")).length')
[ "$FIELDS" = 23 ] || fail "stats has $FIELDS counters, expected 23"
js 'Object.entries(b).filter(([k, v]) => k.startsWith("total") && v).map(([k, v]) => `  ${k}: ${v}`).join("\n") || "  (all zero)"'; echo
js '"  errors by type: " + (JSON.stringify(b.errorTypeCounts))'; echo

echo "== execution items"
page=1; seen=0; total=""
while :; do
  call GET "/activities/$ID/items?page=$page&pageSize=$PAGE_SIZE"
  n=$(js 'b.items.length')
  t=$(js 'b.totalCount')
  [ -z "$total" ] && total="$t"
  [ "$t" = "$total" ] || fail "totalCount changed between pages ($total → $t)"
  seen=$((seen + n))
  errs=$(js 'b.items.filter(i => i.errorType).length')
  echo "  page $page: $n items ($errs with errors)"
  [ "$(js 'b.hasNextPage')" = "true" ] || break
  page=$((page + 1))
done
[ "$seen" = "$total" ] || fail "read $seen items over $page pages, but totalCount is $total"
echo "workflow: OK: activity $ID ended $STATUS; $seen items over $page page(s) = totalCount $total"
