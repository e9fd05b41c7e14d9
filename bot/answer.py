"""The chain, from a question to a verified answer:

screen -> detect language -> make the question standalone -> retrieve -> decline if nothing is
relevant -> generate -> parse [n] markers -> verify every claim against the cited passages ->
retry once, stricter -> fall back to quoting the passages.

The model is never trusted: an answer reaches the visitor only if every number, date, name,
e-mail and URL in it is found in the passages it cites, and it is in the visitor's language.
While streaming, text is released sentence by sentence, each only after it passes the same check.
``ask`` is ``stream`` run to the end, so the CLI, the API, the console and the eval share one path.
"""

from __future__ import annotations

import dataclasses
import re
import time
from dataclasses import dataclass
from typing import Any, Iterator

from langchain_core.language_models.chat_models import BaseChatModel

from .chunking import sentence_spans
from .events import Event, Final, Reset, Token
from .extractive import SentenceEvidence
from .guard import is_dont_know, parse_citations, verify
from .guard.answer_language import same_language, written_in_other_language
from .language import detect_language, language_name, phrase
from .prompts import NOT_IN_SOURCES, answer_messages, rewrite_messages
from .protocols import Embedder, Retriever
from .relevance import RelevanceGate
from .retrieval import Passage
from .schema import Answer, Citation, Turn
from .screening import defuse, targets_assistant
from .settings import Settings

__all__ = ["Answer", "AskOptions", "Assistant", "Citation", "Turn", "build_assistant"]

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SENTENCE_END = re.compile(r"[.!?。！？؟](?:\s*(?:\[\d+(?:[,\s]+\d+)*\]|【\d+】|［\d+］))*\s*")
_MARKERS = re.compile(r"\[\d+\]")
_LIST_NUMBER = re.compile(r"^\s*\d+[.)、]\s*")
_CONTENT = re.compile(r"\w")
_MARKER = re.compile(r"\[\s*\d|【\s*\d|［\s*\d")


@dataclass(frozen=True)
class AskOptions:
    """Per-call choices (the console's switches, the API's language hint). They never change the
    shared assistant that other visitors use at the same moment."""

    extractive: bool = False  # answer by quoting, without the chat model
    passages: int | None = None  # passages to answer from (top_k, and prompt_passages for the model)
    language_hint: str | None = None  # the caller's language, for questions too short to tell


