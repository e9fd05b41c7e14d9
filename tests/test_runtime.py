"""The llama.cpp runtime runs on every x86-64 CPU: built with CPU variants chosen at load time, never
with ggml's AMX kernels (they crash on AMX machines), and it really runs on a CPU with other
instruction sets than this one (an older one, emulated by qemu)."""

import shutil
import subprocess
import sys

import pytest

from bot.models import runtime
from bot.models.gguf_weights import smollm2_path
from bot.models.model_process import ModelProcess

AMX = ("tilezero", "tileloadd", "tilestored", "ldtilecfg", "tilerelease", "tdpbssd", "tdpbf16ps")


def amx_instructions(path) -> int:
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return sum(line.split("\t")[-1].split(" ")[0] in AMX for line in out.splitlines() if "\t" in line)


def test_the_variant_list_is_patched_into_the_source_and_never_holds_amx(tmp_path):
    cmake = tmp_path / "CMakeLists.txt"
    cmake.write_text(
        "if (GGML_CPU_ALL_VARIANTS)\n    if (GGML_SYSTEM_ARCH STREQUAL \"x86\")\n"
        + "".join(f"        ggml_add_cpu_backend_variant({v} SSE42 AVX)\n" for v in
                  ("x64", "sse42", "haswell", "alderlake", "skylakex", "icelake", "zen4", "sapphirerapids"))
        + "    elseif(GGML_SYSTEM_ARCH STREQUAL \"ARM\")\n        ggml_add_cpu_backend_variant(armv8.0_1)\n"
        "    endif()\nendif()\n", encoding="utf-8")
    runtime._keep_variants(cmake)
    text = cmake.read_text(encoding="utf-8")
    kept = [line.split("(")[1].split()[0].rstrip(")") for line in text.splitlines() if line.strip().startswith("ggml_add_cpu")]
    assert kept == [*runtime.VARIANTS, "armv8.0_1"]
    assert "# ggml_add_cpu_backend_variant(sapphirerapids" in text
    cmake.write_text("if (GGML_CPU_ALL_VARIANTS)\nendif()\n", encoding="utf-8")
    with pytest.raises(runtime.RuntimeProblem, match="the llama.cpp source changed"):
        runtime._keep_variants(cmake)


@pytest.mark.skipif(shutil.which("objdump") is None, reason="objdump (binutils) is not installed")
def test_the_amx_detector_sees_amx_code(tmp_path):
    src = tmp_path / "amx.c"
    src.write_text("#include <immintrin.h>\nvoid zero(void) { _tile_zero(4); _tile_release(); }\n")
    obj = tmp_path / "amx.o"
    subprocess.run(["gcc", "-O2", "-mamx-tile", "-c", str(src), "-o", str(obj)], check=True)
    assert amx_instructions(obj) == 2  # the positive control for the test below


@pytest.mark.integration
def test_the_built_runtime_has_every_variant_and_no_amx_code(settings):
    info = runtime.build_info(settings.cache_dir)
    assert info is not None, "the runtime is not built: run `make install`"
    assert info["variants"] == sorted(runtime.VARIANTS) and "-DGGML_NATIVE=OFF" in info["cmake_flags"]
    folder = runtime.runtime_dir(settings.cache_dir)
    libs = sorted(folder.glob("lib*.so"))
    assert not [p for p in libs if "sapphirerapids" in p.name or "amx" in p.name]
    assert {p.name for p in libs} >= {f"libggml-cpu-{v}.so" for v in runtime.VARIANTS}
    assert [(p.name, amx_instructions(p)) for p in libs if amx_instructions(p)] == []


@pytest.mark.integration
@pytest.mark.skipif(shutil.which("qemu-x86_64") is None, reason="qemu-user is not installed (make test installs it)")
def test_the_same_build_runs_on_a_cpu_without_avx(settings, tmp_path):
    """A 2008 Nehalem (SSE4.2, no AVX), emulated: ggml loads its baseline variant and answers."""
    from bot.models.embedded import model_command, model_env

    command = ["qemu-x86_64", "-cpu", "Nehalem-v1",
               *model_command(settings.model_copy(update={"llm_context": 512}), smollm2_path(), parallel=1)]
    with ModelProcess(command, env=model_env(settings), log_path=tmp_path / "qemu.log", startup_timeout=120) as p:
        assert p.wait_ready(130), (p.status(), p.log_tail())
        assert p.status().cpu_variant == "x64"
        import httpx

        r = httpx.post(f"{p.base_url}/chat/completions", timeout=120, headers={"Authorization": f"Bearer {p.api_key}"},
                       json={"messages": [{"role": "user", "content": "Say OK."}], "max_tokens": 3})
        assert r.status_code == 200 and r.json()["choices"][0]["message"]["content"].strip()


def test_cpu_flags_are_read_in_a_fixed_order():
    flags = runtime.cpu_flags()
    assert flags == [f for f in runtime.RELEVANT_FLAGS if f in flags]
    assert "AMX" in runtime.describe_cpu() and sys.platform == "linux"
