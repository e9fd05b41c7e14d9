"""bench/guard_replay.py: what the model wrote is given back for the same call, and only for it,
so a replayed eval measures the guard on the very drafts of the recorded run."""

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from bench.guard_replay import Recorder, Replayer
from fakes import scripted

ASK = [SystemMessage("system"), HumanMessage("When was the first BRISMIS held?")]
OTHER = [SystemMessage("system"), HumanMessage("Where was it held?")]


def test_a_recorded_stream_and_call_are_given_back_for_the_same_messages_only():
    calls: dict[str, str] = {}
    recorder = Recorder(scripted(["In November 2017 [1].", "Beijing."]), calls)
    assert "".join(str(c.content) for c in recorder.stream(ASK)) == "In November 2017 [1]."
    assert str(recorder.invoke(OTHER, max_tokens=40).content) == "Beijing."
    replayer = Replayer(calls)
    replayer.item = "q1"
    assert "".join(c.content for c in replayer.stream(ASK)) == "In November 2017 [1]."
    assert replayer.drafts == {"q1": "In November 2017 [1]."}
    assert replayer.invoke(OTHER, max_tokens=40).content == "Beijing."
    with pytest.raises(ConnectionError):
        replayer.invoke(OTHER)  # other options: another call
    with pytest.raises(ConnectionError):
        list(replayer.stream(OTHER))
    assert replayer.misses == 2


def test_a_stream_the_assistant_stopped_reading_is_kept_as_far_as_it_went():
    calls: dict[str, str] = {}
    stream = Recorder(scripted(["a loop a loop a loop"]), calls).stream(ASK)
    next(stream)
    stream.close()  # the assistant stops at a repetition loop
    replayed = "".join(c.content for c in Replayer(calls).stream(ASK))
    assert replayed and "a loop a loop a loop".startswith(replayed)
