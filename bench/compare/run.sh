#!/usr/bin/env bash
# bench/compare/run.sh — Salvo against other HTTP clients: one nginx on 127.0.0.1, the same N requests at the
# same concurrency C for every client, several rounds, the median req/s per client. See README.md beside it.
#
#   bash bench/compare/run.sh [--requests 50000] [--concurrency 64] [--rounds 3]
#                             [--clients salvo,httpclient,restsharp,undici,aiohttp,httpx,wrk]
#                             [--timeout 120] [--wrk-seconds 3]
#   (REQUESTS, CONCURRENCY, ROUNDS, CLIENTS, CLIENT_TIMEOUT, WRK_SECONDS in the environment set the defaults.)
#
# The last line of the output is one JSON object: {"salvo":R,"httpclient":R,...,"wrk":R}, median req/s per
# client rounded to an integer, null for a client that was not run or failed (the reason is printed above it).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY=/usr/bin/python3 # Debian's python3, where apt installs aiohttp and httpx (a pyenv python may shadow python3)
ALL_CLIENTS="salvo,httpclient,restsharp,undici,aiohttp,httpx,wrk"

REQUESTS="${REQUESTS:-50000}"
CONCURRENCY="${CONCURRENCY:-64}"
ROUNDS="${ROUNDS:-3}"
CLIENTS="${CLIENTS:-$ALL_CLIENTS}"
CLIENT_TIMEOUT="${CLIENT_TIMEOUT:-120}"
WRK_SECONDS="${WRK_SECONDS:-3}"
COMMAND="bash bench/compare/run.sh"
for a in "$@"; do COMMAND+=" $(printf '%q' "$a")"; done

usage() { sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --requests) REQUESTS="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --timeout) CLIENT_TIMEOUT="$2"; shift 2 ;;
    --wrk-seconds) WRK_SECONDS="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
for v in REQUESTS CONCURRENCY ROUNDS CLIENT_TIMEOUT WRK_SECONDS; do
  if ! [[ "${!v}" =~ ^[1-9][0-9]*$ ]]; then echo "$v must be a positive integer, got '${!v}'" >&2; exit 2; fi
done
if [ "$CLIENT_TIMEOUT" -lt 20 ]; then echo "--timeout must be at least 20 seconds" >&2; exit 2; fi
IFS=',' read -r -a SELECTED <<<"$CLIENTS"
for c in "${SELECTED[@]}"; do
  case ",$ALL_CLIENTS," in *",$c,"*) ;; *) echo "unknown client '$c' (known: $ALL_CLIENTS)" >&2; exit 2 ;; esac
