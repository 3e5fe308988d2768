#!/usr/bin/env bash
# `npm test`: the whole suite. Type-check, lint (import boundaries), server specs on PGlite and on
# PostgreSQL, provider and policy specs, console specs in headless Chromium, and the browser e2e.
# Prints one closing line "N passed, N failed" summed over every runner.
set -uo pipefail
cd "$(dirname "$0")/.."

export CHROME_BIN="${CHROME_BIN:-/usr/bin/chromium}"
export GANYUN_TEST_PG="${GANYUN_TEST_PG:-postgres://postgres@127.0.0.1:5432/postgres}"
passed=0
failed=0
log=$(mktemp)

# step NAME COMMAND…: runs a step, adds its spec counts (Jasmine or Karma) to the totals.
step() {
  local name=$1
  shift
  echo "=== $name"
  "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  local specs fails
  specs=$(grep -aoE '^[0-9]+ specs?, [0-9]+ failures?' "$log" | tail -n1)
  if [[ -n $specs ]]; then
    read -r s _ f _ <<<"${specs//,/}"
    passed=$((passed + s - f))
    failed=$((failed + f))
  elif grep -aqE 'Executed [0-9]+ of [0-9]+' "$log"; then
    local line total kfail
    line=$(grep -aoE 'Executed [0-9]+ of [0-9]+.*(SUCCESS|FAILED)' "$log" | tail -n1)
    total=$(sed -E 's/Executed ([0-9]+) of.*/\1/' <<<"$line")
    kfail=$(grep -aoE '\(([0-9]+) FAILED\)' <<<"$line" | grep -oE '[0-9]+' || echo 0)
    passed=$((passed + total - kfail))
    failed=$((failed + kfail))
  elif ((rc != 0)); then
    failed=$((failed + 1)) # a step without specs (type-check, lint) counts as one failure
  fi
  if ((rc != 0)); then
    echo "=== $name FAILED (exit $rc)"
    status=1
  fi
}

status=0
step "type-check" npm run --silent typecheck
step "lint" npx eslint .
# The release build compiles with declarations, which the type-check does not: a type it cannot emit fails here
# in seconds instead of inside the replica suites at the end.
step "release build (server)" npm run --silent build:server
step "server specs (PGlite)" env -u GANYUN_TEST_PG npm run --silent test -w control-plane
step "server specs (PostgreSQL)" npm run --silent test -w control-plane
for ws in providers policies deploy; do
  if [[ -f $ws/jasmine.json ]]; then step "$ws specs" npm run --silent test -w "$ws"; fi
done
step "console specs (Karma, headless Chromium)" npm run --silent test -w console
step "cross-package and browser e2e specs" npm run --silent test -w test

rm -f "$log"
echo
echo "${passed} passed, ${failed} failed"
exit $status
