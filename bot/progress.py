"""Progress for long work (model preparation, compiling llama.cpp, index builds, evaluations): one
tqdm bar per stage on stderr, driven by the ``progress(stage, done, total)`` callbacks of every stage."""

from __future__ import annotations

import sys


def progress_bars():
    """A progress callback drawing one bar per stage on stderr."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}
    finished: set[str] = set()

    def update(stage: str, done: int, total: int) -> None:
        if stage in finished:
            return
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(total=total, desc=stage, file=sys.stderr, leave=True, unit="")
        bar.total = total
        bar.update(done - bar.n)  # tqdm throttles redraws itself
        if done >= total:
            bar.close()
            finished.add(stage)

    return update
