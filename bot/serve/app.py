"""The web service: the chat API the widget calls, the widget itself and the staff console.

One FastAPI app (``create_app``), served by ``brismis serve``:

* ``POST /api/chat``         question (+ history, language hint) -> ``Answer.public()`` + ``answer_id``
* ``POST /api/chat/stream``  the same as Server-Sent Events: ``sources`` / ``token`` / ``reset`` / ``final`` / ``error``
* ``POST /api/feedback``     rate an answer up or down (again: updates)
* ``GET  /healthz``          ok or degraded (200), unhealthy (503), with the reason
* ``GET  /widget.js``, ``GET /demo`` (``/`` redirects there): files from ``bot/serve/widget/``
* ``/staff``                 the Gradio staff console (``console.py``), behind a password
* ``/v1/chat/completions``, ``/v1/models``  OpenAI-compatible, for chat tools with an API key
  (``routes/openai_compat.py``, keys in ``api_keys.py``)

Routes live in ``routes/``, request and response shapes in ``api_models.py``, admission and the
assistant's lifecycle in ``service.py``, what protects the public API in ``protection.py`` and
``middleware.py``. This module only wires them together. The API keeps no per-visitor state.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from ..settings import Settings
from . import errors
from .middleware import ApiGate
from .protection import LoginThrottle, LoopbackNamesOnly, Origins, SecurityHeaders, content_security_policies
from .api_keys import ApiKeyStore
from .routes import chat, health, openai_compat, widget
from .service import Service, StartupRefused, load_service_assistant, staff_auth

log = logging.getLogger("bot.serve")

__all__ = ["StartupRefused", "create_app", "serve"]


def open_store(settings: Settings):
    """The answer and rating store; a wrong database URL is told in a second, before any model loads."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    from .feedback_store import FeedbackStore

    try:
        return FeedbackStore(settings.database_url)
    except (SQLAlchemyError, OSError, ImportError) as exc:
        try:
            where = make_url(settings.database_url).render_as_string(hide_password=True)
        except SQLAlchemyError:
            where = "(malformed URL)"
        raise StartupRefused(f"cannot open the database {where} ({type(exc).__name__}: "
                             f"{str(exc).splitlines()[0][:200]}); check BRISMIS_DATABASE_URL") from exc


def create_app(settings: Settings, assistant=None, *, build_if_missing: bool = False, console: bool = True,
               store=None) -> FastAPI:
    """The whole service. Loads the models and builds the assistant when none is given (building the
    index first if it is missing and ``build_if_missing``); without an index it still starts and
    reports unhealthy."""
    auth = staff_auth(settings) if console else None  # before loading anything: refuse fast
    store = store if store is not None else open_store(settings)
    models, problem = None, None
    if assistant is None:
        models, assistant, problem = load_service_assistant(settings, build_if_missing)
    service = Service(settings, assistant, problem, store, models)
    if console and auth is None:
        service.warnings.append("the staff console /staff has no password (set BRISMIS_STAFF_PASSWORD)")
        log.warning("the staff console /staff is open without a password (loopback only); "
                    "set BRISMIS_STAFF_PASSWORD to protect it")
    if problem:
        log.error("starting unhealthy: %s", problem)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        async def retention() -> None:
            while True:
                try:
                    await run_in_threadpool(service.store.purge, settings.retention_days)
                except Exception:
                    log.exception("retention purge failed")
                await asyncio.sleep(24 * 3600)

        task = asyncio.create_task(retention())
        try:
            yield
        finally:
            task.cancel()
            service.close()

    app = FastAPI(
        title="BRISMIS Assistant",
        description="Answers questions about BRISMIS from its announcements, in the visitor's language, "
        "with the passages each answer rests on — or says the announcements don't tell.",
        version="1",
        lifespan=lifespan,
        max_body_size=4 * 256 * 1024,  # the console's requests; /api/ has its own, smaller limit
        redoc_url=None,
    )
    app.state.service = service
    app.state.api_keys = ApiKeyStore(settings.database_url)  # /v1: tools with a key staff created
    errors.install(app)
    # Gradio's own CORS policy reflects any Origin, with credentials, when the host is not localhost;
    # it stands down when the parent app has a CORSMiddleware: this one allows no origin at all.
    from starlette.middleware.cors import CORSMiddleware

    app.add_middleware(CORSMiddleware, allow_origins=[])
    app.add_middleware(ApiGate, origins=Origins(settings.allowed_origins))  # answers /api/ preflights
    if console and auth is None:  # an open console: not through a DNS name an attacker's page could rebind
        app.add_middleware(LoopbackNamesOnly, prefix="/staff")
    if console:
        app.add_middleware(LoginThrottle, limits=service.limits, paths={"/staff/login", "/staff/login/"},
                           trusted_proxies=settings.trusted_proxies)
    app.add_middleware(SecurityHeaders, policies=content_security_policies(widget.WIDGET_DIR / "demo.html"))
    for router in (chat.router, health.router, widget.router, openai_compat.router):
        app.include_router(router)

    if console:
        import gradio as gr

        from .console import build_console

        gr.mount_gradio_app(app, build_console(service), path="/staff", auth=auth, show_error=False,
                            footer_links=[], run_history=False)
    return app


def serve(settings: Settings, build_if_missing: bool = False) -> int:
    """``brismis serve``: the API, the widget and the staff console on settings.host:port."""
    import os
    import sys

    import uvicorn

    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        app = create_app(settings, build_if_missing=build_if_missing)
    except StartupRefused as exc:
        print(f"brismis: error: {exc}", file=sys.stderr)
        return 1
    service = app.state.service
    if service.models is not None and service.models.process is not None:
        log.info("waiting for the chat model to load (answers are quoted until it is ready)")
        if not service.models.process.wait_ready(settings.llm_startup_timeout):
            log.warning("%s", service.degraded() or "the chat model is not ready")
    url = f"http://{settings.host}:{settings.port}"
    log.info("BRISMIS Assistant: %s/demo, API docs %s/docs, staff console %s/staff", url, url, url)
    # no access log: visitors' IP addresses are not recorded
    uvicorn.run(app, host=settings.host, port=settings.port, access_log=False, log_level="info")
    return 0
