"""bench/compare's aiohttp peer: one ClientSession on a TCPConnector(limit=C), reused by every call;
C worker coroutines; every body read and decoded with `await resp.json()`.

Usage: /usr/bin/python3 aiohttp_peer.py --url U --requests N --concurrency C
"""

import asyncio
import sys

import aiohttp

from peer_common import parse_args, run


async def main(args):
    connector = aiohttp.TCPConnector(limit=args.concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def call():
            async with session.get(args.url) as resp:
                if resp.status != 200:
                    raise RuntimeError(f"HTTP {resp.status}")
                return await resp.json()

        return await run("aiohttp", f"aiohttp {aiohttp.__version__} (Python {sys.version.split()[0]})", call, args)


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args(__doc__))))
