"""Run every benchmark in turn (one at a time: they are CPU-heavy). Used by `make bench`.

Run: cd /work/main && .venv/bin/python bench/run_all.py
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = (
    "chunk_size.py", "lexical_weight.py", "decline_threshold.py", "answer_speed.py", "index_speed.py",
    "retrieval_speed.py",
)

if __name__ == "__main__":
    failed = [s for s in SCRIPTS if subprocess.run([sys.executable, str(HERE / s)], cwd=HERE.parent).returncode]
    sys.exit(f"failed: {', '.join(failed)}" if failed else 0)
