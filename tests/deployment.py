"""A whole multi-process deployment on loopback, for tests/test_deployment.py (``make test-scale``) and
for the load test through nginx (``python tests/deployment.py up``):

    nginx (load balancer) -> two `brismis serve` processes -> Redis (shared rate limits)
                                                            -> PostgreSQL (answers, ratings)
                                                            -> `chroma run` (the index)
                                                            -> llama-server with SmolLM2 (the model)

Every piece is a real server from Debian or from the locked Python packages, started here in a
temporary folder on free ports and stopped at the end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

SITE = ROOT / "deploy" / "nginx" / "brismis.conf"  # the nginx site a server would use, run as is

NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/nginx-body;
    proxy_temp_path {tmp}/nginx-proxy;
    fastcgi_temp_path {tmp}/nginx-fastcgi;
    uwsgi_temp_path {tmp}/nginx-uwsgi;
    scgi_temp_path {tmp}/nginx-scgi;
    include {tmp}/brismis-site.conf;
}}
"""


def nginx_site(listen: str, api_1: str, api_2: str) -> str:
    """deploy/nginx/brismis.conf with its placeholders filled in, as ``envsubst`` would."""
    text = SITE.read_text(encoding="utf-8")
    for name, value in (("LISTEN", listen), ("API_1", api_1), ("API_2", api_2)):
        text = text.replace("${" + name + "}", value)
    return text


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen | None, seconds: float, what: str) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not answer {url} within {seconds:.0f} s")


@contextlib.contextmanager
def postgres():
    """Debian's PostgreSQL in a temporary folder on a free port: its base URL (no database name).
    PostgreSQL refuses to run as root, so it then runs as the ``postgres`` user the package creates."""
    import glob
    import pwd

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed: run `make test-deps` (Debian package postgresql)")
    bin_dir = Path(found[-1]).parent
    user = pwd.getpwnam("postgres")
    # not under a root-only temporary folder: the postgres user must reach its data folder
    root = Path(tempfile.mkdtemp(prefix="brismis-postgres-"))
    data, sockets = root / "data", root / "sockets"
    for folder in (root, data, sockets):
        folder.mkdir(exist_ok=True)
        shutil.chown(folder, user.pw_uid, user.pw_gid)
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    done = subprocess.run([*as_postgres, str(bin_dir / "initdb"), "-D", str(data), "--auth=trust", "-U", "postgres",
                           "--encoding=UTF8", "--locale=C"], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"initdb failed: {done.stderr}")
    port = free_port()
    try:
        subprocess.run([*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-t", "60", "-l",
                        str(root / "log"), "-o", f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off",
                        "start"], check=True, capture_output=True)
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def create_database(server_url: str, name: str) -> str:
    """A new empty database on the PostgreSQL at ``server_url``: its URL."""
    import sqlalchemy

    admin = sqlalchemy.create_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"{server_url}/{name}"


@dataclass
class Deployment:
    tmp: Path
    env: dict
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    database_url: str = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['nginx']}"

    def api(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def start(self, name: str, cmd: list[str], env: dict | None = None) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "w")
        proc = subprocess.Popen(cmd, env=env or self.env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        self.procs[name] = proc
        return proc

    def start_api(self, name: str) -> None:
        port = self.ports.setdefault(name, free_port())
        proc = self.start(name, [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)])
        wait_for(self.api(name) + "/healthz", proc, 240, f"brismis serve ({name})")

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        proc = self.procs.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        proc.wait(30)

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        for name in list(self.procs)[::-1]:
            self.kill(name, signal.SIGTERM)


