"""Names: the capitalised words of an answer, grouped into the names the passages must contain.

Latin, Cyrillic and Greek script only (capitals tell a name there; for the other scripts see
gazetteer.py). A capitalised word is a claim unless it is a stopword or a title (data), the
passages' own vocabulary in translation ("Tecnología", "Пекин": data/names.json), or a word
that may just start a sentence. At the start of a sentence an English word is checked against
the passages' stems; in other languages it counts only as an acronym or inside a multi-word
name. German capitalises every noun: there only acronyms, words after a title, and
non-German-looking words in a multi-word name or after in/nach/aus count. Vietnamese skips its
own syllables ("Thượng Hải" = Shanghai, which English passages cannot confirm). A word in a
script the language does not write ("Flavia" in a Russian answer) is always a name.

What cannot be seen: a single capitalised German noun-like word, a personal name in a script
without capitals. What may be wrongly rejected: a translated institution name whose words are
not in names.json, a translated acronym (German "PKKCV" for CPPCC).
"""

from __future__ import annotations

import re
import unicodedata

from ..scripts import unicode_script
from .claim import Claim
from .numbers import EN_NUMBER_NAMES
from .tables import LANGUAGES, language, shared, words
from .text import fold

_DATA = shared("names")
# Titles are never claims; after an abbreviation's period a sentence goes on. Folded.
TITLES = set(words(_DATA["titles"]))
ABBREVIATIONS = TITLES | set(words(_DATA["abbreviations"]))

# Common words that start sentences or precede a name ("El Museo", "In Shanghai"). Folded.
STOP: dict[str, set[str]] = {
    code: {fold(w) for w in words(data["stopwords"])} for code, data in LANGUAGES.items() if "stopwords" in data
}

# Translations of the names the passages use (China, Beijing, Shanghai, museum, UNESCO, SDGs,
# the Belt and Road countries...), which a translated answer capitalises: folded prefixes, so
# "tecnolog" covers Tecnología/Tecnologia/Technologie. A word starting with one is not checked.
_COMMON_STEMS: dict[str, tuple[str, ...]] = {
    script: tuple(sorted({fold(w) for w in words(lines)})) for script, lines in _DATA["common_stems"].items()
}
_LATIN_COMMON_EXACT_MIN = 4  # stems shorter than this must match the whole word

# German capitalises every noun: these endings and letters mark a German word, not a foreign name.
_GERMAN = language("de").get("nouns", {})
_GERMAN_ENDINGS = tuple(_GERMAN.get("endings", ()))
_GERMAN_LETTERS = set(_GERMAN.get("letters", ""))
# "in Berlin", "nach Peking": a place name follows these directly, a German noun takes an article.
_GERMAN_PLACE_PREPOSITIONS = set(_GERMAN.get("place_prepositions", ()))
_GERMAN_IDIOMS = set(_GERMAN.get("idioms", ()))

# A Vietnamese syllable; a capitalised one is a Vietnamese word or a Sino-Vietnamese name
# ("Thượng Hải" = Shanghai), which English passages cannot confirm.
_VI_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?"
)

_CASED = ("LATIN", "CYRILLIC", "GREEK")
_SENTENCE_END = set(".!?。！？:;\n…")
_OPENERS = "«“\"'‘„([「『*•-–—¿¡ \t\u3000"
_NAME_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")


def names_are_cased(lang: str) -> bool:
    """Whether ``lang`` writes names with capitals, so that an answer naming no one can be told."""
    return bool(set(language(lang).get("scripts", ())) & set(_CASED))


def is_cased(text: str) -> bool:
    """The text starts in a script with capital letters (where names are read word by word)."""
    return unicode_script(text[0]) in _CASED


def _is_acronym(token: str) -> bool:
    return sum(c.isupper() for c in token) >= 2


def _is_common(folded: str, script: str) -> bool:
    for stem in _COMMON_STEMS.get(script, ()):
        if len(stem) < _LATIN_COMMON_EXACT_MIN and script == "LATIN":
            if folded == stem:
                return True
        elif folded.startswith(stem):
            return True
    return False


def _looks_german(token: str) -> bool:
    f = fold(token)
    return any(c in _GERMAN_LETTERS for c in token.lower()) or f.endswith(_GERMAN_ENDINGS)


def _is_sentence_initial(text: str, start: int) -> bool:
    i = start
    while i > 0 and text[i - 1] in _OPENERS:
        i -= 1
    if i == 0 or "\n" in text[i:start]:
        return True
    if text[i - 1] not in _SENTENCE_END:
        return False
    if text[i - 1] == ".":
        prev = re.search(r"([^\W\d_]+)\.$", text[:i])
        if prev and fold(prev.group(1)) in ABBREVIATIONS:
            return False
    return True


