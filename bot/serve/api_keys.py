"""API keys of the OpenAI-compatible endpoint (``/v1``): staff give one to each tool that calls it.

A key reads ``brismis-<key_id>-<secret>``: ``key_id`` (12 hex digits) finds its row, ``secret``
(43 URL-safe characters, 256 random bits) proves it. Only a salted SHA-256 of the secret is kept
(a per-key random salt), so the database never holds a usable key; the key is shown once, by
``brismis api-key create``. A secret of 256 random bits needs no slow password hash (nobody can
guess it, and scrypt would cost every request CPU the answers need); the comparison is in
constant time, and an unknown ``key_id`` is compared against a dummy hash so both failures take
the same time.

One table, ``api_keys`` (SQLAlchemy Core, in ``BRISMIS_DATABASE_URL`` like the answers; its
own ``MetaData``, created idempotently, also when several processes start at once):

* ``key_id`` (primary key), ``name`` (unique among keys not revoked), ``salt``, ``digest``,
  ``created_at``, ``last_used_at`` (updated at most once a minute), ``revoked_at``.

Revoking keeps the row (``brismis api-key list`` shows when), and every request looks its key up,
so a revocation holds at once on every server process. Times are UTC.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import threading
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import (Column, DateTime, Index, LargeBinary, MetaData, String, Table, create_engine, event, select,
                        update)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from .feedback_store import _sqlite_pragmas, utcnow

PREFIX = "brismis"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
NAME_RULE = "1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit"
_KEY = re.compile(rf"^{PREFIX}-([0-9a-f]{{12}})-([A-Za-z0-9_-]{{20,100}})$")
LAST_USED_EVERY = dt.timedelta(minutes=1)  # how stale last_used_at may get (one write a minute, not per request)

metadata = MetaData()

api_keys = Table(
    "api_keys",
    metadata,
    Column("key_id", String(16), primary_key=True),
    Column("name", String(64), nullable=False),
    Column("salt", LargeBinary(32), nullable=False),
    Column("digest", LargeBinary(32), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("last_used_at", DateTime, nullable=True),
    Column("revoked_at", DateTime, nullable=True),
)
# one usable key per name (a revoked name can be given again); SQLite and PostgreSQL both have partial indexes
Index("api_keys_active_name", api_keys.c.name, unique=True,
      sqlite_where=api_keys.c.revoked_at.is_(None), postgresql_where=api_keys.c.revoked_at.is_(None))


class KeyProblem(ValueError):
    """A key operation that cannot be done (a name taken, unknown or malformed); the message says why."""


@dataclass(frozen=True)
class ApiKey:
    """A key as the server and ``brismis api-key list`` know it: never its secret."""

    key_id: str
    name: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None


def _digest(salt: bytes, secret: str) -> bytes:
    return hashlib.sha256(salt + secret.encode("utf-8")).digest()


_DUMMY_SALT = secrets.token_bytes(16)
_DUMMY_DIGEST = _digest(_DUMMY_SALT, secrets.token_urlsafe(32))


def parse_bearer(header: str | None) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    if not header:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


class ApiKeyStore:
    """The keys in the database at ``url``. The engine (and the table) is made on first use, so an
    app that is never asked on /v1 never touches the database for keys."""

    def __init__(self, url: str):
        self.url = url
        self._engine = None
        self._lock = threading.Lock()

    @property
    def engine(self):
        with self._lock:
            if self._engine is None:
                parsed = make_url(self.url)
                is_sqlite = parsed.get_backend_name() == "sqlite"
                if is_sqlite and parsed.database and parsed.database != ":memory:":
                    Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
                engine = create_engine(self.url, pool_pre_ping=not is_sqlite)
                if is_sqlite:
                    event.listen(engine, "connect", _sqlite_pragmas)
                try:
                    metadata.create_all(engine)
                except SQLAlchemyError:  # another process created it between our check and our CREATE
                    metadata.create_all(engine)
                self._engine = engine
            return self._engine

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    @property
    def location(self) -> str:
        return make_url(self.url).render_as_string(hide_password=True)

    # ------------------------------------------------------------------ staff (the CLI)

    def create(self, name: str) -> str:
        """A new key named ``name``: returned once, only its salted hash is kept."""
        if not NAME.match(name or ""):
            raise KeyProblem(f"{name!r} is not a key name: use {NAME_RULE}")
        key_id, secret, salt = secrets.token_hex(6), secrets.token_urlsafe(32), secrets.token_bytes(16)
        try:
            with self.engine.begin() as conn:
                taken = conn.execute(select(api_keys.c.key_id).where(api_keys.c.name == name,
                                                                     api_keys.c.revoked_at.is_(None))).first()
                if taken is not None:
                    raise KeyProblem(f"a key named {name!r} exists already: revoke it first "
                                     f"(brismis api-key revoke {name}) or choose another name")
                conn.execute(api_keys.insert().values(key_id=key_id, name=name, salt=salt,
                                                      digest=_digest(salt, secret), created_at=utcnow()))
        except IntegrityError:  # the same name created at the same moment elsewhere
            raise KeyProblem(f"a key named {name!r} exists already") from None
        return f"{PREFIX}-{key_id}-{secret}"

    def entries(self) -> list[ApiKey]:
        """Every key, the oldest first (revoked ones too, with the date)."""
        columns = [api_keys.c.key_id, api_keys.c.name, api_keys.c.created_at, api_keys.c.last_used_at,
                   api_keys.c.revoked_at]
        with self.engine.connect() as conn:
            rows = conn.execute(select(*columns).order_by(api_keys.c.created_at, api_keys.c.name)).mappings()
            return [ApiKey(**row) for row in rows]

    def revoke(self, name: str) -> None:
        """Revoke the usable key named ``name``; KeyProblem when there is none."""
        with self.engine.begin() as conn:
            done = conn.execute(update(api_keys).where(api_keys.c.name == name, api_keys.c.revoked_at.is_(None))
                                .values(revoked_at=utcnow()))
        if done.rowcount == 0:
            raise KeyProblem(f"no usable key is named {name!r} (brismis api-key list shows them)")

    # ------------------------------------------------------------------ the server

    def verify(self, token: str | None) -> ApiKey | None:
        """The usable key ``token`` is, or None (malformed, unknown, wrong secret or revoked). Raises
        SQLAlchemyError when the database cannot be asked."""
        match = _KEY.match(token or "")
        key_id, secret = match.groups() if match else ("", token or "")
        row = None
        if match:
            with self.engine.connect() as conn:
                row = conn.execute(select(api_keys).where(api_keys.c.key_id == key_id)).mappings().first()
        salt, digest = (row["salt"], row["digest"]) if row else (_DUMMY_SALT, _DUMMY_DIGEST)
        same = hmac.compare_digest(_digest(salt, secret), digest)
        if row is None or not same or row["revoked_at"] is not None:
            return None
        now = utcnow()
        if row["last_used_at"] is None or now - row["last_used_at"] >= LAST_USED_EVERY:
            with self.engine.begin() as conn:
                conn.execute(update(api_keys).where(api_keys.c.key_id == key_id).values(last_used_at=now))
        return ApiKey(key_id=key_id, name=row["name"], created_at=row["created_at"], last_used_at=now)