@dataclass(frozen=True, eq=False)
class Assistant:
    """Everything needed to answer, built once by ``build_assistant`` and never changed: a rebuild
    of the index builds a new one, and questions in flight finish on the old."""

    settings: Settings
    retriever: Retriever
    embedder: Embedder
    evidence: SentenceEvidence
    relevance: RelevanceGate
    chat: BaseChatModel | None = None
    chat_description: str = "no LLM: extractive answers"
    contact: str | None = None  # the secretariat's address as the announcements give it
    warnings: tuple[str, ...] = ()
    models: Any = None  # the shared bot.models.Models (its model process state), if any

    def model_status(self) -> dict | None:
        return self.models.model_status() if self.models is not None else None

    # ------------------------------------------------------------------ public

    def ask(self, question: str, history: list[Turn] | None = None, options: AskOptions | None = None,
            id: Any = None) -> Answer:
        for event in self.stream(question, history, options, id):
            if isinstance(event, Final):
                return event.answer
        raise RuntimeError("stream ended without an answer")  # pragma: no cover

    def stream(self, question: str, history: list[Turn] | None = None, options: AskOptions | None = None,
               id: Any = None) -> Iterator[Event]:
        options = options or AskOptions()
        chat = None if options.extractive else self.chat
        top_k = options.passages or self.settings.top_k
        prompt_passages = options.passages or self.settings.prompt_passages
        clock = _Clock()
        history = history or []
        question = question.strip()
        prior = [t.content for t in history if t.role == "user"]
        history_lang = detect_language(prior[-1]).code if prior else None
        lang = detect_language(question, history_language=history_lang, hint=options.language_hint).code
        clock.lap("language")

        def final(answer: Answer, query: str = "", passages: list[Passage] = ()) -> Event:
            answer.id = id
            answer.retrieval_query = query
            answer.candidates = [dict(p.__dict__) for p in passages]
            answer.timings_ms = clock.done()
            return Final(answer)

        if targets_assistant(question):
            text = phrase("refuse_instructions", lang)
            yield Token(text)
            yield final(Answer(question=question, language=lang, answer=text, grounded=False, path="refused"))
            return

        query = self._standalone(question, history, chat)
        clock.lap("rewrite")
        # announcements are data: instructions planted in one never reach the model, the guard or a quote
        passages = [_defused(p) for p in self.retriever.search(query, self.settings.candidates)]
        clock.lap("retrieval")
        best = max((p.dense_score for p in passages if p.dense_score is not None), default=0.0)
        if not passages or not self.relevance.relevant(self.retriever.query_vector(query), best):
            answer = self._decline(question, lang)
            yield Token(answer.answer)
            yield final(answer, query, passages)
            return

        if chat is None:
            answer = self._extractive(question, query, lang, passages[:top_k], "extractive")
            yield Token(answer.answer)
        else:
            answer = yield from self._generate(chat, question, query, lang, passages[:prompt_passages], clock)
        clock.lap("answer")
        yield final(answer, query, passages)

    # ------------------------------------------------------------------ steps

    def _standalone(self, question: str, history: list[Turn], chat: BaseChatModel | None) -> str:
        """A follow-up ("and where was it signed?") needs the conversation. With a model it is
        rewritten; without one, the previous question is searched along with it."""
        prior = [t.content for t in history if t.role == "user"]
        if not prior:
            return question
        if chat is not None:
            try:
                text = str(chat.invoke(rewrite_messages(question, history)).content).strip()
                text = text.splitlines()[0].strip(" \"'“”«»") if text else ""
                # a small model often restates an answer instead: only a question is taken
                answers = {t.content.strip() for t in history if t.role == "assistant"}
                if (0 < len(text) <= 3 * len(question) + 200 and text.rstrip().endswith(("?", "？", "؟", ";"))
                        and not _MARKERS.search(text) and text not in answers):
                    return text
            except Exception:  # a failed rewrite must not lose the question
                pass
        readings = [question, f"{prior[-1]} {question}"]
        scores = [max((p.dense_score or 0.0 for p in self.retriever.search(r, 5)), default=0.0) for r in readings]
        return readings[scores.index(max(scores))]

    def _decline(self, question: str, lang: str) -> Answer:
        text = phrase("decline", lang, contact=self.contact) if self.contact else phrase("decline_no_contact", lang)
        return Answer(question=question, language=lang, answer=text, grounded=False, path="declined")

    def _extractive(self, question, query, lang, passages, path) -> Answer:
        text, citations = self.evidence.answer(query, lang, passages)
        return Answer(question=question, language=lang, answer=text, grounded=True, citations=citations, path=path)

    def _attribute(self, raw: str, passages: list[Passage], lang: str) -> str:
        """Cite, for each sentence without a marker, the closest passage containing all its claims."""
        out, cursor = [], 0
        for span in sentence_spans(raw):
            sentence = raw[span.start : span.end]
            out.append(raw[cursor : span.end])
            cursor = span.end
            if _MARKER.search(sentence):
                continue
            allowed = [i for i, p in enumerate(passages) if not verify(sentence, [p.text], lang).unsupported]
            best = self.evidence.closest(sentence, passages, allowed)
            if best is not None:
                out.append(f" [{best + 1}]")
        out.append(raw[cursor:])
        return "".join(out)

    def _check(self, raw: str, passages: list[Passage], lang: str) -> tuple[str | None, str, list[Citation]]:
        """(reason it fails or None, the text with markers renumbered, its citations)."""
        text, order = parse_citations(self._attribute(raw, passages, lang), len(passages))
        if not _CONTENT.search(_LIST_NUMBER.sub("", _MARKERS.sub("", text))):
            return "said nothing but citation markers", text, []
        cited = [passages[i - 1] for i in order]
        verdict = verify(text, [p.text for p in cited], lang)
        if verdict.uncited or not cited:
            return "cited no passage", text, []
        if verdict.unsupported:
            claims = ", ".join(f"'{c.text}'" for c in verdict.unsupported[:5])
            return f"stated {claims}, which the cited passages do not contain", text, []
        wrong = written_in_other_language(_MARKERS.sub(" ", text), lang)
        if wrong:
            return f"was written in {language_name(wrong)}, not {language_name(lang)}", text, []
        return None, text, [Citation.of(n, p) for n, p in enumerate(cited, 1)]

    def _safe_prefix(self, raw: str, passages: list[Passage], lang: str) -> str:
        """The rewritten text up to ``raw``'s last complete sentence, if all of it passes the check."""
        if NOT_IN_SOURCES in raw:
            return ""
        reason, text, _ = self._check(raw, passages, lang)
        return "" if reason else text

    def _generate(self, chat, question, query, lang, passages, clock) -> Iterator[Event]:
        language = language_name(lang)
        excerpts = self.evidence.compress(query, passages, self.settings.prompt_sentences)
        wrong_language = False
        shown, previous, reason = "", None, None
        rejected: list[str] = []
        deadline = None
        for attempt in (1, 2):
            messages = answer_messages(query, excerpts, language, strict_reason=reason, previous=previous,
                                       wrong_language=wrong_language)
            raw, checked = "", 0
            try:
                for chunk in chat.stream(messages):
                    # counted from the first chunk: waiting for the model (another answer holds it) is the
                    # queue's business; a server that never starts is llm_timeout's
                    deadline = deadline or time.monotonic() + self.settings.answer_timeout
                    if time.monotonic() > deadline:  # a stuck or overloaded backend must not hold the visitor
                        raise TimeoutError(f"no complete answer within answer_timeout "
                                           f"({self.settings.answer_timeout:g} s)")
                    clock.mark("first_token")
                    raw += str(chunk.content)
                    end = max((m.end() for m in _SENTENCE_END.finditer(raw, checked)), default=checked)
                    # the stricter retry is not streamed (its first try was shown); each new sentence is checked once
                    if attempt == 1 and end > checked:
                        checked = end
                        safe = self._safe_prefix(raw[:end], passages, lang)
                        if safe.startswith(shown) and len(safe) > len(shown):
                            yield Token(safe[len(shown):])
                            shown = safe
            except Exception as exc:  # backend down or timed out mid-stream: the visitor still gets an answer
                rejected.append(f"the chat backend failed: {type(exc).__name__}: {exc}")
                break
            if attempt == 2 and (NOT_IN_SOURCES in raw or is_dont_know(raw, lang)):
                break  # it answered before: the strict prompt scared it off, so quote instead
            if NOT_IN_SOURCES in raw or is_dont_know(raw, lang):
                answer = self._decline(question, lang)
            else:
                reason, text, citations = self._check(raw, passages, lang)
                if reason is not None:
                    rejected.append(f"draft {attempt} {reason}")
                    previous, wrong_language = raw, reason.startswith("was written in")
                    continue
                path = "model" if attempt == 1 else "model_retry"
                answer = Answer(question=question, language=lang, answer=text, grounded=True,
                                citations=citations, path=path)
            answer.rejected = rejected
            yield from _replace(shown, answer.answer)
            return answer
        answer = self._extractive(question, query, lang, passages, "extractive_fallback")
        answer.rejected = rejected
        yield from _replace(shown, answer.answer)
        return answer