def name_parts(text: str) -> list[tuple[int, int, str]]:
    """Word tokens with their offsets. Elision and possessives are split off ("l'UNESCO",
    "UNESCO's"), and so is another script glued on ("Nur博士")."""
    parts = []
    for m in _NAME_TOKEN.finditer(text):
        pos = m.start()
        for piece in re.split(r"(['’ʼ])", m.group(0)):
            if piece and piece not in "'’ʼ":
                for sub in re.finditer(r"[^\W\d_](?:[^\W\d_]|\u200c)*", piece):
                    for run in _same_script_runs(sub.group(0)):
                        start = pos + sub.start() + run[0]
                        parts.append((start, start + len(run[1]), run[1]))
            pos += len(piece)
    return parts


def _same_script_runs(word: str) -> list[tuple[int, str]]:
    """Split where the script changes; marks and modifier letters (Uzbek ʻ) belong to their word."""
    runs: list[tuple[int, str]] = []
    begin, script = 0, ""
    for i, c in enumerate(word):
        if unicodedata.category(c) in ("Lm", "Mn", "Mc", "Me"):
            continue
        s = unicode_script(c)
        if script and s != script:
            runs.append((begin, word[begin:i]))
            begin = i
        script = s
    runs.append((begin, word[begin:]))
    return runs


def name_claims(text: str, lang: str) -> list[Claim]:
    """Capitalised Latin/Cyrillic/Greek words that the passages must contain, grouped into names."""
    parts = [p for p in name_parts(text) if unicode_script(p[2][0]) in _CASED]
    # Runs: capitalised words separated only by spaces, hyphens or an abbreviation's period.
    runs: list[list[tuple[int, int, str]]] = []
    for p in parts:
        if not p[2][0].isupper():
            runs.append([])
            continue
        if runs and runs[-1]:
            prev = runs[-1][-1]
            gap = text[prev[1] : p[0]]
            if re.fullmatch(r"[\s\-‐–]*", gap) or (
                re.fullmatch(r"\.\s+", gap) and fold(prev[2]) in ABBREVIATIONS
            ):
                runs[-1].append(p)
                continue
        runs.append([p])
    native = set(language(lang).get("scripts", ()))
    stop = STOP["en"] | STOP.get(lang, set())
    skip_words = stop | TITLES

    claims: list[Claim] = []
    for run in runs:
        if not run:
            continue
        content = [p for p in run if len(p[2]) > 1 and (_is_acronym(p[2]) or fold(p[2]) not in skip_words)]
        after_title = any(fold(p[2]) in TITLES for p in run)
        group: list[tuple[int, int, str]] = []
        initial_group = False
        for i, (s, e, tok) in enumerate(run):
            script = unicode_script(tok[0])
            f = fold(tok).replace("'", "")
            initial = i == 0 and _is_sentence_initial(text, s)
            check = True
            if len(tok) < 2 or (not _is_acronym(tok) and (f in TITLES or f in stop or f in EN_NUMBER_NAMES)):
                check = False  # "The", "Dr", "Nine" (a number word is checked as a number); not "WHO"
            elif initial and text[e : e + 1] == ":":
                check = False  # a label: "Date: November 2017", "Organizer: CANSM"
            elif script not in native:
                check = True  # a Latin name in a Chinese answer, etc.: always a name
            elif lang != "en" and _is_common(f, script):
                check = False
            elif initial and lang != "en":
                # Any word may start a sentence; take it as a name only in a multi-word name.
                check = _is_acronym(tok) or len(content) >= 2
            elif lang == "de" and not _is_acronym(tok):
                prev_word = re.search(r"([^\W\d_]+)\s+$", text[:s])
                after_preposition = bool(prev_word) and prev_word.group(1) in _GERMAN_PLACE_PREPOSITIONS
                check = after_title or (
                    (len(content) >= 2 or after_preposition) and not _looks_german(tok) and f not in _GERMAN_IDIOMS
                )
            elif lang == "vi" and not _is_acronym(tok):
                check = not _VI_SYLLABLE.fullmatch(f)
            if check:
                if not group:
                    initial_group = initial and lang == "en" and not _is_acronym(tok)
                group.append((s, e, tok))
            elif group:
                claims.append(_group_claim(text, group, initial_group))
                group = []
        if group:
            claims.append(_group_claim(text, group, initial_group))
    return claims


def _group_claim(text: str, group: list[tuple[int, int, str]], initial: bool) -> Claim:
    start, end = group[0][0], group[-1][1]
    return Claim(
        "name", text[start:end], " ".join(fold(t) for _, _, t in group), start=start, sentence_initial=initial
    )
