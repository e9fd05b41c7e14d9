"""Past one machine (``make test-scale``): two API processes behind nginx, sharing Redis (limits),
PostgreSQL (answers and ratings), a Chroma server (the index) and a llama-server (SmolLM2)."""

from __future__ import annotations

import threading
import time

import httpx
import pytest
import sqlalchemy

from deployment import create_database, deployment

pytestmark = pytest.mark.scale
QUESTION = "When was the first BRISMIS symposium held?"


@pytest.fixture(scope="module")
def deployed(postgres_server):
    with deployment(create_database(postgres_server, "deploy"), {"BRISMIS_RATE_LIMIT_IP": "6/minute",
                                                  "BRISMIS_RATE_LIMIT_CONVERSATION": "", "BRISMIS_RATE_LIMIT_FEEDBACK": ""}) as d:
        yield d


def ask(base: str, question: str = QUESTION, visitor: str | None = None) -> httpx.Response:
    headers = {"X-Forwarded-For": visitor} if visitor else {}
    return httpx.post(base + "/api/chat", json={"question": question}, headers=headers, timeout=120)


def test_a_visitor_over_the_limit_on_one_process_is_limited_on_the_other(deployed):
    visitor = "198.51.100.7"  # the address nginx's peer claims; the processes trust one proxy hop
    codes = [ask(deployed.api("api-a"), visitor=visitor).status_code for _ in range(6)]
    assert codes == [200] * 6
    refused = ask(deployed.api("api-b"), visitor=visitor)
    assert refused.status_code == 429 and "at most 6 per 1 minute" in refused.json()["detail"]
    assert ask(deployed.url).status_code == 200  # another visitor (nginx's own peer address) is not limited


def test_a_rating_given_through_one_is_visible_through_the_other(deployed):
    answer = ask(deployed.api("api-a"), visitor="198.51.100.20").json()
    assert answer["citations"], answer  # the index in the Chroma server answered
    r = httpx.post(deployed.api("api-b") + "/api/feedback", json={"answer_id": answer["answer_id"], "rating": "down",
                                                                  "comment": "from b"})
    assert r.json() == {"ok": True}
    r = httpx.post(deployed.api("api-a") + "/api/feedback", json={"answer_id": answer["answer_id"], "rating": "up"})
    assert r.json() == {"ok": True}
    engine = sqlalchemy.create_engine(deployed.database_url)
    with engine.connect() as conn:
        rows = conn.execute(sqlalchemy.text("SELECT rating, comment FROM feedback WHERE answer_id = :a"),
                            {"a": answer["answer_id"]}).all()
    engine.dispose()
    assert rows == [("up", "from b")]  # one rating, updated through the other process, comment kept


def test_a_rebuild_started_from_one_is_answered_from_by_both_with_no_failed_question(deployed):
    from gradio_client import Client

    from conftest import write_doc

    question = "Which city will host the BRISMIS secretariat's new office?"
    failures, codes, stop = [], [], threading.Event()

    def visitors():
        i = 0
        while not stop.is_set():
            try:
                r = ask(deployed.url, question, visitor=f"198.51.100.{100 + i % 50}")
                codes.append(r.status_code)
                if r.status_code != 200:
                    failures.append(r.text)
            except httpx.HTTPError as exc:
                failures.append(repr(exc))
            i += 1

    thread = threading.Thread(target=visitors)
    thread.start()
    try:
        write_doc(deployed.tmp / "corpus", "new-office",
                  "From March 2027 the BRISMIS secretariat will work from a new office in Hangzhou.")
        staff = Client(deployed.api("api-a") + "/staff/", auth=("staff", "deploy-test-password"), verbose=False)
        _, summary = staff.predict(api_name="/rebuild")
        assert "added 1" in summary, summary
        deadline = time.time() + 30
        polls = iter(range(200, 255))
        for name in ("api-a", "api-b"):  # both answer from the new collection
            while not any(c["doc_id"] == "new-office" for c in
                          ask(deployed.api(name), question, visitor=f"198.51.100.{next(polls)}").json()["citations"]):
                assert time.time() < deadline, f"{name} did not switch to the rebuilt index"
                time.sleep(0.5)
    finally:
        stop.set()
        thread.join(120)
    assert failures == [] and len(codes) > 0


def test_killing_one_api_process_loses_no_rating_and_fails_only_what_was_in_flight(deployed):
    # asked straight (through nginx every visitor is nginx's peer, already near its limit of 6/minute)
    answers = [ask(deployed.api("api-b"), visitor=f"198.51.100.{30 + i}").json()["answer_id"] for i in range(4)]
    results: list[tuple[str, int]] = []
    stop = threading.Event()

    def rate_forever():
        i = 0
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                answer_id = answers[i % len(answers)]
                try:
                    code = client.post(deployed.url + "/api/feedback",
                                       json={"answer_id": answer_id, "rating": "up" if i % 2 else "down",
                                             "comment": f"n{i}"}).status_code
                except httpx.HTTPError:
                    code = -1
                results.append((answer_id, code, i))
                i += 1

    worker = threading.Thread(target=rate_forever)
    worker.start()
    time.sleep(2)
    deployed.kill("api-a")  # SIGKILL: no clean shutdown
    time.sleep(4)
    stop.set()
    worker.join(30)
    failed = [r for r in results if r[1] != 200]
    assert len(results) > 20 and len(failed) <= 1, failed  # at most the one in flight on the killed process
    assert httpx.get(deployed.url + "/healthz").status_code == 200  # nginx sends everyone to api-b now
    engine = sqlalchemy.create_engine(deployed.database_url)
    with engine.connect() as conn:
        stored = dict(conn.execute(sqlalchemy.text("SELECT answer_id, comment FROM feedback")).all())
    engine.dispose()
    last_ok = {}
    for answer_id, code, i in results:
        if code == 200:
            last_ok[answer_id] = f"n{i}"
    assert {a: stored[a] for a in last_ok} == last_ok  # every acknowledged rating's last state is kept
    deployed.start_api("api-a")  # and it comes back on the same database
    assert ask(deployed.api("api-a"), visitor="198.51.100.99").status_code == 200
