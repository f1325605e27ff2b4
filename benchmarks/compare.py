"""Compare two checkouts page by page, with their requests interleaved.

Runs `benchmarks/load.py --serve` in each checkout (each seeds its own scratch database with the
same fixed random seed, so both hold the same site), then asks both for the same pages in turn:
A, B, A, B ... one request at a time. Whatever else the machine is doing slows both sides alike,
so the ratio B/A of their median latencies per kind of page holds even on a busy machine, where
load.py's throughput figures do not.

    .venv/bin/python benchmarks/compare.py /path/to/old-checkout /path/to/new-checkout
    .venv/bin/python benchmarks/compare.py A B --rounds 300 --networks 200

Both checkouts use this checkout's virtualenv. Pages compared: home, the directory, network pages,
the finder with filters, event pages, demand pages (anonymous: cached), their counts endpoint
and the events' calendar feed.
"""

import argparse
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVING = re.compile(r"Serving on (http://127\.0\.0\.1:\d+)")
# Card links, relative or absolute: a network is /networks/<slug>/, a demand sits in a platform.
NETWORK_LINK = re.compile(r'href="(?:https?://[^/"]+)?(/networks/[\w-]+/)"')
DEMAND_LINK = re.compile(r'href="(?:https?://[^/"]+)?(/demands/[\w-]+/[\w-]+/)"')
EVENT_LINK = re.compile(r'href="(?:https?://[^/"]+)?(/events/[\w-]+/)"')
NOT_NETWORKS = {"/networks/positions/", "/networks/apply/", "/networks/feed/"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("a", type=Path, help="the checkout to compare against (e.g. the old code)")
    parser.add_argument("b", type=Path, help="the checkout to measure (e.g. the new code)")
    parser.add_argument("--rounds", type=int, default=200, help="requests per kind per side")
    parser.add_argument("--networks", type=int, default=500)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--signatures", type=int, default=200_000)
    return parser.parse_args()


def start(checkout: Path, args, redis_db: int) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "BENCH_REDIS_URL": f"redis://127.0.0.1:6379/{redis_db}"}
    command = [sys.executable, "benchmarks/load.py", "--serve", "--networks", str(args.networks),
               "--events", str(args.events), "--signatures", str(args.signatures)]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=checkout, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    for line in process.stdout:
        if match := SERVING.search(line):
            return process, match.group(1)
    sys.exit(f"{checkout}: load.py --serve stopped before serving (exit {process.wait()})")


def get(url: str) -> float:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    began = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status}")
    return time.perf_counter() - began


def html(url: str) -> str:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read().decode()


def pages(base: str) -> dict[str, list[str]]:
    networks = set(NETWORK_LINK.findall(html(f"{base}/networks/"))) - NOT_NETWORKS
    # The benchmark's demands sit in a platform, which the demand index links to.
    platforms = set(re.findall(r'href="(/demands/[\w-]+/)"', html(f"{base}/demands/")))
    demands = {
        link for platform in platforms for link in DEMAND_LINK.findall(html(base + platform))
    }
    events = set(EVENT_LINK.findall(html(f"{base}/events/")))
    if not networks or not demands or not events:
        sys.exit(f"{base}: found no network or demand links to visit")
    return {"network": sorted(networks), "demand": sorted(demands), "event": sorted(events)}


def kinds(site: dict[str, list[str]], rng: random.Random):
    formats = ["in-person", "online", "hybrid"]
    return {
        "home": lambda: "/",
        "directory": lambda: "/networks/",
        "network": lambda: rng.choice(site["network"]),
        "finder": lambda: rng.choice(
            ["/events/", f"/events/?format={rng.choice(formats)}", "/events/?when=this-month"]
        ),  # fmt: skip
        "event": lambda: rng.choice(site["event"]),
        "demand": lambda: rng.choice(site["demand"]),
        "counts": lambda: rng.choice(site["demand"]) + "counts/",
        "calendar": lambda: f"/events/calendar.ics?format={rng.choice(formats)}",
    }


def main():
    args = parse_args()
    stacks = []
    try:
        print("Seeding and serving both checkouts ...", flush=True)
        for checkout, redis_db in ((args.a, 12), (args.b, 14)):
            stacks.append(start(checkout.resolve(), args, redis_db))
        (_, base_a), (_, base_b) = stacks
        site = pages(base_a)
        rng = random.Random(7)
        timings = defaultdict(lambda: ([], []))
        for kind, pick in kinds(site, rng).items():
            for url in {pick() for _ in range(20)}:  # warm both sides' caches and connections
                get(base_a + url), get(base_b + url)
            for number in range(args.rounds):
                url = pick()
                # Alternate which side goes first so neither always meets a warmer machine.
                order = ((0, base_a), (1, base_b)) if number % 2 else ((1, base_b), (0, base_a))
                for side, base in order:
                    timings[kind][side].append(get(base + url))
        print(f"\n{'page':12}{'A median ms':>14}{'B median ms':>14}{'B / A':>8}")
        ratios = []
        for kind, (a, b) in timings.items():
            ratio = statistics.median(b) / statistics.median(a)
            ratios.append(ratio)
            print(f"{kind:12}{statistics.median(a) * 1000:14.1f}"
                  f"{statistics.median(b) * 1000:14.1f}{ratio:8.2f}")  # fmt: skip
        print(f"{'geometric mean':26}{'':>14}{statistics.geometric_mean(ratios):8.2f}")
    finally:
        for process, _ in stacks:
            process.send_signal(signal.SIGINT)
        for process, _ in stacks:
            process.wait(timeout=120)


if __name__ == "__main__":
    main()
