"""Which language to answer in, and the assistant's fixed sentences in that language.

The announcements are English; visitors write in any of twenty languages and expect the answer
in theirs. Detection runs cheapest-and-surest first:

1. script rules: a writing system (Thai, Khmer, Greek, Han...) or a handful of letters unique to
   one language (Serbian ђ/ј, Kazakh ә/ұ, Uzbek ў/oʻ) settles it, even for a one-word question;
2. lingua, restricted to the languages that share a script and so actually need a model;
3. the language of the conversation so far, then the browser's hint, then the default.

Acronyms in Latin capitals (BRISMIS, UNESCO, CANSM, STEM), URLs and e-mail addresses are
removed first: they are the same in every language and would otherwise make "BRISMIS是什么?"
look a third English.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from bot.phrases import PHRASES
from bot.scripts import PERSIAN_LETTERS, SCRIPT_LANGUAGE, WEIGHT, letters_by_script, script_of

SUPPORTED = (
    "en", "zh", "ru", "ar", "fr", "es", "th", "ms", "el", "sr",
    "uz", "km", "my", "vi", "id", "tr", "kk", "fa", "pt", "de",
)  # fmt: skip

_NAMES = {  # code: (English name, native name)
    "en": ("English", "English"),
    "zh": ("Chinese", "中文"),
    "ru": ("Russian", "Русский"),
    "ar": ("Arabic", "العربية"),
    "fr": ("French", "Français"),
    "es": ("Spanish", "Español"),
    "th": ("Thai", "ไทย"),
    "ms": ("Malay", "Bahasa Melayu"),
    "el": ("Greek", "Ελληνικά"),
    "sr": ("Serbian", "Српски"),
    "uz": ("Uzbek", "Oʻzbekcha"),
    "km": ("Khmer", "ខ្មែរ"),
    "my": ("Burmese", "မြန်မာ"),
    "vi": ("Vietnamese", "Tiếng Việt"),
    "id": ("Indonesian", "Bahasa Indonesia"),
    "tr": ("Turkish", "Türkçe"),
    "kk": ("Kazakh", "Қазақ тілі"),
    "fa": ("Persian", "فارسی"),
    "pt": ("Portuguese", "Português"),
    "de": ("German", "Deutsch"),
}

# Below this lingua confidence the text says too little. Measured in low-accuracy mode:
# "Hello there" 0.44 (Spanish), "Thank you!" 0.39 (German); the test questions 0.59 and up.
MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Detection:
    code: str  # ISO 639-1, one of SUPPORTED
    source: str  # "script" (letter/word rules), "lingua", "history", "hint" or "default"
    confidence: float  # 0.0 when nothing in the text decided it


# the script a language is served in, when it is written in two: our Uzbek phrases are Latin (the
# official script since 1993), and the model, asked for "Uzbek", wrote Cyrillic Kyrgyz-like text
# ("БРИСМИ 2023 2023-ги маалыматда…", tune run 2026-12-03)
SERVED_SCRIPT = {"uz": "Latin"}


def language_name(code: str) -> str:
    """The English name ("Uzbek"); a script name ("Cyrillic script") is its own name."""
    return _NAMES.get(normalize_language(code) or code, (code,))[0]


def prompt_language(code: str) -> str:
    """The language as the model is asked to write it: "Uzbek (Latin script)"."""
    script = SERVED_SCRIPT.get(normalize_language(code) or code)
    return f"{language_name(code)} ({script} script)" if script else language_name(code)


def native_name(code: str) -> str:
    return _NAMES[normalize_language(code) or code][1]


# --- hints -------------------------------------------------------------------------------------

_ALIASES = {"in": "id", "zsm": "ms", "zlm": "ms"}  # legacy/ISO 639-3 tags browsers still send


def normalize_language(tag: str | None) -> str | None:
    """Reduce a language tag or a whole Accept-Language header to a supported code.

    Browsers send "zh-CN", "pt_BR", "sr-Latn-RS" or "fr-CH, fr;q=0.9, en;q=0.8"; the answer
    language only needs the primary subtag, taken in the visitor's order of preference.
    """
    if not tag:
        return None
    ranked = []
    for position, part in enumerate(tag.split(",")):
        name, _, params = part.partition(";")
        match = re.search(r"q\s*=\s*([0-9.]+)", params)
        try:
            quality = float(match.group(1)) if match else 1.0
        except ValueError:
            quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, name.strip()))
    for _, _, name in sorted(ranked):
        primary = name.replace("_", "-").split("-")[0].lower()
        primary = _ALIASES.get(primary, primary)
        if primary in SUPPORTED:
            return primary
    return None


# --- what is the same in every language (scripts themselves: bot/scripts.py) ------------------

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Two or more Latin capitals (digits allowed) standing alone: BRISMIS, UNESCO, STEM, COVID19.
_ACRONYM = re.compile(r"(?<![A-Za-z])[A-Z][A-Z0-9]+(?![A-Za-z0-9])")


def _clean(text: str) -> str:
    text = _EMAIL.sub(" ", _URL.sub(" ", text))
    stripped = _ACRONYM.sub(" ", text)
    if not any(c.isalpha() for c in stripped) and len(_ACRONYM.findall(text)) > 2:
        return text.lower()  # a whole question typed in capitals, not a bare acronym
    return stripped


# --- letters and words that settle a language by themselves -----------------------------------

_APOSTROPHES = str.maketrans({c: "'" for c in "‘’ʻʼ`´"})
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def _enough(score: float, words: int) -> bool:
    """Two marker words, or one in a question of up to three words ("Nima?", "Qaysi muzey?")."""
    return score >= 2 or (score >= 1 and 3 * score >= words)


def _vote(words: list[str], table: dict[str, set[str]], minimum: int) -> tuple[str, float] | None:
    """The language whose marker words the question uses most, with its share of the hits."""
    hits = Counter({code: sum(word in markers for word in words) for code, markers in table.items()})
    (best, top), (_, second) = hits.most_common(2)
    if top >= minimum and top > second:
        return best, top / sum(hits.values())
    return None


_SR_CYRILLIC = set("ђјљњћџ")
_UZ_CYRILLIC = set("ўҳ")
_KK_CYRILLIC = set("әңөұүһ")  # not і: Ukrainian and Belarusian write it too
_UZ_CYRILLIC_WORDS = {
    "ва", "учун", "қачон", "қаерда", "нима", "қандай", "бўлди", "ҳақида", "йил", "йили",
    "неча", "ким", "қайси", "эмас", "ҳам", "билан", "эди", "мумкин", "керак",
}  # fmt: skip

# Uzbek Latin: lingua has no Uzbek model, so words carry it. Weak markers also occur in
# neighbours (Turkish "kim", English "ham", French "va", Malay "emas", "Qatar").
_UZ_STRONG = {
    "qachon", "qayerda", "qanday", "qaysi", "uchun", "haqida", "necha", "nima", "bilan",
    "bo'ldi", "bo'lib", "o'tdi", "edi", "mumkin", "kerak", "qilib", "nechta", "qancha", "qanchalik",
    "yilgi", "yilda", "yildan", "bormi", "iborat",
}  # fmt: skip
_UZ_WEAK = {"va", "kim", "ham", "yil", "yili", "emas"}
# case and participle endings (imzolagan, nomidan, Pnompendagi), weak: Malay "dengan", English "organ"
_UZ_SUFFIX = re.compile(r"^[^\W\d_]{3,}(?:gan|dan|dagi)$")
_UZ_SUFFIX_NOT = {"dengan", "jangan", "tangan", "pangan", "organ", "slogan", "began", "hooligan", "ramadan",
                  "sepadan", "jordan", "sudan", "badan"}
_UZ_OG = re.compile(r"[og]'[^\W\d_]")  # oʻ gʻ, once apostrophes are unified
_UZ_Q = re.compile(r"q(?!u)")  # q without u (qachon, chiqdi): no Turkish, Malay or Western word has it

_VIETNAMESE_LETTERS = set("ơư")
_VIETNAMESE_MARKED = set("ăâêôơưđ")  # one of these, or a stacked tone mark, in almost every Vietnamese sentence
_SR_LATIN_LETTERS = set("čćđšž")
# letters a language never writes: trigrams of a short French question ("Et qui l'a organisé ?") read
# as Serbian at 0.74, though no Serbian, Croatian, Bosnian, Malay or Indonesian word has an é
_ROMANCE_MARKED = set("éèêàâîôûùçëïœáíóúñãõ")
_NEVER_WRITES = {code: _ROMANCE_MARKED for code in ("sr", "hr", "bs", "ms", "id", "uz", "en")}
_SR_LATIN_WORDS = {
    "kada", "gde", "gdje", "šta", "što", "održan", "održana", "održati", "održava",
    "koji", "koja", "koje", "koliko",
}  # fmt: skip
_SR_LATIN_PAIRS = re.compile(r"\b(?:je li|da li)\b")


def _uzbek_latin(words: list[str]) -> bool:
    score = 0.0
    for word in words:
        if word in _UZ_STRONG or _UZ_OG.search(word):
            score += 1
        elif word in _UZ_WEAK or _UZ_Q.search(word) or (_UZ_SUFFIX.match(word) and word not in _UZ_SUFFIX_NOT):
            score += 0.5
    return _enough(score, len(words))


def _serbian_latin(text: str, words: list[str]) -> bool:
    hits = sum(word in _SR_LATIN_WORDS for word in words) + len(_SR_LATIN_PAIRS.findall(text))
    return hits >= 2 or (hits >= 1 and any(c in _SR_LATIN_LETTERS for c in text))


def _cyrillic_rule(text: str, words: list[str]) -> str | None:
    serbian = sum(c in _SR_CYRILLIC for c in text)
    uzbek = sum(c in _UZ_CYRILLIC for c in text)
    kazakh = sum(c in _KK_CYRILLIC for c in text)
    if serbian or uzbek or kazakh:
        return max((serbian, "sr"), (uzbek, "uz"), (kazakh, "kk"))[1]
    uz_words = sum(word in _UZ_CYRILLIC_WORDS for word in words)
    if _enough(uz_words, len(words)):
        return "uz"
    if any(c in "қғ" for c in text):
        # Shared by Kazakh and Uzbek; Uzbek Cyrillic has no ы, Kazakh writes it everywhere.
        return "uz" if uz_words and "ы" not in text else "kk"
    return None


# --- lingua ------------------------------------------------------------------------------------

# Lingua languages and what each means here. Bosnian/Croatian are how lingua reads Serbian in
# Latin script. Azerbaijani and Albanian are decoys: lingua has no Uzbek, and Uzbek Latin that
# escapes the word rules lands on them (measured) rather than on Turkish or Malay.
_LINGUA_CODES = {
    "ENGLISH": "en", "FRENCH": "fr", "SPANISH": "es", "PORTUGUESE": "pt", "GERMAN": "de",
    "VIETNAMESE": "vi", "TURKISH": "tr", "MALAY": "ms", "INDONESIAN": "id",
    "BOSNIAN": "sr", "CROATIAN": "sr", "SERBIAN": "sr", "RUSSIAN": "ru", "KAZAKH": "kk",
    "AZERBAIJANI": "uz", "ALBANIAN": "uz",
}  # fmt: skip

# Low-accuracy lingua (trigrams only) misreads some short questions with confidence, e.g.
# "Can I attend the symposium online?" as German (0.93) and "Qual foi o tema do simpósio de
# 2017?" as French (0.97), "¿Dónde está el programa del simposio?" as Malay (0.85). Function
# words are plain evidence: two outvote lingua among these five or when it is unsure, three
# anywhere. Words shared by two of them (de, se, la, para, como, was) or common in Serbian,
# Turkish or Malay (i, to, je, o, da, na) are left out.
_FUNCTION_WORDS = {
    "en": {"the", "is", "are", "what", "when", "where", "who", "how", "can", "will", "does",
           "did", "which", "there", "of", "for", "with"},
    "fr": {"le", "les", "est", "et", "quand", "où", "qui", "quel", "quelle", "quels", "quelles",
           "du", "des", "une", "peut", "sont", "avec", "pour", "au", "aux", "il", "on",
           "qu'est", "c'est"},
    "es": {"el", "los", "las", "es", "cuándo", "dónde", "quién", "qué", "cuál", "cuáles", "del",
           "una", "puedo", "hay", "fue", "con", "cómo", "y"},
    "pt": {"os", "é", "quando", "onde", "quem", "qual", "quais", "dos", "das", "uma", "foi",
           "posso", "são", "será", "com", "em"},
    "de": {"der", "die", "das", "ist", "wann", "wo", "wer", "wie", "welche", "welcher", "ich",
           "kann", "und", "gibt", "mit", "für", "von", "den", "dem", "eine", "ein", "sind"},
}  # fmt: skip

# Malay and Indonesian share most words, and lingua leans Malay on sentences valid in both.
# Only these words tell them apart; otherwise what we know of the visitor breaks the tie.
_MALAY_PAIR = {
    "ms": {"boleh", "bolehkah", "tarikh", "muzium", "talian", "seterusnya", "sila", "bilakah",
           "adakah", "mahu", "sahaja", "kerana", "iaitu", "percuma", "urus", "ramai", "mel", "perkataan",
           "hantar", "yuran", "bilangan", "pertubuhan", "antarabangsa", "kerjasama", "semasa", "selepas",
           "dirasmikan", "mesyuarat", "persidangan", "kerajaan", "baharu"},
    "id": {"bisa", "kapan", "daring", "makalah", "museum", "saja", "tanggal", "silakan",
           "karena", "yaitu", "mau", "gimana", "nggak", "enggak", "kirim", "surel", "biaya", "internasional",
           "setelah", "diresmikan", "rapat", "pemerintah", "baru", "jumlah"},
}  # fmt: skip


@lru_cache(maxsize=1)
def _detector():
    """One restricted detector per process: low-accuracy mode loads in ~0.2 s and ~25 MB,
    against ~7 s and ~400 MB for the same languages at high accuracy (measured)."""
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in _LINGUA_CODES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def _lingua(text: str, words: list[str], prefer: tuple[str | None, ...]) -> Detection | None:
    scores: Counter[str] = Counter()
    for value in _detector().compute_language_confidence_values(text):
        scores[_LINGUA_CODES[value.language.name]] += value.value
    if not scores:
        return None
    if "vi" in scores and not any(c in _VIETNAMESE_MARKED or "\u1ea0" <= c <= "\u1ef9" for c in text):
        # Vietnamese is written with ă â ê ô ơ ư đ or stacked tones; trigrams of a Spanish question
        # without them ("¿Dónde será BRISMIS 2025?") read as Vietnamese at 0.97
        del scores["vi"]
        if not scores:
            return None
    for code in [c for c in scores if c in _NEVER_WRITES and any(ch in _NEVER_WRITES[c] for ch in text)]:
        del scores[code]
    if not scores:
        return None
    code, confidence = scores.most_common(1)[0]

    if code in _MALAY_PAIR:
        confidence = scores["ms"] + scores["id"]  # sure of the pair, not always of the member
    trusted = code in _FUNCTION_WORDS or confidence < MIN_CONFIDENCE
    voted = _vote(words, _FUNCTION_WORDS, minimum=2 if trusted else 3)
    if not voted and code not in _FUNCTION_WORDS:
        # trigrams of a short question pick a language we keep no marker words for ("Who organised
        # it?" read as Serbian at 0.68): one marker word of a language lingua also finds likely wins
        one = _vote(words, _FUNCTION_WORDS, minimum=1)
        if one and scores.get(one[0], 0.0) >= 0.05:
            return Detection(one[0], "script", round(one[1], 2))
    if voted and (voted[0] != code or confidence < MIN_CONFIDENCE):
        return Detection(voted[0], "script", round(voted[1], 2))
    if code in _MALAY_PAIR:
        marked = _vote(words, _MALAY_PAIR, minimum=1)
        preferred = next((p for p in prefer if p in _MALAY_PAIR), None)
        code = marked[0] if marked else preferred or code
    if confidence < MIN_CONFIDENCE:
        return None
    return Detection(code, "lingua", round(confidence, 2))


# --- detection ---------------------------------------------------------------------------------


def detect_language(
    text: str,
    *,
    history_language: str | None = None,
    hint: str | None = None,
    default: str = "en",
    question: bool = True,
) -> Detection:
    """Choose the answer language for one question.

    ``history_language`` (the conversation so far) and ``hint`` (the browser's Accept-Language)
    only decide when the question itself cannot ("STEM?", "ok"): a visitor may switch
    language mid-conversation, and the question is the best evidence of what they read.
    ``question=False`` for an answer: the language most of it is written in, not the one it opens
    in (a Chinese lead-in before an English quote is read as English).
    """
    history, hinted = normalize_language(history_language), normalize_language(hint)
    found = _from_text(_clean(text or ""), prefer=(history, hinted), question=question)
    if found:
        return found
    if history:
        return Detection(history, "history", 0.0)
    if hinted:
        return Detection(hinted, "hint", 0.0)
    return Detection(normalize_language(default) or "en", "default", 0.0)


def _leading_script(text: str) -> str | None:
    """The script a mostly Latin question begins in, when it is another that names a language and
    writes two of its words: "Какой deadline для abstracts на BRISMIS 2019?", "ما هو الـ email الخاص
    بـ secretariat؟" quote English terms or the event's name, but ask in Russian or Arabic."""
    words = _WORD.findall(text)
    first = script_of(words[0][0]) if words else None
    if first in (None, "latin") or not (first in SCRIPT_LANGUAGE or first == "cyrillic"):
        return None
    return first if sum(script_of(w[0]) == first for w in words) >= 2 else None


def _from_text(text: str, prefer: tuple[str | None, ...], question: bool = True) -> Detection | None:
    weights: Counter[str] = Counter()
    for char in text:
        script = script_of(char)
        if script:
            weights[script] += WEIGHT.get(script, 1)
    if "kana" in weights:  # Japanese writes Han too; unsupported, so not Chinese
        weights["kana"] += weights.pop("han", 0)
    if not weights:
        return None
    script, weight = weights.most_common(1)[0]
    if script == "latin" and question:
        script = _leading_script(text) or script
        weight = weights[script]
    share = round(weight / sum(weights.values()), 2)

    if script in SCRIPT_LANGUAGE:
        code = SCRIPT_LANGUAGE[script]
        if code == "ar" and any(c in PERSIAN_LETTERS for c in text):
            code = "fa"
        return Detection(code, "script", share)
    if script not in ("latin", "cyrillic"):
        return None  # Hangul, kana, Hebrew, Devanagari...: not supported

    # Only the majority script goes on: in a mixed question it is the visitor's language.
    own = "".join(c if script_of(c) in (script, None) else " " for c in text).lower()
    words = _WORD.findall(own.translate(_APOSTROPHES))
    if script == "cyrillic":
        code = _cyrillic_rule(own, words)
    elif any(c in _VIETNAMESE_LETTERS or "\u1ea0" <= c <= "\u1ef9" for c in own):
        code = "vi"  # ơ ư and the stacked tone marks (ạ ấ ệ ộ...) are Vietnamese only
    elif "¿" in own or "¡" in own:
        code = "es"  # the inverted marks: Spanish only, among the languages served
    elif _uzbek_latin(words):
        code = "uz"
    elif _serbian_latin(own, words):
        code = "sr"
    else:
        code = None
    if code:
        return Detection(code, "script", share)
    if len(words) < 2:
        return None  # one word fools trigrams ("Shanghai" reads as Malay at 0.82): ask history
    found = _lingua(own, words, prefer)
    if found and script == "cyrillic" and found.code in ("kk", "uz") and not any(c in "әғқңөұүһіўҳ" for c in own):
        # trigrams read short Russian as Kazakh ("Продаёт ли симпозиум билеты?" at 0.95); Kazakh and
        # Uzbek Cyrillic without one of their own letters are rare, Russian is not
        return Detection("ru", found.source, found.confidence)
    if found and found.code == "tr" and _UZ_Q.search(own):
        # Turkish writes no q: "Kotibiyatning elektron pochta manzili qanday?" read as Turkish (0.99)
        return Detection("uz", found.source, found.confidence)
    return found


# --- Serbian in the visitor's alphabet ----------------------------------------------------------

_SR_LATIN = dict(zip("абвгдђежзијклљмнњопрстћуфхцчџш",
                     ["a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m", "n", "nj", "o",
                      "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č", "dž", "š"]))
_SR_LATIN.update({c.upper(): v[0].upper() + v[1:] for c, v in list(_SR_LATIN.items())})
_QUOTE_MARKS = {"“": "”", "«": "»"}  # our quotes keep the passage's own letters


def writes_serbian_latin(question: str, lang: str) -> bool:
    """A Serbian visitor writing in Latin letters ("Koliko kineskih učesnika…?"): our Serbian
    phrases are Cyrillic, and both alphabets are Serbian, so they are written back in Latin."""
    if lang != "sr":
        return False
    letters = letters_by_script(_ACRONYM.sub(" ", question))  # BRISMIS, UNESCO: any alphabet
    return letters["latin"] > letters["cyrillic"]


class SerbianLatin:
    """Writes streamed text in Serbian Latin letters, keeping quotes (“…”, «…») as they are, across
    the pieces of a stream (a quote may open in one piece and close in another)."""

    def __init__(self):
        self._closing = ""

    def reset(self) -> None:
        self._closing = ""

    def __call__(self, text: str) -> str:
        out = []
        for ch in text:
            if self._closing:
                self._closing = "" if ch == self._closing else self._closing
                out.append(ch)
            else:
                self._closing = _QUOTE_MARKS.get(ch, "")
                out.append(_SR_LATIN.get(ch, ch))
        return "".join(out)


# --- fixed phrases -----------------------------------------------------------------------------


class _KeepMissing(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def phrase(key: str, lang: str, **fmt: str) -> str:
    """A fixed sentence in ``lang``, falling back to English rather than failing a reply."""
    table = PHRASES.get(normalize_language(lang) or "en", {})
    template = table.get(key) or PHRASES["en"][key]
    return template.format_map(_KeepMissing(fmt)) if fmt else template