@contextlib.contextmanager
def deployment(postgres_url: str | None, settings_env: dict | None = None):
    """Redis, Chroma, the model server, the index, two API processes and nginx, all started (and a
    PostgreSQL of its own when no ``postgres_url`` is given)."""
    if postgres_url is None:
        with postgres() as server, deployment(create_database(server, "deploy"), settings_env) as d:
            yield d
        return
    from bot.models.embedded import model_env, server_binary
    from bot.models.gguf_weights import smollm2_path
    from bot.settings import Settings

    for tool in ("redis-server", "nginx"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            raise RuntimeError(f"{tool} is not installed: run `make test-scale-deps`")
    tmp = Path(tempfile.mkdtemp(prefix="brismis-deploy-"))
    settings = Settings()
    ports = {name: free_port() for name in ("redis", "chroma", "model", "nginx")}
    env = dict(os.environ, HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False", OMP_WAIT_POLICY="PASSIVE",
               GRADIO_ANALYTICS_ENABLED="False",
               BRISMIS_CACHE_DIR=str(settings.cache_dir.resolve()), BRISMIS_CORPUS_DIR=str(tmp / "corpus"),
               BRISMIS_INDEX_DIR=str(tmp / "index"), BRISMIS_DATABASE_URL=postgres_url,
               BRISMIS_LIMITS_STORAGE_URL=f"redis://127.0.0.1:{ports['redis']}/0",
               BRISMIS_CHROMA_HOST="127.0.0.1", BRISMIS_CHROMA_PORT=str(ports["chroma"]),
               BRISMIS_CHAT_BACKEND="openai", BRISMIS_LLM_BASE_URL=f"http://127.0.0.1:{ports['model']}/v1",
               BRISMIS_LLM_MODEL="smol", BRISMIS_LLM_MAX_TOKENS="48",
               BRISMIS_TRUSTED_PROXIES="1", BRISMIS_STAFF_PASSWORD="deploy-test-password")
    env.update(settings_env or {})
    shutil.copytree(ROOT / "corpus", tmp / "corpus")
    d = Deployment(tmp, env, ports=ports, database_url=postgres_url)
    try:
        redis_server = shutil.which("redis-server") or "/usr/bin/redis-server"
        d.start("redis", [redis_server, "--port", str(ports["redis"]), "--bind", "127.0.0.1", "--dir", str(tmp),
                          "--save", "", "--appendonly", "no"])
        chroma = Path(sys.executable).parent / "chroma"
        proc = d.start("chroma", [str(chroma), "run", "--path", str(tmp / "chroma"), "--host", "127.0.0.1",
                                  "--port", str(ports["chroma"])])
        wait_for(f"http://127.0.0.1:{ports['chroma']}/api/v2/heartbeat", proc, 60, "chroma run")
        proc = d.start("model", [str(server_binary(settings)), "--model", str(smollm2_path()), "--alias",
                                 "smol", "--host", "127.0.0.1", "--port", str(ports["model"]), "--ctx-size", "4096",
                                 "--parallel", "2", "--threads", "2", "--no-webui"], env={**env, **model_env(settings)})
        wait_for(f"http://127.0.0.1:{ports['model']}/v1/models", proc, 120, "llama-server")
        built = subprocess.run([sys.executable, "-m", "bot.cli", "index", "--quiet"], env=env, capture_output=True,
                               text=True, timeout=600)
        if built.returncode != 0:
            raise RuntimeError(f"brismis index failed: {built.stderr[-2000:]}")
        d.start_api("api-a")
        d.start_api("api-b")
        (tmp / "brismis-site.conf").write_text(nginx_site(f"127.0.0.1:{ports['nginx']}",
                                                          f"127.0.0.1:{ports['api-a']}", f"127.0.0.1:{ports['api-b']}"))
        (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        proc = d.start("nginx", [nginx, "-c", str(tmp / "nginx.conf"), "-p", str(tmp), "-g", "daemon off;"])
        wait_for(d.url + "/healthz", proc, 30, "nginx")
        yield d
    finally:
        d.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":  # `python tests/deployment.py up [POSTGRES_URL]`: keep it running
    if len(sys.argv) not in (2, 3) or sys.argv[1] != "up":
        sys.exit("usage: python tests/deployment.py up [postgresql+psycopg://user@host:port/db]\n"
                 "(without a URL it starts a PostgreSQL of its own)")
    with deployment(sys.argv[2] if len(sys.argv) == 3 else None) as d:
        print(f"up: {d.url} (api-a {d.api('api-a')}, api-b {d.api('api-b')}); Ctrl-C stops it", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.sigwait({signal.SIGINT, signal.SIGTERM})
