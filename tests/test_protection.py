"""Who the visitor is, from where, how often and how many at once (bot/serve/protection.py), without a server."""

import asyncio
import base64
import hashlib
import re

import pytest

from bot.serve.protection import (AnswerSlots, Origins, RateLimits, Refused, client_address,
                            content_security_policies, parse_limits)
from bot.serve.routes.widget import WIDGET_DIR
from bot.settings import Settings


def test_client_address_believes_only_the_trusted_proxies():
    peer = "10.0.0.5"  # the proxy, as the server sees the connection
    assert client_address(peer, "203.0.113.7", 0) == peer  # no proxy configured: the header is a lie
    assert client_address(peer, "203.0.113.7", 1) == "203.0.113.7"
    assert client_address(peer, "6.6.6.6, 203.0.113.7", 1) == "203.0.113.7"  # forged left part ignored
    assert client_address(peer, "203.0.113.7, 10.0.0.9", 2) == "203.0.113.7"  # two proxies
    assert client_address(peer, "203.0.113.7", 3) == "203.0.113.7"  # fewer hops than proxies: the first
    assert client_address(peer, "not-an-ip", 1) == peer
    assert client_address(peer, " , ", 1) == peer
    assert client_address(peer, "2001:db8::1", 1) == "2001:db8::1"
    assert client_address(None, None, 1) == "unknown"


def test_origins_own_pages_and_allowlist():
    default = Origins([])
    assert default.allows(None, "assistant.example.org")  # not a browser page
    assert default.allows("https://assistant.example.org", "assistant.example.org")  # /demo via a TLS proxy
    assert default.allows("http://127.0.0.1:7860", "127.0.0.1:7860")
    assert not default.allows("http://127.0.0.1:7861", "127.0.0.1:7860")
    assert not default.allows("https://evil.example", "assistant.example.org")
    assert not default.allows("null", "null")
    listed = Origins(["https://www.brismis.org/", "https://Museum.example"])
    assert listed.allows("https://www.brismis.org", "x") and listed.allows("https://museum.example", "x")
    assert not listed.allows("http://www.brismis.org", "x")  # scheme matters for other sites
    assert listed.cors_list() == ["https://museum.example", "https://www.brismis.org"]
    assert Origins(["*"]).allows("https://anyone.example", "x") and Origins(["*"]).cors_list() == ["*"]


def test_rate_limits_count_and_tell_when_to_come_back():
    limits = RateLimits(ip="2/minute", none="")
    assert limits.retry_after("ip", "a") is None
    limits.hit("ip", "a")
    limits.hit("ip", "a")
    wait = limits.retry_after("ip", "a")
    assert wait is not None and 55 <= wait <= 60
    assert limits.retry_after("ip", "b") is None  # per key
    limits.hit("none", "a")
    assert limits.retry_after("none", "a") is None  # '' means no limit
    assert limits.describe("ip") == "2 per 1 minute"


def test_bad_limit_settings_are_refused_with_an_example():
    with pytest.raises(ValueError, match="20/minute"):
        parse_limits("twenty a minute")
    with pytest.raises(ValueError, match="rate_limit_ip"):
        Settings(rate_limit_ip="lots")


def test_answer_slots_queue_bounded_and_timed():
    async def scenario():
        slots = AnswerSlots(workers=1, waiting=1, timeout=0.2)
        taken = await slots.acquire()
        waiter = asyncio.create_task(slots.acquire())
        await asyncio.sleep(0.01)
        assert slots.waiting == 1
        with pytest.raises(Refused) as full:
            await slots.acquire()  # queue full: at once
        assert full.value.status == 503 and full.value.headers == {"Retry-After": "5"}
        with pytest.raises(Refused) as late:
            await waiter  # waited too long
        assert late.value.status == 503 and late.value.retry_after == 10
        slots.release(taken)
        slots.release(await asyncio.wait_for(slots.acquire(), 1))  # free again
        return slots

    slots = asyncio.run(scenario())
    assert slots.running == 0 and slots.waiting == 0
    asyncio.run(scenario())  # a new event loop starts afresh


def test_demo_page_csp_allows_exactly_its_inline_style():
    policies = dict(content_security_policies(WIDGET_DIR / "demo.html"))
    demo = policies["/demo"]
    styles = re.findall(r"<style[^>]*>(.*?)</style>", (WIDGET_DIR / "demo.html").read_text(encoding="utf-8"), re.S)
    assert styles, "demo.html has no <style> block any more: drop this check"
    for block in styles:
        digest = base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in demo
    assert "'unsafe-inline'" not in demo and "script-src 'self';" in demo
    assert "frame-ancestors 'none'" in policies["/staff"]


def test_a_question_that_cannot_get_a_slot_in_time_is_told_at_once():
    async def scenario():
        slots = AnswerSlots(workers=1, waiting=10, timeout=0.5)
        taken = await slots.acquire()
        await asyncio.sleep(0.2)
        slots.release(taken)  # answers take ~0.2 s
        taken = await slots.acquire()
        first = asyncio.create_task(slots.acquire())  # expected wait 0.2 s: may wait
        second = asyncio.create_task(slots.acquire())  # 0.4 s: may wait
        await asyncio.sleep(0.01)
        assert slots.waiting == 2
        started = asyncio.get_running_loop().time()
        with pytest.raises(Refused) as late:
            await slots.acquire()  # 0.6 s > 0.5 s: refused without waiting
        assert asyncio.get_running_loop().time() - started < 0.05 and late.value.retry_after == 1
        slots.release(taken)
        slots.release(await first)
        slots.release(await second)
        return slots

    slots = asyncio.run(scenario())
    assert slots.running == 0 and slots.waiting == 0
