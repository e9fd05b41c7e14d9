"""Is the answer in the visitor's language? The last check before an answer is shown.

A small model asked to answer in Thai from English passages sometimes answers in English, and the
claim checks cannot see that. For a language with its own script, the share of letters in that
script decides (English names and quoted titles are expected in any answer); for the Latin-script
languages only a confident detection of English over a long enough answer does, since short
answers fool detectors.
"""

from __future__ import annotations

import re

from ..language import SERVED_SCRIPT, detect_language
from ..scripts import LANGUAGE_SCRIPT, letters_by_script, main_block

_QUOTED = re.compile(r'"[^"]*"|“[^”]*”|«[^»]*»|„[^“”]*[“”]|「[^」]*」|『[^』]*』')
_SAME_LANGUAGE = [{"ms", "id"}, {"sr", "bs", "hr"}]
# languages whose script alone tells an answer in them from one in English: its main block
_SCRIPTS = {lang: main_block(script) for lang, script in LANGUAGE_SCRIPT.items()}


def same_language(a: str, b: str) -> bool:
    return a == b or any(a in group and b in group for group in _SAME_LANGUAGE)


def written_in_other_language(text: str, lang: str) -> str | None:
    """The language an answer is visibly written in, when that is not ``lang``; None if it fits
    or cannot be told. Names and titles quoted in English are expected inside any answer, so
    for non-Latin scripts only the share of letters counts, and among Latin-script languages only
    a confident, long enough detection does (short answers fool detectors)."""
    text = _QUOTED.sub(" ", text)  # quoted titles and themes stay in the announcements' language
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return None
    if lang in _SCRIPTS:
        own = len(re.findall(_SCRIPTS[lang], text))
        if own >= 0.3 * len(letters):
            return None
        code = detect_language(text, default="en", question=False).code  # Serbian and Uzbek are also written in Latin letters
        return None if same_language(code, lang) else code
    served = SERVED_SCRIPT.get(lang)
    if served:  # Uzbek in Cyrillic: not the Uzbek we serve, and what the model writes so is no Uzbek
        for main, count in letters_by_script(text).most_common(1):
            if main != served.lower() and count > 0.5 * len(letters):
                return f"{main.capitalize()} script"
    detected = detect_language(text, default=lang, question=False)
    if sum(ch.isascii() for ch in letters) < 0.5 * len(letters):  # mostly a non-Latin script
        return None if same_language(detected.code, lang) or detected.source != "script" else detected.code
    # Latin script: the failure that matters is an English answer to a French, Malay... question
    if (lang != "en" and detected.code == "en" and len(text.split()) >= 6
            and detected.source in ("lingua", "script") and detected.confidence >= 0.6):
        return "en"
    return None
