"""The llama.cpp runtime: one `llama-server` build that runs on every x86-64 CPU.

Why it is built this way (issue 10):

* ``GGML_NATIVE`` builds for the build machine's CPU. A wheel or binary carried to another CPU
  (pip's cache keys builds by name and version, not by CPU) dies with SIGILL, and on CPUs with AMX
  the native build turns on ggml's AMX kernels, which crash on a worker thread (llama.cpp pull
  request #26954: tile permission is requested on the main thread only).
* So ggml is built with ``GGML_BACKEND_DL`` and several CPU variants; at start the server loads
  the variant with the best score that the CPU supports. The list below keeps the variants that
  cover the machines this project lands on and drops the AMX one (``sapphirerapids``): an AMX CPU
  gets ``icelake`` (AVX-512 VBMI/VNNI), the fastest kernels that work there. Each variant costs
  minutes of compiling on 2 cores, so only four are built: ``x64`` (any x86-64), ``haswell``
  (AVX2/FMA), ``skylakex`` (AVX-512) and ``icelake`` (AVX-512 VBMI/VNNI). Decoding a 4-bit 1.5B model
  on 2 cores is bound by memory bandwidth, so the in-between variants (``alderlake``'s AVX-VNNI,
  ``zen4``'s BF16) would add little.
* The source is the llama.cpp vendored in the pinned llama-cpp-python sdist from PyPI, so the
  runtime is reproducible from the package registry alone. Nothing is downloaded at run time
  (the server's web UI download is switched off).

``python -m bot.models.runtime build`` (run by ``make``) builds into ``.cache/llama.cpp/<key>/``;
the key names the source version and this recipe, not the CPU, because the build is portable.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Callable

SOURCE_PACKAGE = "llama-cpp-python"
SOURCE_VERSION = "0.3.36"
# sha256 of the sdist on PyPI: the source is checked before it is built
SOURCE_SHA256 = "832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e"
RECIPE = 2  # bump when the flags or the variant list change: a new folder is built
# ggml CPU variants kept (names from ggml/src/CMakeLists.txt). Older or in-between CPUs load the
# best lower one: alderlake -> haswell; cascadelake/cooperlake -> skylakex; zen4/sapphirerapids ->
# icelake; sandybridge..piledriver -> x64.
VARIANTS = ("x64", "haswell", "skylakex", "icelake")
NEVER = ("sapphirerapids",)  # AMX: broken upstream on the machines we run on
CMAKE_FLAGS = [
    "-DCMAKE_BUILD_TYPE=Release",
    "-DBUILD_SHARED_LIBS=ON",
    "-DGGML_NATIVE=OFF",
    "-DGGML_BACKEND_DL=ON",
    "-DGGML_CPU_ALL_VARIANTS=ON",
    "-DGGML_OPENMP=ON",
    "-DLLAMA_CURL=OFF",
    "-DLLAMA_OPENSSL=OFF",
    "-DLLAMA_BUILD_TESTS=OFF",
    "-DLLAMA_BUILD_EXAMPLES=OFF",
    "-DLLAMA_BUILD_TOOLS=ON",
    "-DLLAMA_BUILD_SERVER=ON",
    "-DLLAMA_BUILD_UI=OFF",
    "-DLLAMA_USE_PREBUILT_UI=OFF",  # it would download the web UI from a model hub bucket
]
# CPU flags (as /proc/cpuinfo names them) that decide which variant runs; shown in messages.
RELEVANT_FLAGS = ("sse4_2", "avx", "f16c", "fma", "bmi2", "avx2", "avx_vnni", "avx512f", "avx512bw",
                  "avx512vl", "avx512vbmi", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_int8", "amx_bf16")

Progress = Callable[[str, int, int], None]


class RuntimeProblem(RuntimeError):
    """The llama.cpp runtime is missing or cannot be built; the message says what to do."""


REBUILD_COMMAND = "make rebuild-llama"


def runtime_key() -> str:
    return f"{SOURCE_VERSION}-r{RECIPE}"


def runtime_dir(cache_dir: Path) -> Path:
    return Path(cache_dir) / "llama.cpp" / runtime_key()


def server_binary(cache_dir: Path) -> Path:
    return runtime_dir(cache_dir) / "llama-server"


def cpu_flags() -> list[str]:
    """The CPU's instruction-set flags that matter to ggml, in a fixed order."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    match = re.search(r"^flags\s*:\s*(.*)$", text, re.MULTILINE)
    present = set(match.group(1).split()) if match else set()
    return [f for f in RELEVANT_FLAGS if f in present]


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "unknown CPU"
    match = re.search(r"^model name\s*:\s*(.*)$", text, re.MULTILINE)
    return match.group(1).strip() if match else "unknown CPU"


