#!/usr/bin/env bash
# bench/compare/memory.sh — peak resident memory for a million items: Salvo's bounded helper against the
# seed's asyncio.Semaphore + asyncio.gather pattern. Both sides use a stub fetch (no network).
#
#   bash bench/compare/memory.sh [--items 1000000] [--concurrency 256] [--timeout 300]
#
# Salvo:       salvo bench memory (SelectConcurrentAsync over a real SalvoClient on a stub transport).
# seed_gather: peers/seed_gather.py, the seed's code shape verbatim, with a stub fetch (sleep(0) + json.loads).
# The last line of the output is one JSON object:
# {"items":N,"salvo_peak_rss_mb":X,"seed_gather_peak_rss_mb":Y,"salvo_seconds":S,"seed_gather_seconds":T}
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY=/usr/bin/python3 # Debian's python3 (a pyenv python may shadow python3 on PATH)
ITEMS=1000000
CONCURRENCY=256
STEP_TIMEOUT=300
COMMAND="bash bench/compare/memory.sh"
for a in "$@"; do COMMAND+=" $(printf '%q' "$a")"; done
while [ $# -gt 0 ]; do
  case "$1" in
    --items) ITEMS="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --timeout) STEP_TIMEOUT="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
for v in ITEMS CONCURRENCY STEP_TIMEOUT; do
  if ! [[ "${!v}" =~ ^[1-9][0-9]*$ ]]; then echo "$v must be a positive integer, got '${!v}'" >&2; exit 2; fi
done
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

WORK="$(mktemp -d /tmp/salvo-memory.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"

salvo_why=""
echo "Building src/Salvo.Cli (Release)"
if timeout 600 dotnet build src/Salvo.Cli -c Release -nologo -v quiet >"$WORK/build.log" 2>&1; then
  echo "salvo bench memory --items $ITEMS --concurrency $CONCURRENCY (at most ${STEP_TIMEOUT} s)"
  rc=0
  timeout -k 5 "$STEP_TIMEOUT" dotnet run --project src/Salvo.Cli -c Release --no-build -- \
    bench memory --items "$ITEMS" --concurrency "$CONCURRENCY" --json >"$WORK/salvo.out" 2>"$WORK/salvo.err" || rc=$?
  [ "$rc" -eq 0 ] || salvo_why="exit $rc$([ "$rc" -eq 124 ] && echo ' (timed out)'): $(tail -3 "$WORK/salvo.err" | tr '\n' ' ')"
else
  salvo_why="build failed: $(grep -m3 -E 'error' "$WORK/build.log" | tr '\n' ' ')"
fi

echo "seed_gather.py --items $ITEMS --concurrency $CONCURRENCY (at most ${STEP_TIMEOUT} s)"
seed_why=""
rc=0
timeout -k 5 "$STEP_TIMEOUT" "$PY" "$HERE/peers/seed_gather.py" --items "$ITEMS" --concurrency "$CONCURRENCY" \
  >"$WORK/seed.out" 2>"$WORK/seed.err" || rc=$?
[ "$rc" -eq 0 ] || seed_why="exit $rc$([ "$rc" -eq 124 ] && echo ' (timed out)'): $(tail -3 "$WORK/seed.err" | tr '\n' ' ')"

export WORK ITEMS CONCURRENCY COMMAND salvo_why seed_why ROOT
"$PY" - <<'PY'
import json, os, platform, subprocess

env = os.environ
work = env["WORK"]

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:
        return ""

def result(name, why):
    lines = [l for l in open(os.path.join(work, name + ".out"), encoding="utf-8", errors="replace") if l.startswith("{")]
    if not lines:
        return None, why or "no JSON line in its output"
    j = json.loads(lines[-1])
    if j.get("failed"):
        return j, f"{j['failed']} items failed"
    return j, why or None

salvo, salvo_why = result("salvo", env["salvo_why"])
seed, seed_why = result("seed", env["seed_why"])

cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem_kb = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
print()
print(f"## Memory: {int(env['ITEMS']):,} items, Salvo's bounded helper against the seed's gather")
print()
print(f"**Machine:** nproc {sh('nproc')}, {cpu}, {mem_kb / 1048576:.1f} GiB RAM, kernel {platform.release()}, "
      f".NET SDK {sh('dotnet --version')}, Python {platform.python_version()}.")
commit = sh("git -C '" + env["ROOT"] + "' rev-parse --short HEAD") or "?"
print(f"**Date:** {sh('date -u +%Y-%m-%dT%H:%MZ')}; commit {commit}.")
print(f"**Command:** `{env['COMMAND']}` (Salvo: `dotnet run --project src/Salvo.Cli -c Release -- bench memory --items {env['ITEMS']} "
      f"--concurrency {env['CONCURRENCY']} --json`; seed: `/usr/bin/python3 bench/compare/peers/seed_gather.py --items {env['ITEMS']} --concurrency {env['CONCURRENCY']}`).")
print()
print("| Pattern | Items | Bound | Peak RSS | Time | Note |")
print("|---|---:|---:|---:|---:|---|")
def row(name, what, j, why):
    if j is None:
        print(f"| {name} | {int(env['ITEMS']):,} | {env['CONCURRENCY']} | — | — | failed: {why} |")
        return
    extra = f"before gather (interpreter + the id list): {j['rss_before_mb']} MB" if "rss_before_mb" in j else what
    print(f"| {name} | {j['items']:,} | {j['concurrency']} | **{j['peak_rss_mb']} MB** | {j['elapsed_s']} s | {extra}{'; ' + why if why else ''} |")
row("Salvo `SelectConcurrentAsync` (streamed, bounded)", "SalvoClient.GetJsonAsync on a stub transport", salvo, salvo_why)
row("Seed: `Semaphore` + `gather(*[fetch_one(id) for id in ids])`", "", seed, seed_why)
if salvo and seed and salvo.get("peak_rss_mb"):
    ratio = seed["peak_rss_mb"] / salvo["peak_rss_mb"]
    print()
    print(f"The seed's pattern peaks at {ratio:.1f}× Salvo's resident memory."
          + (" gather creates a coroutine and a task for every id up front and holds every result until the end, while "
             "Salvo's helper pulls the input lazily and holds at most the bound in flight." if ratio > 1 else ""))
for name, why in (("salvo", salvo_why), ("seed_gather", seed_why)):
    if why:
        print(f"- {name}: {why}")
print()
ok = lambda j, why: j is not None and not why
print(json.dumps({
    "items": int(env["ITEMS"]),
    "salvo_peak_rss_mb": salvo["peak_rss_mb"] if ok(salvo, salvo_why) else None,
    "seed_gather_peak_rss_mb": seed["peak_rss_mb"] if ok(seed, seed_why) else None,
    "salvo_seconds": salvo["elapsed_s"] if ok(salvo, salvo_why) else None,
    "seed_gather_seconds": seed["elapsed_s"] if ok(seed, seed_why) else None,
}, separators=(",", ":")))
PY
