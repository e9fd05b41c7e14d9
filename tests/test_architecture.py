"""The package reads as the path a question takes, and imports point one way only: a stage may use
the stages before it, never one after it (the answer stage never imports serving; corpus and chunks
know no models; nothing imports the CLI). ARCHITECTURE.md draws the same picture."""

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parent.parent / "bot"

# Lowest first. A module may import modules of its own layer or of lower ones.
LAYERS = [
    {"settings", "scripts", "phrases", "progress"},
    {"language", "corpus", "ingest", "chunking", "editions", "places", "protocols"},
    {"guard", "question_type", "screening"},
    {"models"},
    {"index"},
    {"retrieval"},
    {"schema", "events", "prompts", "evidence", "disagreement", "facts", "relevance", "verified", "answer"},
    {"serve"},
    {"evaluation"},
    {"cli"},
]
LAYER = {name: i for i, names in enumerate(LAYERS) for name in names}


def stage(module: str) -> str:
    """bot.serve.routes.chat -> serve; bot.answer -> answer."""
    return module.split(".")[1] if module.startswith("bot.") else module


def imports_of(path: Path) -> set[str]:
    parts = path.relative_to(BOT.parent).with_suffix("").parts
    package = parts[:-1] if path.name != "__init__.py" else parts[:-1]
    out = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue  # imports for type annotations only: no dependency at run time
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(parts[:-1]) if path.name != "__init__.py" else list(parts[:-1])
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                target = ".".join(base + ([node.module] if node.module else []))
                if not node.module:  # from . import x
                    out.update(f"{target}.{a.name}" for a in node.names)
                    continue
            else:
                target = node.module or ""
            if target.startswith("bot"):
                out.add(target)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("bot"))
    del package
    return out


def test_every_module_belongs_to_a_stage():
    stages = {p.stem if p.parent == BOT else p.relative_to(BOT).parts[0] for p in BOT.rglob("*.py")}
    assert stages - {"__init__"} <= set(LAYER), stages - set(LAYER)


def test_imports_only_point_to_earlier_stages():
    wrong = []
    for path in BOT.rglob("*.py"):
        own = stage("bot." + ".".join(path.relative_to(BOT).with_suffix("").parts))
        if own == "__init__":
            continue
        for target in imports_of(path):
            other = stage(target)
            if other in LAYER and LAYER[other] > LAYER[own]:
                wrong.append(f"{path.relative_to(BOT.parent)} ({own}) imports {target} ({other})")
    assert not wrong, "\n".join(sorted(wrong))