def describe_cpu() -> str:
    flags = cpu_flags()
    amx = "yes" if any(f.startswith("amx") for f in flags) else "no"
    return f"{cpu_model()}; flags {' '.join(flags) or 'none found'}; AMX {amx}"


def build_info(cache_dir: Path) -> dict | None:
    path = runtime_dir(cache_dir) / "BUILD.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# ---------------------------------------------------------------- building


def _run(cmd: list[str], cwd: Path, log, what: str, say: Callable[[str], None]) -> None:
    """One build step, its output to the log, its duration said (CI logs show where time goes)."""
    say(f"{what}…")
    started = time.monotonic()
    log.write(f"$ {' '.join(cmd)}\n")
    log.flush()
    result = subprocess.run(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        raise RuntimeProblem(f"{what} failed (exit code {result.returncode}); the log is {log.name}")
    say(f"{what}: done in {time.monotonic() - started:.0f} s")


def _download_source(work: Path, log, say: Callable[[str], None]) -> Path:
    """The pinned sdist from the package index pip is configured with, checked against its sha256.

    Only this package comes as source (``--no-binary`` names it alone): its build tools come as
    wheels, never compiled from source, and nothing is built here but its metadata.
    """
    pinned = work / "source.txt"
    pinned.write_text(f"{SOURCE_PACKAGE}=={SOURCE_VERSION} --hash=sha256:{SOURCE_SHA256}\n", encoding="utf-8")
    _run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", SOURCE_PACKAGE, "--require-hashes",
          "--disable-pip-version-check", "-r", str(pinned), "-d", str(work)],
         work, log, f"downloading the {SOURCE_PACKAGE} {SOURCE_VERSION} source", say)
    return next(work.glob("*.tar.gz"))


def _keep_variants(cmakelists: Path) -> None:
    """Build only ``VARIANTS`` of ggml's x86 CPU backend (never the AMX one)."""
    text = cmakelists.read_text(encoding="utf-8")
    pattern = re.compile(r"^(\s*)(ggml_add_cpu_backend_variant\((\w+)\b[^)\n]*\))", re.MULTILINE)
    seen: set[str] = set()

    def edit(m: re.Match) -> str:
        tag = m.group(3)
        seen.add(tag)
        if tag in VARIANTS:
            return m.group(0)
        return f"{m.group(1)}# {m.group(2)}  # not built: see bot/models/runtime.py"

    # only the x86 block: it runs from its `if` to the next `elseif` of the ALL_VARIANTS section
    start = text.find('if (GGML_SYSTEM_ARCH STREQUAL "x86")', text.find("if (GGML_CPU_ALL_VARIANTS)"))
    end = text.find("elseif", start)
    if start < 0 or end < 0:
        raise RuntimeProblem(f"{cmakelists} has no x86 CPU variant list: the llama.cpp source changed")
    block = pattern.sub(edit, text[start:end])
    missing = [v for v in VARIANTS if v not in seen]
    if missing:
        raise RuntimeProblem(f"CPU variants {missing} not found in {cmakelists}: the llama.cpp source changed")
    cmakelists.write_text(text[:start] + block + text[end:], encoding="utf-8")


def build(cache_dir: Path, progress: Progress | None = None, jobs: int | None = None,
          source: Path | None = None, say: Callable[[str], None] = lambda line: None) -> Path:
    """Build llama-server with the portable CPU variants into ``runtime_dir(cache_dir)``.

    Idempotent: an existing complete build is kept. ``source``: an already downloaded sdist.
    """
    dest = runtime_dir(cache_dir)
    if (dest / "BUILD.json").exists() and (dest / "llama-server").exists():
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    for tool in ("cmake", "ninja"):
        if shutil.which(tool) is None and not (Path(sys.executable).parent / tool).exists():
            raise RuntimeProblem(f"{tool} is needed to build llama.cpp: run `make install` (it installs it)")
    env_path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    os.environ["PATH"] = env_path
    work = Path(tempfile.mkdtemp(prefix="llama-build-", dir=dest.parent))
    log_path = dest.parent / f"build-{runtime_key()}.log"
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        try:
            if source is None:
                source = _download_source(work, log, say)
            with tarfile.open(source) as tar:
                tar.extractall(work, filter="data")
            src = next(work.glob("llama_cpp_python-*")) / "vendor" / "llama.cpp"
            _keep_variants(src / "ggml" / "src" / "CMakeLists.txt")
            _run(["cmake", "-S", str(src), "-B", str(work / "build"), "-G", "Ninja", *CMAKE_FLAGS], work, log,
                 "configuring llama.cpp", say)
            _compile(work / "build", jobs or build_jobs(), log, progress, say)
            staging = dest.with_name(dest.name + ".tmp")
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            bin_dir = work / "build" / "bin"
            shutil.copy2(bin_dir / "llama-server", staging / "llama-server")
            for lib in bin_dir.glob("lib*.so*"):
                if any(f"ggml-cpu-{never}" in lib.name for never in NEVER):
                    continue
                shutil.copy2(lib, staging / lib.name, follow_symlinks=True)
            built = sorted(p.name.removeprefix("libggml-cpu-").removesuffix(".so")
                           for p in staging.glob("libggml-cpu-*.so"))
            if sorted(VARIANTS) != built:
                raise RuntimeProblem(f"expected CPU variants {sorted(VARIANTS)}, the build made {built}")
            info = {"source": f"{SOURCE_PACKAGE}=={SOURCE_VERSION}", "recipe": RECIPE, "variants": built,
                    "cmake_flags": CMAKE_FLAGS, "built_on": describe_cpu(),
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "seconds": round(time.monotonic() - started)}
            (staging / "BUILD.json").write_text(json.dumps(info, indent=1), encoding="utf-8")
            shutil.rmtree(dest, ignore_errors=True)
            os.replace(staging, dest)
        except RuntimeProblem:
            raise
        except (OSError, StopIteration, tarfile.TarError) as exc:
            raise RuntimeProblem(f"building llama.cpp failed ({type(exc).__name__}: {exc}); the log is {log_path}") from exc
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return dest


