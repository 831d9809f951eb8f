#!/usr/bin/env bash
# Builds Salvo and runs every test project. Installs what the tests need when it is missing.
# The last line is the plain total: "N passed, N failed". Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# System packages the tests need (none yet beyond the .NET SDK); later issues add e.g. redis-server here.
need_apt=()
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq "${need_apt[@]}"; else sudo apt-get update -qq && sudo apt-get install -y -qq "${need_apt[@]}"; fi
fi

# The GraphQL peer server of the functional tests (graphql-yoga + graphql-ws on Node). Without it those tests fail, loudly.
if [ ! -d tests/peers/graphql/node_modules ]; then
  if command -v npm >/dev/null 2>&1; then
    (cd tests/peers/graphql && npm ci --no-audit --no-fund --loglevel=error) || echo "npm ci failed in tests/peers/graphql: the GraphQL tests will fail"
  else
    echo "npm not found: the GraphQL tests will fail (they need Node 20 or later)"
  fi
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

if ! dotnet build Salvo.slnx -c Release -nologo -v quiet; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
aborted=0
for project in tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  log="$results/$name.log"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$results/$name.trx" --logger "console;verbosity=minimal" 2>&1 | tee "$log"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  # A test host that crashed can still leave a trx with what ran before it: count the abort as a failure
  # (one that left no trx is counted below).
  if grep -q "Test Run Aborted" "$log" && [ -f "$results/$name.trx" ]; then
    aborted=$((aborted + 1))
    status=1
  fi
done

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
count=$(ls "$results"/*.trx 2>/dev/null | wc -l)
expected=$(ls tests/*/*.csproj | wc -l)
if [ "$count" -ne "$expected" ]; then
  # A test host that crashed writes no results: that is a failure, not silence.
  failed=$((failed + expected - count))
  status=1
fi
failed=$((failed + aborted))
[ "$failed" -gt 0 ] && status=1
echo "$passed passed, $failed failed"
exit $status