done
selected() { case ",$CLIENTS," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# --- What is missing gets installed (Debian packages; undici from the lockfile) -------------------------------
missing=()
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing+=(nginx)
if selected wrk; then command -v wrk >/dev/null 2>&1 || missing+=(wrk); fi
if selected aiohttp; then "$PY" -c 'import aiohttp' >/dev/null 2>&1 || missing+=(python3-aiohttp); fi
if selected httpx; then "$PY" -c 'import httpx' >/dev/null 2>&1 || missing+=(python3-httpx); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
NGINX="$(command -v nginx 2>/dev/null || echo /usr/sbin/nginx)"

WORK="$(mktemp -d /tmp/salvo-compare.XXXXXX)"
chmod 755 "$WORK" # nginx's worker runs as an unprivileged user and must read the served file
NGINX_PID=""
cleanup() {
  if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
    kill -TERM "$NGINX_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$NGINX_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Per-client reasons for not running it (a client with a reason here gets null).
declare -A SKIP=()
for c in ${ALL_CLIENTS//,/ }; do
  if ! selected "$c"; then SKIP[$c]="not selected (--clients)"; fi
done

if selected undici; then
  if ! command -v node >/dev/null 2>&1; then
    SKIP[undici]="node is not installed (undici 7 needs Node >= 20.18.1)"
  elif ! node -e 'const [a,b,c]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&(b>18||(b===18&&c>=1)))?0:1)'; then
    SKIP[undici]="Node $(node --version) is too old for undici 7 (needs >= 20.18.1)"
  elif [ ! -d "$HERE/peers/undici/node_modules/undici" ]; then
    echo "npm ci in bench/compare/peers/undici"
    if ! (cd "$HERE/peers/undici" && timeout 300 npm ci --no-audit --no-fund --loglevel=error >"$WORK/npm.log" 2>&1); then
      SKIP[undici]="npm ci failed: $(tail -3 "$WORK/npm.log" | tr '\n' ' ')"
    fi
  fi
fi

# --- The .NET peer, built once in Release ---------------------------------------------------------------------
DOTNET_DLL="$HERE/peers/dotnet/bin/Release/net10.0/Salvo.Compare.dll"
if selected salvo || selected httpclient || selected restsharp; then
  echo "Building bench/compare/peers/dotnet (Release)"
  if ! timeout 600 dotnet build "$HERE/peers/dotnet/Salvo.Compare.csproj" -c Release -nologo -v quiet >"$WORK/build.log" 2>&1; then
    why="dotnet build failed: $(grep -m3 -E 'error|Error' "$WORK/build.log" | tr '\n' ' ')"
    for c in salvo httpclient restsharp; do
      if selected "$c"; then SKIP[$c]="$why"; fi
    done
    cat "$WORK/build.log" >&2
  fi
fi

# --- Our own nginx on a free loopback port ------------------------------------------------------------------
PORT="$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$WORK/www" "$WORK/tmp"
printf '%s' '{"id":"g-001","name":"Sweet Spins","category":"slots","provider":"Pragmatic","rtp":96.5}' >"$WORK/www/game.json"
chmod 755 "$WORK/www"; chmod 644 "$WORK/www/game.json"
cat >"$WORK/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx.pid;
error_log $WORK/error.log warn;
worker_rlimit_nofile 16384;
events { worker_connections 8192; }
http {
  access_log off;
  default_type application/json;
  sendfile on;
  tcp_nodelay on;
  keepalive_requests 1000000;
  keepalive_timeout 65;
  open_file_cache max=16 inactive=60s;
  open_file_cache_valid 60s;
  client_body_temp_path $WORK/tmp/body;
  proxy_temp_path $WORK/tmp/proxy;
  fastcgi_temp_path $WORK/tmp/fastcgi;
  uwsgi_temp_path $WORK/tmp/uwsgi;
  scgi_temp_path $WORK/tmp/scgi;
  server {
    listen 127.0.0.1:$PORT;
    root $WORK/www;
  }
}
EOF
ulimit -n 65536 2>/dev/null || true
"$NGINX" -p "$WORK" -c "$WORK/nginx.conf" -e "$WORK/error.log" &
NGINX_PID=$!
URL="http://127.0.0.1:$PORT/game.json"
for _ in $(seq 50); do
  curl -fsS -o /dev/null "$URL" 2>/dev/null && break
  kill -0 "$NGINX_PID" 2>/dev/null || { echo "nginx did not start:" >&2; cat "$WORK/error.log" >&2; exit 1; }
  sleep 0.1
done
BODY="$(curl -fsS "$URL")" || { echo "nginx does not answer on $URL" >&2; cat "$WORK/error.log" >&2; exit 1; }
echo "nginx $("$NGINX" -v 2>&1 | sed 's|.*/||') serving $URL: $BODY"

# --- The runs: rounds interleaved (round 1 of every client, then round 2, ...) so drift hits all alike ----------
# Long-running API clients are warm (JIT tiers, thread pool, pools): every peer first runs untimed for WARMUP seconds.
WARMUP="${WARMUP_SECONDS:-5}"
PEER_MAX=$(( CLIENT_TIMEOUT - 10 )) # a peer stops itself first and reports; timeout(1) is the backstop
mkdir -p "$WORK/runs"

run_once() { # client round -> $WORK/runs/<client>.<round>.{out,err,rc}
  local c="$1" r="$2" base="$WORK/runs/$1.$2" rc=0
  local args=(--url "$URL" --requests "$REQUESTS" --concurrency "$CONCURRENCY" --warmup-seconds "$WARMUP" --max-seconds "$PEER_MAX")
  case "$c" in
    salvo|httpclient|restsharp)
      timeout -k 5 "$CLIENT_TIMEOUT" dotnet "$DOTNET_DLL" --client "$c" "${args[@]}" >"$base.out" 2>"$base.err" || rc=$? ;;
    undici)
      timeout -k 5 "$CLIENT_TIMEOUT" node "$HERE/peers/undici/bench.mjs" "${args[@]}" >"$base.out" 2>"$base.err" || rc=$? ;;
    aiohttp|httpx)
      (cd "$HERE/peers" && timeout -k 5 "$CLIENT_TIMEOUT" "$PY" -B "${c}_peer.py" "${args[@]}") >"$base.out" 2>"$base.err" || rc=$? ;;
    wrk)
      timeout -k 5 $(( WRK_SECONDS + 30 )) wrk -t1 -c"$CONCURRENCY" -d"${WRK_SECONDS}s" --timeout 5s "$URL" >"$base.out" 2>"$base.err" || rc=$? ;;
  esac
  echo "$rc" >"$base.rc"
}

