// bench/compare's Node peer: one undici.Pool (connections = C, pipelining 1) reused by every call,
// C workers pulling from a shared counter until N calls are done, every body read and parsed with body.json().
// Usage: node bench.mjs --url U --requests N --concurrency C [--warmup-seconds S] [--max-seconds S]
// Prints one JSON line: {"client":"undici","library":...,"requests":N,"concurrency":C,"seconds":S,"rps":R,"failures":F,"error":...}
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';

const EXPECTED_ID = 'g-001';

function parseArgs(argv) {
  const map = new Map();
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) throw new Error(`expected --name value, got '${argv[i]}'`);
    map.set(argv[i].slice(2), argv[i + 1]);
  }
  const int = (name, fallback) => {
    if (!map.has(name)) return fallback;
    const n = Number(map.get(name));
    if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer`);
    return n;
  };
  const url = map.get('url');
  if (!url) throw new Error('--url is required');
  const requests = int('requests', 20000);
  const concurrency = int('concurrency', 64);
  const warmupSeconds = map.has('warmup-seconds') ? Number(map.get('warmup-seconds')) : 3;
  const maxSeconds = int('max-seconds', 110);
  if (requests < 1 || concurrency < 1 || !(warmupSeconds >= 0) || maxSeconds < 1) throw new Error('bad counts');
  return { url: new URL(url), requests, concurrency, warmupSeconds, maxSeconds };
}

async function load(call, count, concurrency, deadline, untilMs = Infinity) {
  let next = 0;
  let failures = 0;
  let firstError = null;
  async function worker() {
    let done = 0;
    while (!deadline.aborted && performance.now() < untilMs && ++next <= count) {
      try {
        const game = await call();
        if (game.id !== EXPECTED_ID) throw new Error(`unexpected body: id=${game.id}`);
      } catch (e) {
        failures++;
        firstError ??= `${e.name}: ${e.message}`;
      }
      done++;
    }
    return done;
  }
  const workers = Array.from({ length: Math.min(concurrency, Math.max(count, 1)) }, worker);
  const counts = await Promise.all(workers);
  return { done: counts.reduce((a, b) => a + b, 0), failures, firstError };
}

const o = parseArgs(process.argv.slice(2));
const version = JSON.parse(readFileSync(new URL('./node_modules/undici/package.json', import.meta.url), 'utf8')).version;
const pool = new Pool(o.url.origin, { connections: o.concurrency, pipelining: 1 });
const path = o.url.pathname + o.url.search;

// No per-request AbortSignal (it costs a listener per call); the workers check the deadline between calls and
// run.sh's timeout(1) is the backstop for a call that hangs.
async function call() {
  const { statusCode, body } = await pool.request({ path, method: 'GET' });
  if (statusCode !== 200) {
    await body.dump();
    throw new Error(`HTTP ${statusCode}`);
  }
  return body.json();
}

const deadline = AbortSignal.timeout(o.maxSeconds * 1000);
try {
  // Warm-up by time, not count: JIT tiers and pools need seconds to settle, whatever a client's speed.
  const warm = await load(call, Infinity, o.concurrency, deadline, performance.now() + o.warmupSeconds * 1000);
  const start = process.hrtime.bigint();
  const run = await load(call, o.requests, o.concurrency, deadline);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const failures = warm.failures + run.failures + (o.requests - run.done);
  const error = warm.firstError ?? run.firstError
    ?? (failures > 0 ? `deadline of ${o.maxSeconds} s reached after ${run.done} of ${o.requests} calls` : null);
  console.log(JSON.stringify({
    client: 'undici', library: `undici ${version} (Node ${process.versions.node})`,
    requests: o.requests, concurrency: o.concurrency,
    seconds: Math.round(seconds * 1000) / 1000, rps: Math.round((run.done / seconds) * 10) / 10,
    failures, error,
  }));
  process.exitCode = failures === 0 ? 0 : 1;
} finally {
  await pool.close();
}
