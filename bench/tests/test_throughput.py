"""Page throughput over HTTP (bench.throughput): wrk's script and output, the ratios and the table rows
without a server; then once for real, gunicorn and wrk on a tiny caseload (skipped without wrk)."""

import datetime as dt
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from closewell.demo.caseload import generate_caseload
from django.test import Client

from bench import pages, report, throughput
from bench.common import bench_users

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:8765
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    19.28ms    5.01ms  60.12ms   80.00%
    Req/Sec   208.00     20.00   250.00     70.00%
  2080 requests in 5.00s, 1.20MB read
Requests/sec:    416.00
Transfer/sec:    240.00KB
BENCH {"requests": 2080, "duration_us": 5000000, "non_2xx": 0, "non_2xx_status": 0, \
"errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0}, \
"latency_us": {"p50": 18000, "p90": 25000, "p99": 40000, "mean": 19280, "max": 60120}}
"""


def run_of(rps: float, *, p50_ms: float = 20, non_2xx: int = 0, seconds: float = 5) -> dict:
    return {
        "requests": round(rps * seconds),
        "duration_us": seconds * 1e6,
        "rps": rps,
        "non_2xx": non_2xx,
        "non_2xx_status": 302 if non_2xx else 0,
        "errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0},
        "latency_us": {"p50": p50_ms * 1000, "p90": p50_ms * 1500, "p99": p50_ms * 2000},
    }


def test_the_wrk_script_rotates_over_each_pages_pairs_and_counts_what_is_not_2xx():
    script = throughput.lua_script([("/cases/", "sessionid=abc"), ('/search/?q=O"Brien', "")])
    assert '  {"/cases/", "sessionid=abc"},' in script
    assert '  {"/search/?q=O\\"Brien", ""},' in script  # a Lua string, quote escaped
    assert "i = i % #formatted + 1" in script and "return formatted[i]" in script
    assert "if status < 200 or status > 299 then" in script  # wrk itself lets a 3xx pass
    assert script.count("BENCH {") == 1
    with pytest.raises(ValueError):
        throughput.lua_script([("/cases/\n", "")])
    with pytest.raises(ValueError):
        throughput.lua_script([])


def test_wrk_output_is_read_from_the_scripts_line():
    run = throughput.parse_wrk(WRK_OUTPUT)
    assert run["rps"] == 416.0 and run["latency_us"]["p99"] == 40000 and run["non_2xx"] == 0
    with pytest.raises(ValueError, match="no BENCH line"):
        throughput.parse_wrk("Requests/sec:    416.00\n")


def test_rounds_add_up_and_pages_are_shares_of_hello_and_hello_of_bare():
    pages_ = {
        "bare": throughput.summarise([run_of(800), run_of(600)]),
        "hello": throughput.summarise([run_of(400), run_of(300, p50_ms=30)]),
        "case": throughput.summarise([run_of(100), run_of(110)]),
    }
    assert pages_["hello"]["rps"] == 350 and pages_["hello"]["rounds_rps"] == [400, 300]
    assert pages_["hello"]["latency_ms"]["p50"] == 25  # the median of the rounds
    assert throughput.ratios(pages_) == {"case": 105 / 350, "hello_vs_bare": 0.5}


def test_an_answer_that_is_not_2xx_stops_the_bench():
    assert throughput.non_2xx_error("case", run_of(100)) is None
    message = throughput.non_2xx_error("case", run_of(100, non_2xx=3))
    assert message.startswith("case: 3 of 500 answers were not 2xx (the last 302)")


def in_process(n=100):
    return {"n": n, "p50": 40.0, "p95": 80.0, "p99": 90.0, "mean": 45.0, "cpu_p50": 10.0, "cpu_mean": 11.0}


def http_figures():
    measured = {
        "bare": throughput.summarise([run_of(800)]),
        "hello": throughput.summarise([run_of(416)]),
        "my_cases": throughput.summarise([run_of(200)]),
        "case": throughput.summarise([run_of(41)]),
    }
    config = {
        "wrk": "-t2 -c8",
        "seconds": 5,
        "rounds": 3,
        "gunicorn_workers": 4,
        "sessions": "Redis (REDIS_URL)",
    }
    return {"config": config, "pages": measured, "ratios": throughput.ratios(measured)}


def test_the_targets_rows_come_from_http_and_the_server_times_from_the_process():
    r = {
        "sessions": "Redis (REDIS_URL)",
        "pages": {"hello": in_process(), "my_cases": in_process(), "case": {**in_process(), "queries_5": 18}},
        "http": http_figures(),
    }
    r["pages"]["case"]["queries_500"] = 18
    found = {what: value for what, _, value in report.page_rows(r)}
    assert found["Configuration"] == (
        "sessions in Redis (REDIS_URL); gunicorn (config/gunicorn.py, 4 workers) and wrk -t2 -c8, "
        "3 interleaved rounds of 5 s a page"
    )
    bare = next(what for what in found if "against a bare Django hello" in what)
    assert found[bare] == "52% — **met**; 416 req/s against 800 req/s"
    assert found["My cases (a worker): requests/s over HTTP against /bench/hello/'s"] == (
        "48% — **met**; 200 req/s, latency p50 20 ms, p99 40 ms"
    )
    assert found["Case page: requests/s over HTTP against /bench/hello/'s"].startswith(
        "10% — **missed** by 30 pt (25% of the target); 41 req/s"
    )
    assert found["Case page: server time in process p50 / p95 (100 requests)"] == (
        "p50 40 ms, p95 80 ms (CPU p50 10 ms)"
    )
    assert found["Case page: SQL queries, case with 5 contacts and with 500"] == "18 and 18 — **met**"


def test_each_page_says_the_most_its_queries_allow_against_hello_and_the_floor_has_a_row():
    # Hello costs the 2 cores 2,000 / 416 = 4.81 ms a request over HTTP. The case page costs at least
    # that, plus the layout's 1 ms beyond hello and 17 ORM queries beyond the layout's 1 at 0.5 ms:
    # 4.81 / (4.81 + 9.5) = 34%. My cases, 2 queries more: 4.81 / (4.81 + 2) = 71%.
    floor = {
        "cores": 2,
        "hello_cpu": 1.0,
        "layout_cpu": 2.0,
        "orm_ms": 0.5,
        "cursor_ms": 0.1,
        "queries": {"hello": 1, "layout": 1, "my_cases": 3, "case": 18},
    }
    r = {
        "sessions": "the database",
        "pages": {"hello": in_process(), "my_cases": in_process(), "case": in_process()},
        "http": http_figures(),
        "floor": floor,
    }
    found = {what: value for what, _, value in report.page_rows(r)}
    assert found["Case page: requests/s over HTTP against /bench/hello/'s"].endswith(
        "; with its 18 queries, at most 34% in this stack (the floor below)"
    )
    assert found["My cases (a worker): requests/s over HTTP against /bench/hello/'s"].endswith(
        "; with its 3 queries, at most 71% in this stack (the floor below)"
    )
    assert found["What any page costs at the least here: CPU in process"] == (
        "a query through Django's ORM 0.50 ms (the same SQL through the cursor 0.10 ms); the layout with "
        "nothing in it 2.0 ms (hello 1.0 ms, 1 and 1 queries)"
    )
    # A layout cheaper than hello (noise) adds nothing, never a negative cost.
    assert report.most_share({**floor, "layout_cpu": 0.5}, 416, "layout") == 1.0


def test_without_wrk_the_bench_says_so_and_measures_nothing(monkeypatch):
    monkeypatch.setattr(throughput, "wrk_path", lambda: None)
    measured = throughput.run({"hello": [(None, "/bench/hello/")]}, lambda user: "", seconds=1, rounds=1)
    assert measured["skipped"].startswith("wrk is not installed")
    r = {"pages": {"hello": in_process(), "case": in_process()}, "http": measured}
    found = {what: value for what, _, value in report.page_rows(r)}
    assert found["Case page: requests/s over HTTP against /bench/hello/'s"] == (
        "not measured: wrk is not installed (Debian: apt-get install wrk)"
    )
    assert found["Configuration"].endswith(
        "pages over HTTP not measured: wrk is not installed (Debian: apt-get install wrk)"
    )


def test_the_load_report_says_when_everyone_had_signed_in():
    assert report.signed_in({"sessions": "Redis (REDIS_URL)", "signed_in_after": 12.4, "duration": 60}) == (
        "Sessions in Redis (REDIS_URL). Everyone had signed in after 12 s (the first quarter is 15 s); "
        "the figures count from then."
    )
    assert "Not everyone had signed in" in report.signed_in({"signed_in_after": None, "duration": 60})


@pytest.mark.django_db
def test_hello_needs_a_sign_in_and_bare_does_not(settings):
    """A redirect from hello would be measured as a fast page; the bare one is open to anyone."""
    settings.ROOT_URLCONF = "bench.urls"
    assert Client().get("/bench/hello/").status_code == 302
    assert Client().get("/bench/bare/").status_code == 200


class SignInOrHello(BaseHTTPRequestHandler):
    """200 with a cookie, a redirect to sign-in without one."""

    def do_GET(self):
        signed_in = "Cookie" in self.headers
        self.send_response(200 if signed_in else 302)
        self.send_header("Location", "/login/")
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, *args):
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # wrk hangs up mid-answer when its time is up


@pytest.mark.skipif(not throughput.wrk_path(), reason="wrk is not installed")
def test_wrks_script_sends_each_pairs_cookie_and_counts_the_redirects_wrk_would_pass():
    server = QuietServer(("127.0.0.1", 0), SignInOrHello)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        pairs = [("/bench/hello/", "sessionid=a"), ("/bench/hello/", "")]
        run = throughput.wrk(base, pairs, 1, wrk_bin=throughput.wrk_path())
    finally:
        server.shutdown()
    assert run["requests"] > 0 and run["non_2xx_status"] == 302
    assert 0.3 < run["non_2xx"] / run["requests"] < 0.7  # every other request has no cookie


@pytest.mark.skipif(not throughput.wrk_path(), reason="wrk is not installed")
@pytest.mark.django_db(transaction=True)
def test_gunicorn_and_wrk_on_a_tiny_caseload(settings, tmp_path):
    """The real thing, briefly: two gunicorns on the test database, wrk with the sessions made here."""
    settings.ROOT_URLCONF = "bench.urls"
    settings.ALLOWED_HOSTS = ["*"]
    generate_caseload(children=20, seed=1, today=dt.date(2026, 11, 23))
    users = bench_users()
    found = pages.targets(cases=3, officer=users["bench.officer"])
    found = {key: found[key] for key in ("hello", "case")}
    cookie = throughput.session_cookie(pages.Clients())
    measured = throughput.run(found, cookie, seconds=1, rounds=1, workers=1, log_dir=tmp_path)
    assert set(measured["pages"]) == {"bare", "hello", "case"}
    assert all(p["requests"] > 0 and p["non_2xx"] == 0 for p in measured["pages"].values())
    assert set(measured["ratios"]) == {"case", "hello_vs_bare"}
    assert measured["config"]["sessions"] == "the database"
