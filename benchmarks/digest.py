"""Digest benchmark: seed N members with follows (one in ten a subscriber without an account),
run one weekly digest through real Celery workers on Redis into an SMTP sink on loopback, and
print digests per second, queries per member and the workers' peak memory. The floor is the rate
of plain messages sent to the same sink over one connection, just before and after the run:
digests per second are quoted as a ratio to it, since the machine's load moves both.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fa_bench REDIS_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python benchmarks/digest.py --members 100000 --workers 2

The database is migrated and seeded on first use (bulk inserts) and reused after; each run clears
the previous benchmark runs first, so it sends to everyone again.
"""

import argparse
import logging
import os
import random
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
os.environ["DEBUG"] = "false"  # DEBUG keeps every query in memory, which would skew the numbers

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.mail import EmailMessage  # noqa: E402
from django.core.mail.backends.smtp import EmailBackend  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from campaigns.factories import DemandPageFactory  # noqa: E402
from config.celery import app  # noqa: E402
from digests import services  # noqa: E402
from digests.models import DigestDelivery, DigestRun, MemberPreferences  # noqa: E402
from digests.tasks import start_digest_run  # noqa: E402
from events.factories import EventPageFactory  # noqa: E402
from hub.factories import TopicFactory  # noqa: E402
from hub.models import OutboxMessage, Region, Topic  # noqa: E402
from networks.factories import NetworkPageFactory, PositionPageFactory  # noqa: E402
from networks.models import NetworkPage  # noqa: E402
from pledges.models import Pledge, PledgeStatus  # noqa: E402

EMAIL_DOMAIN = "bench.free-association.example"
NETWORKS = 40
TOPICS = 12
PROBE_BATCH = 500
FLOOR_MESSAGES = 5000
UNUSABLE = "!"  # Django's mark of an unusable password: nobody signs in as a seeded member
SUBSCRIBER_SHARE = 10  # one member in this many has no account, just a confirmed address


class CountingSink:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += len(envelope.rcpt_tos)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_members():
    return MemberPreferences.objects.filter(
        Q(user__email__endswith=f"@{EMAIL_DOMAIN}") | Q(email__endswith=f"@{EMAIL_DOMAIN}")
    )


def seed(members: int) -> None:
    User = get_user_model()
    if bench_members().count() == members:
        print(f"reusing {members} seeded members")
        return
    started = time.monotonic()
    rng = random.Random(6)
    subscribers = members // SUBSCRIBER_SHARE
    with transaction.atomic():
        User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()
        bench_members().delete()
        if not NetworkPage.objects.filter(title__startswith="Bench network").exists():
            now = timezone.now()
            topics = [TopicFactory(name=f"Bench topic {i}") for i in range(TOPICS)]
            regions = list(Region.objects.all())
            for i in range(NETWORKS):
                network = NetworkPageFactory(title=f"Bench network {i}")
                PositionPageFactory(parent=network, first_published_at=now)
                event = EventPageFactory(
                    organising_network=network,
                    region=regions[i % len(regions)],
                    start=now + timezone.timedelta(days=1 + i % 10),
                    first_published_at=now,
                )
                event.topics.set([topics[i % TOPICS]])
                event.save()
                if i % 4 == 0:
                    demand = DemandPageFactory(first_published_at=now)
                    demand.topics.set([topics[i % TOPICS]])
                    demand.save()
                if i % 4 == 1:
                    pledge = Pledge.objects.create(
                        slug=f"bench-pledge-{i}", action="refuse unpaid overtime", threshold=500,
                        deadline=now.date() + timezone.timedelta(days=30), network=network,
                        status=PledgeStatus.OPEN, reviewed_at=now,
                    )  # fmt: skip
                    pledge.topics.set([topics[i % TOPICS]])
        network_ids = list(
            NetworkPage.objects.filter(title__startswith="Bench network").values_list(
                "pk", flat=True
            )
        )
        topic_ids = list(
            Topic.objects.filter(name__startswith="Bench topic").values_list("pk", flat=True)
        )
        region_ids = list(Region.objects.values_list("pk", flat=True))
        User.objects.bulk_create(
            (
                User(email=f"m{i}@{EMAIL_DOMAIN}", password=UNUSABLE)
                for i in range(members - subscribers)
            ),
            batch_size=5000,
        )
        user_ids = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").values_list(
            "pk", flat=True
        )
        MemberPreferences.objects.bulk_create(
            (MemberPreferences(user_id=pk, digest_frequency="weekly") for pk in user_ids),
            batch_size=5000,
        )
        now = timezone.now()
        MemberPreferences.objects.bulk_create(
            (
                MemberPreferences(
                    email=f"s{i}@{EMAIL_DOMAIN}", digest_frequency="weekly", confirmed_at=now
                )
                for i in range(subscribers)
            ),
            batch_size=5000,
        )
        prefs = list(bench_members().values_list("pk", flat=True))
        for field, target, ids, per_member in (
            ("networks", "networkpage_id", network_ids, 3),
            ("topics", "topic_id", topic_ids, 2),
            ("regions", "region_id", region_ids, 1),
        ):
            through = getattr(MemberPreferences, field).through
            through.objects.bulk_create(
                (
                    through(memberpreferences_id=pk, **{target: choice})
                    for pk in prefs
                    for choice in rng.sample(ids, per_member)
                ),
                batch_size=10000,
            )
    print(f"seeded {members} members ({subscribers} without an account) "
          f"in {time.monotonic() - started:.1f}s")  # fmt: skip


