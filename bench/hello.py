"""What a signed-in request costs before its view: /bench/hello/ in one process, against the bench database
in DATABASE_URL (REDIS_URL for sessions in Redis). Prints the queries one request makes and ms per
request (wall and this process's CPU, medians of rounds), and the same view through no middleware.

    python -m bench.hello [--user gen.manager001 --device] [--rounds 7] [--profile]

--device puts a confirmed authenticator in the session (a manager's, with REQUIRE_TWO_FACTOR=1);
--profile prints a cProfile of 1,000 requests instead."""

import argparse
import cProfile
import os
import pstats
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from closewell.accounts.models import Role, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

PER_ROUND = 200


def signed_in(user, device: bool) -> Client:
    client = Client()
    client.force_login(user)
    if device:
        found = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        found = found or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = found.persistent_id
        session.save()
    for _ in range(50):
        assert client.get("/bench/hello/").status_code == 200
    return client


def rounds(client: Client, url: str, n: int) -> tuple[float, float]:
    wall, cpu = [], []
    for _ in range(n):
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(PER_ROUND):
            client.get(url)
        wall.append((time.perf_counter() - start) / PER_ROUND * 1000)
        cpu.append((time.process_time() - cpu_start) / PER_ROUND * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--user", help="a username (default: the first generated social worker)")
    parser.add_argument("--device", action="store_true")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    users = User.objects.filter(is_active=True)
    user = (
        users.get(username=args.user)
        if args.user
        else users.filter(username__startswith="gen.", role=Role.SOCIAL_WORKER).order_by("pk").first()
    )
    client = signed_in(user, args.device)
    with CaptureQueriesContext(connection) as queries:
        client.get("/bench/hello/")
    print(f"{user.username} ({user.role}): {len(queries)} queries a request")
    for query in queries.captured_queries:
        print("   ", query["sql"][:120])
    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(lambda: [client.get("/bench/hello/") for _ in range(1000)])
        pstats.Stats(profile).sort_stats("cumulative").print_stats(50)
        return
    bare = Client()
    with override_settings(MIDDLEWARE=[]):
        bare.get("/bench/bare/")  # the handler loads its (empty) middleware on the first request
    hello_ms = rounds(client, "/bench/hello/", args.rounds)
    bare_ms = rounds(bare, "/bench/bare/", args.rounds)
    print(f"/bench/hello/ wall {hello_ms[0]:.3f} ms, CPU {hello_ms[1]:.3f} ms a request")
    print(f"/bench/bare/  wall {bare_ms[0]:.3f} ms, CPU {bare_ms[1]:.3f} ms a request")


if __name__ == "__main__":
    main()