START_ALL=$(date +%s)
for r in $(seq "$ROUNDS"); do
  for c in ${ALL_CLIENTS//,/ }; do
    if [ -n "${SKIP[$c]:-}" ]; then continue; fi
    run_once "$c" "$r"
    line="$(grep '^{' "$WORK/runs/$c.$r.out" | tail -1 || true)"
    rps="$(sed -n 's/.*"rps": *\([0-9.]*\).*/\1/p' <<<"$line")"
    if [ "$c" = wrk ]; then rps="$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$WORK/runs/$c.$r.out")"; fi
    echo "round $r/$ROUNDS  $(printf '%-10s' "$c") ${rps:-failed} req/s (exit $(cat "$WORK/runs/$c.$r.rc"))"
    if [ -s "$WORK/runs/$c.$r.err" ]; then echo "    stderr: $(head -c 300 "$WORK/runs/$c.$r.err" | head -3 | tr '\n' ' ')"; fi
    sleep 1
  done
done
ELAPSED_ALL=$(( $(date +%s) - START_ALL ))

# --- Report ---------------------------------------------------------------------------------------------------
SKIPS="$WORK/skips.tsv"
: >"$SKIPS"
for c in "${!SKIP[@]}"; do printf '%s\t%s\n' "$c" "${SKIP[$c]}" >>"$SKIPS"; done

export WORK ROUNDS REQUESTS CONCURRENCY WARMUP WRK_SECONDS ALL_CLIENTS SKIPS COMMAND ELAPSED_ALL URL ROOT NGINX PY
"$PY" - <<'PY'
import json, os, platform, re, statistics, subprocess

env = os.environ
work, rounds = env["WORK"], int(env["ROUNDS"])
clients = env["ALL_CLIENTS"].split(",")
skips = dict(l.rstrip("\n").split("\t", 1) for l in open(env["SKIPS"]) if l.strip())

def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout.strip()
    except Exception:
        return ""

def read(path):
    try:
        return open(path, encoding="utf-8", errors="replace").read()
    except OSError:
        return ""

def parse_wrk(out, err, rc):
    m = re.search(r"^Requests/sec:\s*([0-9.]+)", out, re.M)
    total = re.search(r"^\s*(\d+) requests in ([0-9.]+)(\w+)", out, re.M)
    problems = []
    if rc != 0:
        problems.append(f"exit {rc}")
    if m is None:
        problems.append("no Requests/sec in wrk's output" + (f": {err.strip()[:200]}" if err.strip() else ""))
    for pat in (r"Non-2xx or 3xx responses:\s*\d+", r"Socket errors:[^\n]*"):
        e = re.search(pat, out)
        if e:
            problems.append(e.group(0).strip())
    rps = float(m.group(1)) if m else None
    return {"rps": rps, "requests": int(total.group(1)) if total else None, "error": "; ".join(problems) or None}

def parse_peer(out, err, rc):
    lines = [l for l in out.splitlines() if l.startswith("{")]
    if not lines:
        why = "timed out (timeout killed it)" if rc in (124, 137) else f"exit {rc}, no result line"
        tail = " ".join(err.strip().splitlines()[-3:])[:300]
        return {"rps": None, "error": why + (f": {tail}" if tail else "")}
    try:
        j = json.loads(lines[-1])
    except ValueError as e:
        return {"rps": None, "error": f"unparsable result line: {e}"}
    if j.get("failures", 0):
        j["error"] = f"{j['failures']} failed calls: {j.get('error')}"
    elif rc != 0:
        j["error"] = f"exit {rc}"
    return j

results, library, why = {}, {}, {}
for c in clients:
    if c in skips:
        why[c] = skips[c]
        continue
    rs = []
    for r in range(1, rounds + 1):
        base = os.path.join(work, "runs", f"{c}.{r}")
        out, err = read(base + ".out"), read(base + ".err")
        rc = int(read(base + ".rc").strip() or "1")
        res = parse_wrk(out, err, rc) if c == "wrk" else parse_peer(out, err, rc)
        if res.get("library"):
            library[c] = res["library"]
        rs.append(res)
    results[c] = rs

