"""What the routes share: admission (rate limits, answer slots) and the assistant's lifecycle.

The service holds ONE reference to the current assistant. A rebuild builds the index, then a new
assistant over it with the same loaded models, then swaps the reference: questions in flight
finish on the old assistant, the next ones use the new. Nothing else changes an assistant.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import Request

from ..settings import Settings
from .api_models import ChatRequest
from .protection import AnswerSlots, RateLimits, Refused, client_address, is_loopback

log = logging.getLogger("bot.serve")

NO_INDEX = "the index is not built: run brismis index"
STAFF_USER = "staff"


class StartupRefused(RuntimeError):
    """The server must not start with these settings; the message says why and what to do."""


class Service:
    """The current assistant (or why there is none), the models it shares, the feedback store and
    the answering pool."""

    def __init__(self, settings: Settings, assistant=None, problem: str | None = None, store=None, models=None):
        self.settings = settings
        self._assistant = assistant
        self.models = models if models is not None else getattr(assistant, "models", None)
        self.problem = problem
        self.store = store
        self.warnings: list[str] = []
        self.executor = ThreadPoolExecutor(max_workers=settings.answer_workers, thread_name_prefix="answer")
        self.slots = AnswerSlots(settings.answer_workers, settings.max_waiting, settings.queue_timeout)
        self.limits = RateLimits(settings.limits_storage_url or None, ip=settings.rate_limit_ip, conversation=settings.rate_limit_conversation,
                                 feedback=settings.rate_limit_feedback, login=settings.staff_login_limit,
                                 api_key=settings.rate_limit_api_key)  # /v1: per API key, not per address
        self._rebuild_lock = threading.Lock()
        self._swap_lock = threading.Lock()  # one assistant swap at a time (rebuilds, verified answers)
        self.verified = _open_verified(store)  # staff-verified answers, in the same database
        self._closed = threading.Event()
        self._version = _index_version(settings)  # the index generation (or Chroma collection) answering
        threading.Thread(target=self._follow_index, name="follow-index", daemon=True).start()
        if self.verified is not None and self._assistant is not None:
            self.check_verified_sources()
            self.refresh_verified(only_if_any=True)

    @property
    def assistant(self):
        """The assistant new questions go to (read it once per question)."""
        return self._assistant

    # ------------------------------------------------------------------ admission

    def visitor(self, request: Request) -> str:
        peer = request.client.host if request.client else None
        return client_address(peer, request.headers.get("x-forwarded-for"), self.settings.trusted_proxies)

    def check(self, *checks: tuple[str, str, str]) -> None:
        """Refuse with 429 when any (rule, key, whose) check is over its limit."""
        for rule, key, who in checks:
            wait = self.limits.retry_after(rule, key)
            if wait is not None:
                raise Refused(429, f"too many requests from {who} (at most {self.limits.describe(rule)}); "
                                   f"try again in {wait} seconds", retry_after=wait)

    def count(self, *checks: tuple[str, str, str]) -> None:
        for rule, key, _ in checks:
            self.limits.hit(rule, key)

    async def admit(self, request: Request, req: ChatRequest, api_key: str | None = None):
        """(the assistant, the slot's token) for one more question (``slots.release(token)`` after), or
        503 without an index, 429 over a rate limit, 503 when the queue is full or too slow. A tool
        calling with an API key (its id: /v1) is limited per key instead of per address."""
        assistant = self.assistant
        if assistant is None:
            raise Refused(503, self.problem or NO_INDEX, retry_after=30)
        checks = ([("api_key", api_key, "this API key")] if api_key
                  else [("ip", self.visitor(request), "your address")])
        if req.conversation_id:
            checks.append(("conversation", req.conversation_id, "this conversation"))
        self.check(*checks)
        slot = await self.slots.acquire()
        self.count(*checks)  # only questions that are answered count (a 503 costs the visitor nothing)
        return assistant, slot

    def busy(self) -> bool:
        """Visitors are queueing for an answering slot: answers should not take a second model call."""
        return self.slots.waiting > 0

    # ------------------------------------------------------------------ state

    def model_status(self) -> dict | None:
        return self.models.model_status() if self.models is not None else None

    def health(self) -> tuple[int, dict]:
        """200 ok; 200 "degraded" when answers are only quoted (the model is down: why); 503 when no
        question can be answered (why, and what to do)."""
        from ..index import IndexProblem, index_status

        assistant = self.assistant
        warnings = list(self.warnings)
        body: dict[str, Any] = {"status": "ok", "index": None,
                                "chat": assistant.chat_description if assistant else None,
                                "model": self.model_status()}
        reason = None
        try:
            body["index"] = index_status(self.settings)
        except IndexProblem as exc:
            reason = str(exc)
        if assistant is None:
            reason = reason or self.problem or NO_INDEX
        elif body["index"] is not None and body["index"]["location"] is None:
            reason = NO_INDEX
        elif body["index"] is not None and not body["index"]["chunks"]:
            reason = "the index holds no passages: add announcements to the corpus and run brismis index"
        if assistant is not None:
            warnings += list(assistant.warnings)
        if body["index"] and body["index"]["skipped"]:
            warnings.append(f"{len(body['index']['skipped'])} corpus file(s) were skipped when the index was built")
        if self.store is not None:
            try:
                self.store.ping()
            except Exception as exc:  # answers still work; ratings don't
                warnings.append(f"the feedback database is unreachable ({type(exc).__name__})")
        degraded = self.degraded(assistant)
        if degraded:
            warnings.append(degraded)
        body["warnings"] = warnings
        if reason:
            body["status"], body["reason"] = "unhealthy", reason
            return 503, body
        if degraded:
            body["status"], body["reason"] = "degraded", degraded
        return 200, body

    def degraded(self, assistant=None) -> str | None:
        """Why answers are quoted instead of written by the model the settings ask for, if they are."""
        assistant = assistant or self.assistant
        if assistant is None or self.settings.chat_backend == "extractive":
            return None
        if assistant.chat is None and assistant.warnings:  # the backend asked for could not be used
            return "answers are quoted (no chat model): " + "; ".join(assistant.warnings)
        status = self.model_status()
        if status is not None and status["state"] != "ready":
            return f"answers are quoted while the chat model is {status['state']}: {status['reason'] or 'starting'}"
        return None

    def record(self, answer_id: str, public: dict, rejected=()) -> None:
        """Keep an answer for rating, with the drafts the guard rejected (staff see them, visitors never)."""
        if self.store is None:
            return
        try:
            self.store.record_answer(answer_id, public, rejected)
        except Exception:  # the visitor still gets the answer; only rating it will fail
            log.exception("could not store answer %s", answer_id)

    # ------------------------------------------------------------------ lifecycle

    def rebuild(self, progress=None):
        """Bring the index in line with the corpus, then answer from it (the console's "Rebuild now")."""
        from ..answer import build_assistant
        from ..corpus import load_corpus
        from ..index import IndexBusy, build_index, update_index

        if not self._rebuild_lock.acquire(blocking=False):
            raise IndexBusy("a rebuild started from the console is already running")
        try:
            if self.models is None:
                summary = update_index(self.settings, progress=progress)
                self._version = _index_version(self.settings)
                self.models, self._assistant, self.problem = load_service_assistant(self.settings)
                self.check_verified_sources()
                self.refresh_verified(only_if_any=True)
            else:
                embedder = self.models.embedder
                summary = build_index(self.settings, load_corpus(self.settings.corpus_dir), lambda: embedder,
                                      progress=progress)
                self.check_verified_sources()  # a changed or vanished source puts its answers under review
                self._version = _index_version(self.settings)
                with self._swap_lock:
                    self._assistant = build_assistant(self.settings, self.models,
                                                      verified=self.verified_answers())  # the one swap
                self.problem = None
            return summary
        finally:
            self._rebuild_lock.release()

    def _follow_index(self) -> None:
        """Switch to the index another process built: every ``index_poll_seconds`` the active version
        is compared, and a new assistant over the new index is swapped in (questions in flight finish
        on the old). This is how several API processes on one Chroma server switch together."""
        from ..answer import Assistant, build_assistant

        while not self._closed.wait(self.settings.index_poll_seconds):
            version = _index_version(self.settings)
            if version is None or version == self._version or not isinstance(self._assistant, Assistant):
                continue
            if not self._rebuild_lock.acquire(blocking=False):
                continue  # this process is rebuilding: it switches itself
            try:
                assistant = build_assistant(self.settings, self.models, verified=self.verified_answers())
                with self._swap_lock:
                    self._assistant, self._version, self.problem = assistant, version, None
                log.info("answering from the index %s (built by another process)", version)
            except Exception:
                log.exception("could not switch to the index %s; still answering from %s", version, self._version)
            finally:
                self._rebuild_lock.release()

    # ------------------------------------------------------------------ verified answers

    def verified_answers(self, retriever=None) -> list:
        """The verified answers that may serve (``bot.verified.VerifiedAnswer``); answers imported
        with doc_ids only get their cited passages from the index first."""
        if self.verified is None:
            return []
        from .verified_store import fill_passages

        retriever = retriever or getattr(self._assistant, "retriever", None)
        try:
            if retriever is not None:
                fill_passages(self.verified, retriever, self.settings.candidates)
            return self.verified.to_verified()
        except Exception:  # the database is down: answer without them rather than not at all
            log.exception("could not read the verified answers")
            return []

    def check_verified_sources(self) -> list[tuple[str, str]]:
        """After an index build: verified answers whose source documents changed or vanished are
        put under review (served only with "keep serving while under review")."""
        if self.verified is None:
            return []
        from .verified_store import manifest_documents

        try:
            return self.verified.check_sources(manifest_documents(self.settings))
        except Exception:
            log.exception("could not check the verified answers' sources")
            return []

    def propose_translations(self, verified_id: str, by: str, languages=None, progress=None):
        """Model translations of a verified answer's written text into ``languages`` (default: every
        supported language not approved yet), each through the guard that checks any translation
        (same numbers, dates, names, e-mails, URLs). Those that pass are stored unapproved, for staff
        to review; the others are recorded as rejected with the reason. Returns the stored answer."""
        from ..language import SUPPORTED

        v = self.verified.get(verified_id) if self.verified is not None else None
        if v is None:
            raise LookupError(f"no verified answer {verified_id!r}")
        assistant = self.assistant
        if assistant is None or getattr(assistant, "chat", None) is None:
            raise LookupError("no chat model is running to translate with; write the translations by hand")
        source = v.answers[v.language]
        targets = [lang for lang in (languages or SUPPORTED) if lang != v.language and lang not in v.approved]
        proposed, questions, rejected = {}, {}, {}
        for done, lang in enumerate(targets):
            if progress:
                progress("translating", done, len(targets))
            text, why = assistant.translate(source, v.language, lang)
            if text is None:
                rejected[lang] = {"reasons": why}
                continue
            proposed[lang] = text
            # the question too: once approved, visitors asking in that language are matched on it
            question, _ = assistant.translate(v.question, v.language, lang)
            if question:
                questions[lang] = question
        if progress:
            progress("translating", len(targets), len(targets))
        return self.verified.set_translations(verified_id, by, answers=proposed, questions=questions,
                                              rejected=rejected)

    def refresh_verified(self, only_if_any: bool = False) -> None:
        """After any change to the verified answers: a new assistant with them, swapped in (the
        next question uses it; questions in flight finish on the old)."""
        from ..answer import Assistant, build_assistant

        with self._swap_lock:
            current = self._assistant
            if not isinstance(current, Assistant):
                return  # no index yet (or a stand-in): nothing to answer with
            answers = self.verified_answers(current.retriever)
            if only_if_any and not answers:
                return
            models = self.models if self.models is not None else current.models
            if models is not None and models.chat is current.chat and models.embedder is current.embedder:
                self._assistant = build_assistant(current.settings, models, current.retriever, verified=answers)
            else:  # an assistant assembled from other parts (tests): the same one, with these answers
                import dataclasses

                from ..verified import VerifiedIndex

                index = VerifiedIndex(answers, current.embedder, current.settings.verified_match_min) if answers else None
                self._assistant = dataclasses.replace(current, verified=index)

    def close(self) -> None:
        self._closed.set()
        self.executor.shutdown(wait=False, cancel_futures=True)
        if self.store is not None:
            self.store.close()
        if self.models is not None:
            self.models.close()


def _index_version(settings: Settings) -> str | None:
    from ..index import active_version

    try:
        return active_version(settings)
    except Exception:  # the Chroma server is unreachable: keep answering from what is loaded
        log.warning("cannot read which index is active", exc_info=True)
        return None


def _open_verified(store):
    """The verified-answer store on the feedback store's database (None without one)."""
    engine = getattr(store, "engine", None)
    if engine is None:
        return None
    from .verified_store import VerifiedStore

    try:
        return VerifiedStore(engine=engine)
    except Exception:  # the database is down: the server still answers
        log.exception("could not open the verified answers")
        return None


def staff_auth(settings: Settings) -> tuple[str, str] | None:
    """The console's login, or None when it may stay open; refuses an open console off loopback."""
    if settings.staff_password is not None and settings.staff_password.get_secret_value():
        return (STAFF_USER, settings.staff_password.get_secret_value())
    if not is_loopback(settings.host):
        raise StartupRefused(
            f"the staff console /staff would be open to anyone on {settings.host}: set BRISMIS_STAFF_PASSWORD "
            "to a password, or listen on 127.0.0.1"
        )
    return None


def load_service_assistant(settings: Settings, build_if_missing: bool = False):
    """(models, assistant, None), or (models or None, None, why) when the index or the embedding model
    cannot be used: the server then starts unhealthy rather than not at all. The embedded chat model
    is not waited for: until it is ready, answers are quoted."""
    from ..answer import build_assistant
    from ..index import IndexMissing, IndexProblem, index_status, update_index
    from ..models import load_models
    from ..models.embeddings import EmbeddingModelError

    models = None
    try:
        if not settings.chroma_server and index_status(settings)["location"] is None:
            if not build_if_missing:
                return None, None, NO_INDEX  # known without loading any model
            log.warning("no index yet: building it from %s", settings.corpus_dir)
            for line in update_index(settings).lines():
                log.warning("%s", line)
        models = load_models(settings, wait=False)
        return models, build_assistant(settings, models), None
    except IndexMissing:
        return models, None, NO_INDEX
    except (IndexProblem, EmbeddingModelError) as exc:
        log.error("cannot answer questions: %s", exc)
        return models, None, str(exc)
