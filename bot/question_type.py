"""What kind of fact a question asks for: a date (or the days an event lasted), a time of day
(office hours), a number (not a frequency), an e-mail address, a telephone number, a price, a
place, a person or body, a theme or a document.

Embedding similarity picks sentences that look like the question, not the ones that answer it:
"When was the agreement signed?" is closest to the sentence about the agreement's aims, while the
answer is the sentence with "June 24". Knowing that a date is wanted lets the evidence ranking
prefer sentences that hold one, and lets the guard reject an answer that has none ("The e-mail
address of the secretariat is [1]."). The question words are data (bot/data/question_types.json).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from .guard import extract_claims, stated_dates

DATA = Path(__file__).resolve().parent / "data" / "question_types.json"
KINDS = ("when", "days", "hours", "how_many", "how_often", "email", "phone", "postal", "price", "theme", "document",
         "where", "who")
# a theme or a document is quoted or named: “…”, "…", 《…》, or a run of capitalised words such as
# "the Chengdu Initiative on Green Science Communication"
_NAMED = re.compile(r"[“\"«《「『][^”\"»》」』]{6,}[”\"»》」』]|(?:\b[A-Z][\w'’-]+\s+){2,}(?:(?:on|of|for|and|the)\s+)?[A-Z]")
# the programme every announcement names: its "Initiative" (倡议) is no document adopted, and it made the
# hosts' sentence "…under the Belt and Road Initiative, hosted by the Chinese Association…" a document's
_PROGRAMME = re.compile(r"Belt and Road Initiative|[“\"]?一带一路[”\"]?\s*倡议|инициатив\w* «?Пояс\w* и пут\w*»?", re.IGNORECASE)
# a price: an amount with its currency, or "free" (a free entry answers "how much is a ticket?")
_PRICE = re.compile(
    r"[$€£¥₽₹฿]\s?\d|\d\s?(?:[$€£¥₽₹฿元円]|yuan|rmb|cny|usd|eur|dollars?|euros?|rubles?|roubles?|руб|юан|baht|บาท"
    r"|ringgit|rm\b|dinars?|dirhams?|riyals?|so['‘’]m|soum|динар|dinar|ευρώ)|\b(?:rmb|cny|usd|eur|rm)\s?\d"
    r"|\bfree\b|free of charge|gratuit|gratis|gratuito|kostenlos|免费|бесплатн|مجان|ฟรี|percuma|δωρεάν|besplatn|bepul"
    r"|ücretsiz|miễn phí|no charge|without charge", re.IGNORECASE)
# a frequency, in the announcements' languages: what answers "how often" ("the biennial symposium")
_FREQUENCY = re.compile(
    r"\b(?:biennial\w*|bi-annual|annual\w*|yearly|every (?:year|two years|\w+ years|\d+ years)|each year|once a|twice a|"
    r"ежегодн\w*|раз в \w+|каждые \w+|tous les (?:ans|deux ans)|annuel\w*|biennal\w*|cada (?:año|dos años)|anual\w*|"
    r"bienal\w*|setiap tahun|tahunan|ετήσι\w*|κάθε (?:χρόνο|δύο χρόνια)|годишњ\w*|сваке године|har yili|yillik)\b"
    r"|每年|一年一度|两年一届|每两年|每\S{1,2}年|ทุกปี|ทุก ?\d+ ?ปี|كل عام|كل سنتين|سنوي", re.IGNORECASE)
# a time of day: "9:00", "13:30–17:00", "9 a.m.", "9h30", "上午9点", "9 ч", "09.00 น."
_TIME_OF_DAY = re.compile(
    r"(?<![\d.:])(?:[01]?\d|2[0-4])[:.][0-5]\d(?![\d.:]*\d{3})|\b\d{1,2}\s?(?:am|pm|a\.m\.|p\.m\.)"
    r"|\b\d{1,2}h(?:[0-5]\d)?\b|[上下]午\s?\d{1,2}|\d{1,2}\s?(?:点|時|时(?!间))|\d{1,2}\s?(?:ч\b|час)|โมง|\d\s?น\.", re.IGNORECASE)
# a postal address: a labelled one ("Add: No. 5 Beichen East Road…", "地址：…"), a number and a street
# ("5 Beichen East Road"), or a Chinese street number ("北辰东路5号")
_POSTAL = re.compile(
    r"(?:\b(?:add|addr|address|adresse|direcci[oó]n|endere[cç]o|anschrift|alamat|adres)\b|地址|住址|адрес|العنوان|ที่อยู่"
    r"|διεύθυνση|manzil)\s*[:：]|\b\d+[A-Za-z]?,?\s+(?:[A-Z][\w'’.-]*\s+){1,4}(?:Road|Street|Avenue|Lane|Boulevard|Rd|St|Ave"
    r"|Blvd)\b|\b(?:Jalan|Rue|Calle|Avenida|Ulica|Улица)\s+[A-Z]|[路街道巷]\s*\d+\s*号")
PHONE = re.compile(r"(?:\+|\(0|\b0)\d[\d\s().-]{6,}\d|\b\d{3,4}[\s.-]\d{3,4}[\s.-]\d{3,4}\b")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern]:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {kind: re.compile("|".join(f"(?:{p})" for p in data[kind].values()), re.IGNORECASE)
            for kind in (*KINDS, "document_words", "adoption_words", "agent_words", "office_words", "postal_words", "send_words", "year_words")}


@lru_cache(maxsize=4096)
def asked_for(question: str) -> frozenset[str]:
    """The kinds of fact the question asks for (often none: "What was the theme?")."""
    kinds = {kind for kind in KINDS if _patterns()[kind].search(question)}
    if "days" in kinds:
        kinds.add("when")  # the days are dates: a date is what the answer must hold
    if "where" in kinds and _patterns()["office_words"].search(question):
        kinds.add("postal")  # "where is the secretariat?": its address, not the e-mail line
    if kinds & {"phone", "price", "how_often", "hours", "postal"}:
        kinds.discard("how_many")  # "the phone number of", "how much does it cost", "how often", "邮编是多少" are not counts
    if "hours" in kinds:
        kinds -= {"when", "days"}  # "when is the office open?": a time of day, not a date
    if "postal" in kinds:
        if _patterns()["postal_words"].search(question):
            kinds.discard("email")  # "почтовый адрес", "العنوان البريدي": the post's, though the words share a root
        elif "email" in kinds or _patterns()["send_words"].search(question):
            # "адрес электронной почты": the e-mail's; "to which address are abstracts sent?": whatever
            # address the call gives, most often an e-mail
            kinds.discard("postal")
        kinds.discard("where")  # "where is the secretariat's address?": the address is the answer
    return frozenset(kinds)


def asks_year(question: str) -> bool:
    """"In which year…?": a year is the whole answer, not a vague one."""
    return bool(_patterns()["year_words"].search(question))


def holds(kind: str, text: str, lang: str = "en") -> bool:
    """Whether ``text`` states a fact of that kind."""
    if kind == "phone":
        return bool(PHONE.search(text))
    if kind == "price":
        return bool(_PRICE.search(text))
    if kind == "theme":  # a title, said to be the theme: every sentence of these announcements names a body
        return bool(_NAMED.search(text)) and bool(_patterns()["theme"].search(text))
    if kind == "document":  # a name, and a word saying it is a document's (the programme is none)
        text = _PROGRAMME.sub(" ", text)
        return bool(_NAMED.search(text)) and bool(_patterns()["document_words"].search(text))
    if kind == "how_often":
        return bool(_FREQUENCY.search(text))
    if kind == "hours":
        return bool(_TIME_OF_DAY.search(text))
    if kind == "postal":
        return bool(_POSTAL.search(text))
    if kind == "days":  # "what dates", "from when to when": a range of days, not the opening day
        return any(len(d) == 2 for d in stated_dates(text, lang))
    claims = extract_claims(text, lang)
    if kind == "when":
        return any(c.kind in ("date", "year") for c in claims)
    if kind == "how_many":
        return any(c.kind == "number" for c in claims)
    if kind == "email":
        return any(c.kind == "email" for c in claims)
    return True


def says_adopted(text: str) -> bool:
    """Whether ``text`` says a document was adopted or issued: the sentence "what did the symposium
    adopt?" asks for, not one naming a document in passing."""
    return bool(_patterns()["adoption_words"].search(text))


def names_agent(text: str) -> bool:
    """Whether ``text`` names who did something: a person by title and name, or "by" a body."""
    return bool(_patterns()["agent_words"].search(text))


def missing(kinds: frozenset[str], text: str, lang: str) -> list[str]:
    """The asked-for kinds of a checkable form (dates, numbers, e-mail and telephone numbers) that
    ``text`` (an answer) does not hold. A translated theme or document name has no fixed form."""
    return [kind for kind in sorted(kinds)
            if kind in ("when", "hours", "how_many", "email", "phone", "price") and not holds(kind, text, lang)]