wrk_version = sh("wrk -v 2>&1 | head -1 | awk '{print $1\" \"$2}'") or "wrk"
library["wrk"] = f"{wrk_version} (-t1, {env['WRK_SECONDS']} s, no body parsing)"
library.setdefault("httpclient", "System.Net.Http")

medians, notes = {}, []
for c in clients:
    if c not in results:
        medians[c] = None
        continue
    valid = [r["rps"] for r in results[c] if r.get("rps") is not None and not r.get("error")]
    for i, r in enumerate(results[c], 1):
        if r.get("error"):
            notes.append(f"- {c}, round {i}: invalid — {r['error']}")
    if valid:
        medians[c] = statistics.median(valid)
        if len(valid) < rounds:
            notes.append(f"- {c}: median of {len(valid)} valid round(s) out of {rounds}")
    else:
        medians[c] = None
        why[c] = "no valid round (see above)"

# Machine and toolchain, so the table can be pasted into docs/benchmarks.md as measured.
cpu = next((l.split(":", 1)[1].strip() for l in read("/proc/cpuinfo").splitlines() if l.startswith("model name")), platform.processor())
mem_kb = next((int(l.split()[1]) for l in read("/proc/meminfo").splitlines() if l.startswith("MemTotal")), 0)
os_name = next((l.split("=", 1)[1].strip('"') for l in read("/etc/os-release").splitlines() if l.startswith("PRETTY_NAME")), platform.system())
runtime = sh("dotnet --list-runtimes | awk '/Microsoft.NETCore.App/{v=$2} END{print v}'")
commit = sh(f"git -C '{env['ROOT']}' rev-parse --short HEAD")
dirty = sh(f"git -C '{env['ROOT']}' status --porcelain -- src bench/compare")
print()
print("## Throughput against one local nginx")
print()
print(f"**Machine:** {os.cpu_count()} cores (nproc {sh('nproc')}), {cpu}, {mem_kb / 1048576:.1f} GiB RAM, {os_name}, "
      f"kernel {platform.release()}, .NET SDK {sh('dotnet --version')} (runtime {runtime}), Node {sh('node --version') or '—'}, "
      f"Python {platform.python_version()}, {sh(env['NGINX'] + ' -v 2>&1').replace('nginx version: ', '')}.")
print(f"**Date:** {sh('date -u +%Y-%m-%dT%H:%MZ')}; commit {commit or '?'}{' (with local changes)' if dirty else ''}.")
print(f"**Command:** `{env['COMMAND']}` — {int(env['REQUESTS']):,} requests per round (after {env['WARMUP']} s of untimed warm-up calls), "
      f"concurrency {env['CONCURRENCY']}, {rounds} round(s), rounds interleaved across clients; whole run {env['ELAPSED_ALL']} s.")
print(f"**Server:** nginx, 1 worker, keep-alive, one {len(read(os.path.join(work, 'www', 'game.json')))}-byte static JSON file at {env['URL']}; "
      "clients and server share the same cores.")
print()
salvo = medians.get("salvo")
print("| Client | Library | Median req/s | Rounds (req/s) | vs Salvo |")
print("|---|---|---:|---|---:|")
for c in clients:
    m = medians[c]
    rounds_txt = ", ".join(
        (f"{r['rps']:,.0f}" if r.get("rps") is not None else "—") + (" (invalid)" if r.get("error") else "")
        for r in results.get(c, []))
    ratio = f"{m / salvo:.2f}×" if m is not None and salvo else "—"
    name = f"**{c}**" if c == "salvo" else c
    print(f"| {name} | {library.get(c, '—')} | {f'{m:,.0f}' if m is not None else '—'} | {rounds_txt or '—'} | {ratio} |")
print()
print("wrk is the ceiling (no JSON parsing, C code, one thread); every other client fully reads and JSON-decodes each body.")
if notes:
    print()
    print("Invalid rounds:")
    print("\n".join(notes))
nulls = [f"- {c}: null — {why.get(c, 'no result')}" for c in clients if medians[c] is None]
if nulls:
    print()
    print("Clients without a result:")
    print("\n".join(nulls))
print()
print(json.dumps({c: (round(medians[c]) if medians[c] is not None else None) for c in clients}, separators=(",", ":")))
PY
