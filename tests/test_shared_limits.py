"""Rate limits shared by several API processes through a real Redis (Debian's redis-server, started
here on a free port), and what happens when Redis goes away: visitors fail open, staff logins closed."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest
import redis
from fastapi.testclient import TestClient
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from bot.serve import create_app
from bot.serve.protection import LoginThrottle, RateLimits

from conftest import free_port
from fakes import FakeAssistant, final
from test_server import with_db

pytestmark = pytest.mark.integration


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    assert server, "redis-server is not installed: run `make test-deps` (Debian package redis-server)"
    port = free_port()
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path),
                             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    client = redis.Redis(port=port, socket_connect_timeout=1)
    deadline = time.time() + 20
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.time() < deadline and proc.poll() is None, "redis-server did not start"
            time.sleep(0.1)
    url = f"redis://127.0.0.1:{port}/0"
    yield url, proc
    proc.terminate()
    proc.wait(10)


def app_on(settings, tmp_path, name, url):
    settings = with_db(settings, tmp_path / name, limits_storage_url=url, rate_limit_ip="3/minute",
                       rate_limit_conversation="")
    (tmp_path / name).mkdir(exist_ok=True)
    return create_app(settings, assistant=FakeAssistant([final("In November 2017.")]), console=False)


def test_a_visitor_over_the_limit_on_one_process_is_limited_on_the_other(redis_url, settings, tmp_path):
    url, _ = redis_url
    with TestClient(app_on(settings, tmp_path, "a", url)) as a, TestClient(app_on(settings, tmp_path, "b", url)) as b:
        assert [a.post("/api/chat", json={"question": "When?"}).status_code for _ in range(2)] == [200, 200]
        assert b.post("/api/chat", json={"question": "When?"}).status_code == 200
        refused = b.post("/api/chat", json={"question": "When?"})
        assert refused.status_code == 429 and "at most 3 per 1 minute" in refused.json()["detail"]
        assert a.post("/api/chat", json={"question": "When?"}).status_code == 429
        # a process with its own in-memory limits would have let these through: the store is shared
        with TestClient(app_on(settings, tmp_path, "c", "")) as alone:
            assert alone.post("/api/chat", json={"question": "When?"}).status_code == 200


def test_without_redis_visitors_go_through_and_staff_logins_are_refused(redis_url, settings, tmp_path, caplog):
    url, proc = redis_url
    proc.terminate()
    proc.wait(10)
    with TestClient(app_on(settings, tmp_path, "a", url)) as a:
        codes = [a.post("/api/chat", json={"question": "When?"}).status_code for _ in range(5)]
    assert codes == [200] * 5  # over the limit of 3, but the limit cannot be counted: fail open
    assert "rate-limit store cannot be reached" in caplog.text and caplog.text.count("let through unlimited") == 1

    async def login(request):
        return PlainTextResponse("wrong password", status_code=401)

    limits = RateLimits(url, login="5/15minutes")
    staff = Starlette(routes=[Route("/staff/login", login, methods=["POST"])])
    guarded = LoginThrottle(staff, limits=limits, paths={"/staff/login"}, trusted_proxies=0, delay=0)
    with TestClient(guarded) as c:
        r = c.post("/staff/login", data={"username": "staff", "password": "guess"})
    assert r.status_code == 503 and "staff login is unavailable" in r.json()["detail"]
