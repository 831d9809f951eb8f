"""Shared by the Python peers of bench/compare: arguments, the worker loop and the output line.

The loop is the same shape as every other peer's: C worker coroutines pull call numbers from one shared
counter until N calls are taken; a warm-up of --warmup-seconds (default 3 s) of calls runs first and is not timed. Every call
must return the decoded game object (id "g-001"); anything else is a failure and makes the round invalid.
"""

import argparse
import asyncio
import json
import time

EXPECTED_ID = "g-001"


def parse_args(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--url", required=True)
    p.add_argument("--requests", type=int, default=20000)
    p.add_argument("--concurrency", type=int, default=64)
    p.add_argument("--warmup-seconds", type=float, default=3.0)
    p.add_argument("--max-seconds", type=int, default=110)
    a = p.parse_args()
    if a.requests < 1 or a.concurrency < 1 or a.warmup_seconds < 0 or a.max_seconds < 1:
        p.error("--requests, --concurrency and --max-seconds must be positive, --warmup-seconds not negative")
    return a


class _Tally:
    def __init__(self):
        self.next = 0
        self.done = 0
        self.failures = 0
        self.first_error = None


async def _load(call, count, concurrency, deadline):
    t = _Tally()
    loop = asyncio.get_running_loop()

    async def worker():
        while loop.time() < deadline:
            t.next += 1
            if t.next > count:
                return
            try:
                game = await call()
                if game["id"] != EXPECTED_ID:
                    raise ValueError(f"unexpected body: id={game['id']}")
            except Exception as e:  # a benchmark counts every failure instead of stopping at the first
                t.failures += 1
                if t.first_error is None:
                    t.first_error = f"{type(e).__name__}: {e}"
            t.done += 1

    workers = [asyncio.ensure_future(worker()) for _ in range(min(concurrency, max(count, 1)))]
    try:
        # Hard stop at the deadline even if a call hangs; calls not made count as failures.
        await asyncio.wait_for(asyncio.gather(*workers), max(0.0, deadline - loop.time()) + 1.0)
    except asyncio.TimeoutError:
        pass
    return t


async def run(client_name, library, call, args):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + args.max_seconds
    # Warm-up by time, not count: JIT tiers and pools need seconds to settle, whatever a client's speed.
    warm = await _load(call, 10**12, args.concurrency, min(deadline, loop.time() + args.warmup_seconds))
    start = time.perf_counter()
    res = await _load(call, args.requests, args.concurrency, deadline)
    seconds = time.perf_counter() - start
    failures = warm.failures + res.failures + (args.requests - res.done)
    error = warm.first_error or res.first_error
    if error is None and failures > 0:
        error = f"deadline of {args.max_seconds} s reached after {res.done} of {args.requests} calls"
    print(json.dumps({
        "client": client_name, "library": library,
        "requests": args.requests, "concurrency": args.concurrency,
        "seconds": round(seconds, 3), "rps": round(res.done / seconds, 1),
        "failures": failures, "error": error,
    }), flush=True)
    return 0 if failures == 0 else 1