def find_contact(passages) -> str | None:
    """The secretariat's e-mail address as the announcements give it (not hard-coded)."""
    found = [m for p in passages for m in EMAIL.findall(p.text)]
    found = sorted(enumerate(found), key=lambda ie: ("secretariat" not in ie[1].lower(), ie[0]))
    return found[0][1] if found else None


def build_assistant(settings: Settings, models, retriever: Retriever | None = None) -> Assistant:
    """The one factory: an assistant over the active index (or ``retriever``) with the loaded
    ``models`` (bot.models.Models). Cheap once the models are loaded: a rebuild calls it again."""
    if retriever is None:
        from .retrieval import open_retriever

        retriever = open_retriever(settings, models.embedder)
    return Assistant(
        settings=settings, retriever=retriever, embedder=models.embedder,
        evidence=SentenceEvidence(models.embedder, settings.extractive_sentences),
        relevance=RelevanceGate(models.embedder, settings.decline_margin),
        chat=models.chat, chat_description=models.description, contact=find_contact(retriever.passages()),
        warnings=tuple(models.warnings), models=models,
    )


def _defused(passage: Passage) -> Passage:
    text = defuse(passage.text)
    return passage if text == passage.text else dataclasses.replace(passage, text=text)


def _replace(shown: str, text: str) -> Iterator[Event]:
    """Events that turn what the visitor sees (``shown``) into ``text``."""
    if not text.startswith(shown):
        yield Reset()
        shown = ""
    if len(text) > len(shown):
        yield Token(text[len(shown):])


class _Clock:
    def __init__(self):
        self.start = self.last = time.perf_counter()
        self.laps: dict[str, float] = {}

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round((now - self.last) * 1000, 1)
        self.last = now

    def mark(self, name: str) -> None:
        self.laps.setdefault(name, round((time.perf_counter() - self.start) * 1000, 1))

    def done(self) -> dict[str, float]:
        return {**self.laps, "total": round((time.perf_counter() - self.start) * 1000, 1)}