def start_worker(queue: str, number: int, email_url: str):
    env = {**os.environ, "EMAIL_URL": email_url, "DEBUG": "false"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo",
         "--queues", queue, "--hostname", f"{queue}-{number}@localhost", "--loglevel", "warning",
         "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def floor_rate(port: int, count: int) -> float:
    """Plain messages per second over one SMTP connection to the sink: no database, no template."""
    backend = EmailBackend(host="127.0.0.1", port=port, use_tls=False, use_ssl=False)
    messages = [
        EmailMessage(subject="Floor", body="Floor", from_email="bench@localhost",
                     to=[f"floor{n}@{EMAIL_DOMAIN}"])
        for n in range(count)
    ]  # fmt: skip
    started = time.monotonic()
    with backend:
        for message in messages:
            backend.send_messages([message])
    return count / (time.monotonic() - started)


def peak_rss_mb(pid: int) -> float:
    # VmHWM is the process's peak resident set size.
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not settings.REDIS_URL:
        sys.exit("Set REDIS_URL: the digest goes through real workers on Redis.")

    call_command("migrate", verbosity=0)
    seed(args.members)
    DigestDelivery.objects.filter(preferences__in=bench_members()).delete()
    DigestRun.objects.all().delete()
    OutboxMessage.objects.filter(to__0__endswith=f"@{EMAIL_DOMAIN}").delete()

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    sink = CountingSink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    queue = f"bench-{uuid.uuid4().hex[:6]}"
    workers = [start_worker(queue, n, f"smtp://127.0.0.1:{port}") for n in range(args.workers)]
    try:
        names = [f"{queue}-{n}@localhost" for n in range(args.workers)]
        while len(app.control.ping(destination=names, timeout=1)) < args.workers:
            time.sleep(0.5)
        app.conf.task_always_eager = False
        floor_before = floor_rate(port, min(args.members, FLOOR_MESSAGES))
        sink.count = 0
        started = time.monotonic()
        start_digest_run.apply_async(kwargs={"frequency": "weekly"}, queue=queue)
        while not DigestRun.objects.filter(finished_at__isnull=False).exists():
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        run = DigestRun.objects.get()
        peaks = [peak_rss_mb(worker.pid) for worker in workers]
        received = sink.count
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait()

    # Queries per member: one more batch of the same code in this process, to a probe period,
    # for members (and subscribers in their share) whose digest is forgotten first so that it is
    # not empty.
    probe = DigestRun.objects.create(frequency="weekly", period=f"probe-{uuid.uuid4().hex[:6]}")
    probe_subscribers = PROBE_BATCH // SUBSCRIBER_SHARE
    ids = [
        *bench_members()
        .filter(user__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[: PROBE_BATCH - probe_subscribers],
        *bench_members()
        .filter(user__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:probe_subscribers],
    ]
    DigestDelivery.objects.filter(preferences_id__in=ids).delete()
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
        ),
        CaptureQueriesContext(connection) as queries,
    ):
        services.digest_batch_send(run_id=probe.pk, member_ids=ids)
    # Measured either side of the run, as the load on a shared machine moves.
    floor = (floor_before + floor_rate(port, min(args.members, FLOOR_MESSAGES))) / 2
    controller.stop()

    print(f"members:            {args.members}")
    print(
        f"workers:            {args.workers} (solo pool), batches of {settings.DIGEST_BATCH_SIZE}"
    )
    print(f"digests:            {run.sent} sent, {run.skipped_empty} empty, {run.failed} failed; "
          f"{received} received by the SMTP sink")  # fmt: skip
    print(f"time:               {elapsed:.1f}s from beat to the run finished")
    print(f"digests/second:     {run.sent / elapsed:.0f}")
    print(f"floor:              {floor:.0f} plain messages/s over one connection to the sink")
    print(f"digests/s : floor:  {run.sent / elapsed / floor:.3f}")
    print(f"queries per member: {len(queries) / len(ids):.2f} "
          f"({len(queries)} for a batch of {len(ids)})")  # fmt: skip
    print(f"worker peak RSS:    {', '.join(f'{mb:.0f} MB' for mb in peaks)}")


if __name__ == "__main__":
    main()
