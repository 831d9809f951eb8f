"""The seed's bounded fan-out, exactly as written there, over a million ids: peak memory and time.

    sem = asyncio.Semaphore(256)
    async def fetch_one(id):
        async with sem:
            return await fetch(id)
    await asyncio.gather(*[fetch_one(id) for id in ids])

`fetch` is a stub (no network, like the Salvo side's stub transport): it yields to the event loop once and
returns a small dict decoded from the same JSON bytes Salvo's `bench memory` decodes.
Peak resident memory is ru_maxrss (KiB on Linux), reported in MiB like Salvo's peak_rss_mb.

Usage: /usr/bin/python3 seed_gather.py [--items 1000000] [--concurrency 256]
Prints one JSON line: {"items":..,"concurrency":..,"failed":..,"elapsed_s":..,"peak_rss_mb":..,"rss_before_mb":..}
"""

import argparse
import asyncio
import json
import resource
import sys
import time

BODY = b'{"id":"g-001","name":"Sweet Spins","category":"slots","provider":"Pragmatic","rtp":96.5}'


def peak_rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)


async def fetch(id):
    await asyncio.sleep(0)
    return json.loads(BODY)


async def batch_fetch(ids, max_concurrent):
    sem = asyncio.Semaphore(max_concurrent)

    async def fetch_one(id):
        async with sem:
            return await fetch(id)

    return await asyncio.gather(*[fetch_one(id) for id in ids])


def main():
    p = argparse.ArgumentParser(description="The seed's Semaphore + gather pattern over many ids.")
    p.add_argument("--items", type=int, default=1_000_000)
    p.add_argument("--concurrency", type=int, default=256)
    a = p.parse_args()
    ids = list(range(a.items))
    before = peak_rss_mb()
    start = time.perf_counter()
    results = asyncio.run(batch_fetch(ids, a.concurrency))
    elapsed = time.perf_counter() - start
    failed = sum(1 for r in results if r.get("id") != "g-001")
    print(json.dumps({
        "items": a.items, "concurrency": a.concurrency, "failed": failed,
        "elapsed_s": round(elapsed, 2), "peak_rss_mb": peak_rss_mb(), "rss_before_mb": before,
        "python": sys.version.split()[0],
    }), flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