def build_jobs() -> int:
    """Parallel compile jobs: the CPUs this process may use (its affinity, and its cgroup's CPU quota,
    which a container's CPU count does not show), and at most one per 2 GB of available memory (a
    llama.cpp file takes up to ~1.5 GB to compile; too many at once swap instead of finishing)."""
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 2)
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            n = min(n, max(1, -(-int(quota) // int(period))))
    except (OSError, ValueError):
        pass
    try:
        meminfo = Path("/proc/meminfo").read_text()
        available_kb = int(re.search(r"^MemAvailable:\s+(\d+)", meminfo, re.MULTILINE).group(1))
        n = min(n, max(1, available_kb // (2 * 1024 * 1024)))
    except (OSError, AttributeError, ValueError):
        pass
    return max(1, n)


def _compile(build_dir: Path, jobs: int, log, progress: Progress | None, say: Callable[[str], None]) -> None:
    """Compile, with a bar, and a plain line every tenth of the steps (a CI log has no bar)."""
    cmd = ["cmake", "--build", str(build_dir), "--target", "llama-server", "-j", str(jobs)]
    say(f"compiling llama.cpp with {jobs} jobs…")
    log.write(f"$ {' '.join(cmd)}\n")
    log.flush()
    started = time.monotonic()
    step = re.compile(r"^\[(\d+)/(\d+)\]")
    said = 0
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    for line in proc.stdout:
        log.write(line)
        m = step.match(line)
        if m:
            done, total = int(m.group(1)), int(m.group(2))
            if progress:
                progress("compiling llama.cpp", done, total)
            if done * 10 // total > said:
                said = done * 10 // total
                say(f"compiling llama.cpp: {done}/{total} steps after {(time.monotonic() - started) / 60:.1f} min")
    if proc.wait() != 0:
        raise RuntimeProblem(f"compiling llama.cpp failed (exit code {proc.returncode}); the log is {log.name}")


def main(argv: list[str] | None = None) -> int:
    import argparse

    from ..settings import Settings

    parser = argparse.ArgumentParser(prog="python -m bot.models.runtime",
                                     description="Build the portable llama.cpp server (see the module docstring).")
    parser.add_argument("command", choices=["build", "where", "info"])
    parser.add_argument("--force", action="store_true", help="build again even if a build exists")
    parser.add_argument("--source", type=Path, help="a downloaded llama-cpp-python sdist")
    args = parser.parse_args(argv)
    cache = Settings().cache_dir
    if args.command == "where":
        print(server_binary(cache))
        return 0
    if args.command == "info":
        print(json.dumps(build_info(cache), indent=1))
        return 0
    if args.force:
        shutil.rmtree(runtime_dir(cache), ignore_errors=True)
    from ..progress import progress_bars

    if (runtime_dir(cache) / "BUILD.json").exists():
        print(f"llama.cpp runtime ready: {runtime_dir(cache)}")
        return 0
    print(f"building llama.cpp ({SOURCE_PACKAGE} {SOURCE_VERSION}, CPU variants {', '.join(VARIANTS)}; "
          "~12-15 min on 2 cores, once)", flush=True)
    bars = progress_bars() if sys.stderr.isatty() else None
    try:
        dest = build(cache, bars, source=args.source, say=lambda line: print(f"  {line}", flush=True))
    except RuntimeProblem as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"llama.cpp runtime ready: {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
