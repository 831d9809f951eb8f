"""bench/compare's httpx peer: one httpx.AsyncClient with Limits(max_connections=C,
max_keepalive_connections=C), reused by every call; C worker coroutines; every body decoded with `r.json()`.

Usage: /usr/bin/python3 httpx_peer.py --url U --requests N --concurrency C
"""

import asyncio
import sys

import httpx

from peer_common import parse_args, run


async def main(args):
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    async with httpx.AsyncClient(limits=limits) as client:
        async def call():
            r = await client.get(args.url)
            r.raise_for_status()
            return r.json()

        return await run("httpx", f"httpx {httpx.__version__} (Python {sys.version.split()[0]})", call, args)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args(__doc__))))
