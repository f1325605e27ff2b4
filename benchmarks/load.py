"""Load benchmark: the production stack on loopback, seeded at scale, under 50 concurrent clients.

Starts gunicorn (production settings) and one Celery worker as plain processes against a scratch
PostgreSQL database (created here and dropped at the end) and a Redis database of its own, seeds
networks, events, demands and signatures in bulk, then runs:

  reading   a mix of home, directory, network pages, the finder with filters, demand pages,
            counts endpoints and .ics feeds;
  demand    one demand page only (cached for anonymous visitors, its count live);
  surge     many distinct people signing one demand at once (some submitting twice at the same
            moment), then all of them confirming.

It prints requests/s, p50/p95/p99 latency and errors per scenario, then checks the database
against what was sent, and exits 1 if any check fails.

    .venv/bin/python benchmarks/load.py            # or: make bench-load
    .venv/bin/python benchmarks/load.py --help     # sizes, clients, durations, URLs
"""

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import aiohttp
import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
# 2 cores: sync workers spend part of each request waiting on PostgreSQL and Redis, so
# gunicorn's (2 x cores) + 1 keeps both cores busy without queueing behind blocked workers.
WEB_WORKERS = 5
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COUNT_HTML = re.compile(r'demand-count__number">(\d+)<')
WEBMAIL = ["outlook.com", "hotmail.com", "yahoo.co.uk", "icloud.com", "nhs.net"]
POSTCODES = ["M1 1AA", "SW1A 1AA", "LS1 4AP", "CF10 1EP", "G1 1XQ", "BT1 5GS", "B1 1BB", ""]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", default=os.environ.get(
        "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server URL to create the scratch database on")  # fmt: skip
    parser.add_argument("--redis", default=os.environ.get(
        "BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
        help="a Redis database of the benchmark's own: it is flushed")  # fmt: skip
    parser.add_argument("--networks", type=int, default=500)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--demands", type=int, default=50)
    parser.add_argument("--signatures", type=int, default=200_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30, help="seconds per read scenario")
    parser.add_argument("--warmup", type=float, default=5, help="seconds before measuring")
    parser.add_argument("--signers", type=int, default=3000, help="people in the surge")
    parser.add_argument("--workers", type=int, default=WEB_WORKERS, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per gunicorn worker (above 1: gthread)")  # fmt: skip
    parser.add_argument(
        "--serve", action="store_true", help="seed, serve until Ctrl-C (to profile)"
    )
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def public_url(page) -> str:
    # url_path starts with the home page's slug, which the site's root URL does not show.
    return "/" + page.url_path.split("/", 2)[2]


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


class Stack:
    """The scratch database, Redis database, gunicorn and the Celery worker."""

    def __init__(self, args):
        self.args = args
        self.name = f"fa_bench_{uuid.uuid4().hex[:8]}"
        self.database_url = with_database(args.postgres, self.name)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.tmp = Path(tempfile.mkdtemp(prefix="fa-bench-"))
        self.processes = []
        self.env = {
            **os.environ,
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DATABASE_URL": self.database_url,
            "REDIS_URL": args.redis,
            "ALLOWED_HOSTS": "127.0.0.1",
            "BASE_URL": f"https://127.0.0.1:{self.port}",
            # Behind one proxy, as in production: client addresses come from X-Forwarded-For.
            "NUM_PROXIES": "1",
            "EMAIL_URL": "dummymail://",
            "STATIC_ROOT": str(self.tmp / "static"),
            "MEDIA_ROOT": str(self.tmp / "media"),
        }

    def __enter__(self):
        with psycopg.connect(self.args.postgres, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        redis.Redis.from_url(self.args.redis).flushdb()
        os.environ.update(self.env)
        return self

    def __exit__(self, *exc):
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        # Start-up order: Django is set up only once the stack is running (main()).
        from django.db import connections

        connections.close_all()
        with psycopg.connect(self.args.postgres, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        redis.Redis.from_url(self.args.redis).flushdb()
        if exc[0] is None:
            shutil.rmtree(self.tmp, ignore_errors=True)
        else:
            print(f"Logs kept in {self.tmp}", file=sys.stderr)

    def run(self, *command):
        subprocess.run(command, cwd=ROOT, env=self.env, check=True, stdout=subprocess.DEVNULL)

    def start(self, name, *command):
        log = (self.tmp / f"{name}.log").open("w")
        self.processes.append(
            subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        )

    def serve(self):
        threads = ["--worker-class", "gthread", "--threads", str(self.args.threads)]
        self.start("web", "gunicorn", "config.wsgi:application", "--bind",
                   f"127.0.0.1:{self.port}", "--workers", str(self.args.workers),
                   *(threads if self.args.threads > 1 else []),
                   "--access-logfile", str(self.tmp / "access.log"), "--timeout", "30")  # fmt: skip
        self.start("worker", "celery", "-A", "config", "worker", "--loglevel", "warning",
                   "--without-mingle", "--without-gossip")  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/healthz/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        sys.exit(f"gunicorn did not answer; see {self.tmp / 'web.log'}")


# --- Seeding ----------------------------------------------------------------------------------


def seed(args) -> dict:
    """Everything in bulk (hub.bulk, campaigns' bulk signature import); returns what to visit."""
    # Start-up order: the site's modules load only after django.setup() in main().
    import datetime as dt

    from django.utils import timezone
    from django.utils.text import slugify

    from campaigns.models import DemandIndexPage, DemandPage, PlatformPage
    from campaigns.services import SignatureRow, signature_bulk_create
    from events.models import EventFormat, EventIndexPage, EventPage, EventType
    from hub.bulk import pages_bulk_add
    from hub.cache import content_changed
    from hub.models import HomePage, Region, Topic
    from hub.roles import Role
    from networks.models import NetworkIndexPage, NetworkKind, NetworkPage, name_key

    rng = random.Random(7)
    home = HomePage.objects.get()
    directory = home.add_child(instance=NetworkIndexPage(title="Networks", slug="networks"))
    finder = home.add_child(instance=EventIndexPage(title="Events", slug="events"))
    demands_index = home.add_child(instance=DemandIndexPage(title="Demands", slug="demands"))
    platform = demands_index.add_child(
        instance=PlatformPage(title="Platform for an IAPT inquiry", slug="iapt-inquiry")
    )
    topics = Topic.objects.bulk_create(
        [Topic(name=f"Topic {n}", slug=f"topic-{n}") for n in range(12)]
    )
    regions = list(Region.objects.all())
    kinds = list(NetworkKind.values)

    titles = [f"Network {n} for mental health" for n in range(args.networks)]
    networks = pages_bulk_add(
        parent=directory,
        pages=[
            NetworkPage(title=title, slug=slugify(title), name_key=name_key(title),
                        kind=kinds[n % len(kinds)], description=f"<p>{title}.</p>")
            for n, title in enumerate(titles)
        ],
    )  # fmt: skip
    NetworkPage.regions.through.objects.bulk_create(
        [NetworkPage.regions.through(networkpage_id=network.pk, region_id=rng.choice(regions).pk)
         for network in networks]
    )  # fmt: skip

    now = timezone.now()
    types, formats = list(EventType.values), list(EventFormat.values)

    def event(number: int, network):
        start = now + dt.timedelta(hours=rng.randint(-24 * 60, 24 * 180))
        event_format = formats[number % len(formats)]
        return EventPage(
            title=f"Event {number}", slug=f"event-{number}", start=start,
            end=start + dt.timedelta(hours=2), event_type=rng.choice(types),
            format=event_format, town="Manchester", venue="A hall",
            region=rng.choice(regions), organising_network=network,
            online_url="" if event_format == EventFormat.IN_PERSON else "https://meet.example.org/r",
        )  # fmt: skip

    # Half the events are hub-wide, below the finder; half are the networks' own.
    hub_wide = args.events // 2
    events = pages_bulk_add(parent=finder, pages=[event(n, None) for n in range(hub_wide)])
    per_network = (args.events - hub_wide) // max(len(networks), 1)
    number = hub_wide
    for network in networks:
        events += pages_bulk_add(
            parent=network, pages=[event(number + k, network) for k in range(per_network)]
        )
        number += per_network
    EventPage.topics.through.objects.bulk_create(
        [EventPage.topics.through(eventpage_id=item.pk, topic_id=rng.choice(topics).pk)
         for item in events]
    )  # fmt: skip

    demands = pages_bulk_add(
        parent=platform,
        pages=[
            DemandPage(title=f"Demand {n}", slug=f"demand-{n}", ask="A public inquiry into IAPT.",
                       status="open", milestones="1000,10000,100000,1000000")
            for n in range(args.demands)
        ],
    )  # fmt: skip
    # The surge demand holds half the signatures: a demand that has already gone viral.
    shares = [args.signatures // 2] + [
        (args.signatures - args.signatures // 2) // max(args.demands - 1, 1)
    ] * (args.demands - 1)
    signer_kinds = list(Role.values)
    email_number = 0
    for demand, share in zip(demands, shares, strict=True):
        rows = []
        for _ in range(share):
            rows.append(
                SignatureRow(name=f"Signer {email_number}", email=f"seed-{email_number}@gmail.com",
                             kind=rng.choice(signer_kinds), postcode=rng.choice(POSTCODES),
                             affiliation_id=rng.choice(networks).pk if rng.random() < 0.3 else None,
                             show_name=rng.random() < 0.4,
                             confirmed_at=now - dt.timedelta(minutes=rng.randint(1, 60 * 24 * 90)))
            )  # fmt: skip
            email_number += 1
        signature_bulk_create(demand=demand, rows=rows)
    content_changed()
    return {
        "networks": [public_url(network) for network in networks],
        "events": [item.pk for item in events],
        "demands": [public_url(demand) for demand in demands],
        "surge": demands[0],
        "regions": [region.slug for region in regions],
        "topics": [topic.slug for topic in topics],
    }


# --- Load generation -------------------------------------------------------------------------


class Results:
    def __init__(self):
        self.latencies = defaultdict(list)
        self.errors = defaultdict(int)
        self.started = self.finished = 0.0

    def add(self, kind, seconds, ok):
        self.latencies[kind].append(seconds)
        if not ok:
            self.errors[kind] += 1

    def report(self, title, kinds=None):
        kinds = kinds or sorted(self.latencies)
        elapsed = self.finished - self.started
        print(f"\n{title}  ({elapsed:.1f} s)")
        print(f"  {'':<14}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
              f"{'errors':>8}")  # fmt: skip
        rows = [(kind, self.latencies[kind], self.errors[kind]) for kind in kinds]
        everything = [value for kind in kinds for value in self.latencies[kind]]
        rows.append(("all", everything, sum(self.errors[kind] for kind in kinds)))
        for kind, values, errors in rows:
            if not values:
                continue
            cuts = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
            print(f"  {kind:<14}{len(values):>9}{len(values) / elapsed:>9.0f}"
                  f"{cuts[49] * 1000:>9.1f}{cuts[94] * 1000:>9.1f}{cuts[98] * 1000:>9.1f}"
                  f"{errors:>8}")  # fmt: skip


def client_headers(number: int) -> dict:
    # A distinct visitor address per client; the proxy gunicorn trusts says it came over HTTPS.
    return {
        "X-Forwarded-For": f"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}",
        "X-Forwarded-Proto": "https",
    }


def reading_mix(site: dict):
    rng = random.Random()
    kinds = ["in-person", "online", "hybrid"]

    def pick():
        roll = rng.randrange(7)
        if roll == 0:
            return "home", "/"
        if roll == 1:
            return "directory", "/networks/"
        if roll == 2:
            return "network", rng.choice(site["networks"])
        if roll == 3:
            query = rng.choice([
                "", f"?format={rng.choice(kinds)}", "?when=this-month",
                f"?region={rng.choice(site['regions'])}&when=this-week",
                f"?topic={rng.choice(site['topics'])}&format={rng.choice(kinds)}",
            ])  # fmt: skip
            return "finder", f"/events/{query}"
        if roll == 4:
            return "demand", rng.choice(site["demands"])
        if roll == 5:
            return "counts", f"{rng.choice(site['demands'])}counts/"
        feed = rng.choice([f"/event-links/event-{rng.choice(site['events'])}.ics",
                           f"/events/calendar.ics?format={rng.choice(kinds)}"])  # fmt: skip
        return "ics", feed

    return pick


async def read_load(base, pick, *, clients, duration, warmup) -> Results:
    results = Results()
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(
        base, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar(),
        connector=aiohttp.TCPConnector(limit=clients),
    ) as session:  # fmt: skip

        async def visitor(number):
            headers = client_headers(number)
            while time.perf_counter() < stop:
                kind, url = pick()
                began = time.perf_counter()
                try:
                    async with session.get(url, headers=headers, allow_redirects=False) as resp:
                        await resp.read()
                        ok = resp.status == 200
                except (aiohttp.ClientError, TimeoutError):
                    ok = False
                if began >= results.started:
                    results.add(kind, time.perf_counter() - began, ok)

        now = time.perf_counter()
        results.started = now + warmup
        stop = results.started + duration
        await asyncio.gather(*(visitor(number) for number in range(clients)))
        results.finished = time.perf_counter()
    return results


@contextlib.asynccontextmanager
async def folding_every_second(fold):
    """The beat's fold, every second, racing the requests as it does in production."""
    done = asyncio.Event()

    async def folding():
        while not done.is_set():
            await asyncio.to_thread(fold)
            await asyncio.sleep(1)

    folder = asyncio.create_task(folding())
    try:
        yield
    finally:
        done.set()
        await folder


async def surge(base, demand_url, *, signers, clients, run, fold) -> tuple[Results, dict]:
    """Each person fetches the page (CSRF cookie and token), then signs; one in ten submits the
    form twice at the same moment. Returns the timings and what the server accepted."""
    results = Results()
    accepted = {}
    origin = f"https://{urlsplit(base).netloc}"
    queue = asyncio.Queue()
    for number in range(signers):
        queue.put_nowait(number)

    async with aiohttp.ClientSession(
        base, timeout=aiohttp.ClientTimeout(total=60), cookie_jar=aiohttp.DummyCookieJar(),
        connector=aiohttp.TCPConnector(limit=clients * 2),
    ) as session:  # fmt: skip

        async def post(url, data, headers):
            began = time.perf_counter()
            try:
                async with session.post(url, data=data, headers=headers) as resp:
                    body = await resp.text()
                    ok = resp.status == 200 and "Check your email" in body
            except (aiohttp.ClientError, TimeoutError):
                ok = False
            results.add("sign", time.perf_counter() - began, ok)
            return ok

        async def person():
            while not queue.empty():
                number = queue.get_nowait()
                headers = client_headers(0x10000 + number)
                began = time.perf_counter()
                try:
                    async with session.get(demand_url, headers=headers) as resp:
                        body = await resp.text()
                        cookie = resp.cookies["csrftoken"].value
                        token = CSRF_INPUT.search(body).group(1)
                        ok = resp.status == 200
                except (aiohttp.ClientError, TimeoutError, KeyError, AttributeError):
                    ok = False
                results.add("page", time.perf_counter() - began, ok)
                if not ok:
                    continue
                email = f"surge-{run}-{number}@{WEBMAIL[number % len(WEBMAIL)]}"
                data = {"csrfmiddlewaretoken": token, "name": f"Surge signer {number}",
                        "email": email, "postcode": POSTCODES[number % len(POSTCODES)],
                        "kind": "worker" if number % 2 else "service-user", "affiliation": "",
                        "website": ""}  # fmt: skip
                if number % 3 == 0:
                    data["show_name"] = "on"
                headers = {**headers, "Cookie": f"csrftoken={cookie}", "Origin": origin,
                           "Referer": f"{origin}{demand_url}"}  # fmt: skip
                times = 2 if number % 10 == 0 else 1
                answers = await asyncio.gather(
                    *(post(demand_url, data, headers) for _ in range(times))
                )
                if any(answers):
                    accepted[email] = number

        async with folding_every_second(fold):
            results.started = time.perf_counter()
            await asyncio.gather(*(person() for _ in range(clients)))
            results.finished = time.perf_counter()
    return results, accepted


async def confirm_all(base, links, *, clients, fold) -> tuple[Results, int]:
    """`links`: (token, the confirmation form's fields) for each person."""
    results = Results()
    confirmed = 0
    origin = f"https://{urlsplit(base).netloc}"
    queue = asyncio.Queue()
    for number, (token, choices) in enumerate(links):
        queue.put_nowait((number, token, choices))

    async with aiohttp.ClientSession(
        base, timeout=aiohttp.ClientTimeout(total=60), cookie_jar=aiohttp.DummyCookieJar(),
        connector=aiohttp.TCPConnector(limit=clients),
    ) as session:  # fmt: skip

        async def person():
            nonlocal confirmed
            while not queue.empty():
                number, token, choices = queue.get_nowait()
                url = f"/signatures/confirm/{token}/"
                headers = client_headers(0x10000 + number)
                try:
                    async with session.get(url, headers=headers) as resp:
                        body = await resp.text()
                        cookie = resp.cookies["csrftoken"].value
                        csrf = CSRF_INPUT.search(body).group(1)
                except (aiohttp.ClientError, TimeoutError, KeyError, AttributeError):
                    results.add("confirm", 0.0, False)
                    continue
                headers = {**headers, "Cookie": f"csrftoken={cookie}", "Origin": origin,
                           "Referer": f"{origin}{url}"}  # fmt: skip
                began = time.perf_counter()
                try:
                    async with session.post(
                        url, data={"csrfmiddlewaretoken": csrf, **choices}, headers=headers
                    ) as resp:
                        body = await resp.text()
                        ok = resp.status == 200 and "your signature is confirmed" in body
                except (aiohttp.ClientError, TimeoutError):
                    ok = False
                results.add("confirm", time.perf_counter() - began, ok)
                confirmed += ok

        async with folding_every_second(fold):
            results.started = time.perf_counter()
            await asyncio.gather(*(person() for _ in range(clients)))
            results.finished = time.perf_counter()
    return results, confirmed


# --- Checks ----------------------------------------------------------------------------------


def fetch(url: str) -> str:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read().decode()


def check_surge(stack, demand, accepted: dict, confirmed_posts: int, before: int) -> list:
    """Compare the database with what was sent; returns (check, passed, detail) rows."""
    # Start-up order: the site's modules load only after django.setup() in main().
    from django.db.models import Count

    from campaigns import selectors
    from campaigns.models import Signature
    from campaigns.services import tally_fold, tally_recount
    from hub.addresses import email_canonical

    canonical = {email_canonical(email) for email in accepted}
    rows = Signature.objects.filter(demand=demand, email_canonical__in=canonical)
    stored = rows.count()
    doubled = (
        rows.values("email_canonical").annotate(n=Count("pk")).filter(n__gt=1).count()
    )  # fmt: skip
    held = rows.filter(held=True).count()
    confirmed = rows.filter(confirmed_at__isnull=False).count()
    surge_rows = Signature.objects.filter(demand=demand, email__startswith="surge-").count()
    while tally_fold(demand_id=demand.pk):
        pass
    displayed = selectors.demand_count(demand=demand)
    recounted = Signature.objects.filter(selectors.COUNTED, demand=demand).count()
    drift = tally_recount(demand_id=demand.pk)
    # The counts endpoint caches for 5 s; the demand page's count is live even when cached.
    time.sleep(6)
    endpoint = json.loads(fetch(f"{stack.base}{public_url(demand)}counts/"))["signatures"]
    page_count = int(COUNT_HTML.search(fetch(f"{stack.base}{public_url(demand)}")).group(1))
    return [
        ("every accepted signature stored", stored == len(canonical),
         f"{stored} stored of {len(canonical)} accepted"),
        ("nothing stored that was not accepted", surge_rows == len(canonical),
         f"{surge_rows} surge rows"),
        ("none doubled", doubled == 0, f"{doubled} emails with more than one row"),
        ("none held (distinct addresses)", held == 0, f"{held} held"),
        ("every confirmation counted", confirmed == confirmed_posts == len(canonical),
         f"{confirmed} confirmed rows, {confirmed_posts} confirmations answered"),
        ("count = before + confirmed", displayed == before + confirmed,
         f"{displayed} = {before} + {confirmed}"),
        ("count = recount", displayed == recounted, f"{displayed} shown, {recounted} recounted"),
        ("stored tally needed no correction", drift == 0, f"drift {drift:+d}"),
        ("counts endpoint = recount", endpoint == recounted, f"{endpoint}"),
        ("cached demand page shows the live count", page_count == recounted, f"{page_count}"),
    ]  # fmt: skip


def main():
    args = parse_args()
    sys.path.insert(0, str(ROOT))
    print(f"Load benchmark: {args.networks} networks, {args.events} events, {args.demands} "
          f"demands, {args.signatures} signatures; {args.clients} clients; "
          f"{args.workers} gunicorn workers, {args.threads} thread(s) each; "
          f"{os.cpu_count()} CPUs")  # fmt: skip
    with Stack(args) as stack:
        print("Preparing: collectstatic, migrate, seed ...", flush=True)
        stack.run(str(ROOT / "bin/build-static"))
        stack.run(sys.executable, "manage.py", "migrate_with_lock", "--noinput")
        # Start-up order: settings are read from the environment this stack has just set.
        import django

        django.setup()
        from django.db import connections

        began = time.monotonic()
        site = seed(args)
        print(f"Seeded in {time.monotonic() - began:.0f} s", flush=True)
        # A live database has planner statistics; bulk inserts leave none until autovacuum.
        with connections["default"].cursor() as cursor:
            cursor.execute("ANALYZE")
        connections.close_all()
        stack.serve()
        if args.serve:
            print(f"Serving on {stack.base} (X-Forwarded-Proto: https); Ctrl-C stops", flush=True)
            # Background jobs ignore SIGINT; either signal stops the stack cleanly.
            for number in (signal.SIGINT, signal.SIGTERM):
                signal.signal(number, signal.default_int_handler)
            with contextlib.suppress(KeyboardInterrupt):
                signal.pause()
            return

        # Start-up order: after django.setup() above.
        from campaigns import selectors
        from campaigns.models import Signature
        from campaigns.services import signature_token
        from campaigns.tasks import fold_signature_counts

        floor = asyncio.run(read_load(
            stack.base, lambda: ("healthz", "/healthz/"), clients=args.clients,
            duration=args.duration, warmup=args.warmup))  # fmt: skip
        floor.report("0. Floor: /healthz/, answered by the first middleware (gunicorn + client)")
        reading = asyncio.run(read_load(stack.base, reading_mix(site), clients=args.clients,
                                        duration=args.duration, warmup=args.warmup))  # fmt: skip
        reading.report("a. Reading mix")
        one_demand = site["demands"][1]
        demand_only = asyncio.run(read_load(
            stack.base, lambda: ("demand page", one_demand), clients=args.clients,
            duration=args.duration, warmup=args.warmup))  # fmt: skip
        demand_only.report("a. One demand page (anonymous, cached, count live)")

        demand = site["surge"]
        demand_url = public_url(demand)
        before = selectors.demand_count(demand=demand)
        connections.close_all()
        run = uuid.uuid4().hex[:6]
        signing, accepted = asyncio.run(surge(
            stack.base, demand_url, signers=args.signers, clients=args.clients, run=run,
            fold=fold_signature_counts.delay))  # fmt: skip
        signing.report("b. Surge: signing (page = GET for the form, sign = each POST)")
        print(
            f"  {len(accepted)} people accepted, "
            f"{len(accepted) / (signing.finished - signing.started):.0f} signatures/s"
        )

        # Each person confirms the details they signed with, as the prefilled form posts them.
        links = [
            (signature_token(signature=signature, action="confirm"),
             {"name": signature.name, "kind": signature.kind,
              "postcode": signature.postcode_outward, "affiliation": "",
              **({"show_name": "on"} if signature.show_name else {})})
            for signature in Signature.objects.filter(demand=demand, email__in=list(accepted))
        ]  # fmt: skip
        connections.close_all()
        fold = fold_signature_counts.delay
        confirming, confirmed_posts = asyncio.run(
            confirm_all(stack.base, links, clients=args.clients, fold=fold)
        )
        confirming.report("b. Surge: confirming (POST of each confirmation link)")

        checks = check_surge(stack, demand, accepted, confirmed_posts, before)
        print("\nIntegrity after the surge")
        for name, passed, detail in checks:
            print(f"  {'PASS' if passed else 'FAIL'}  {name}: {detail}")
        failed = [name for name, passed, _detail in checks if not passed]
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
