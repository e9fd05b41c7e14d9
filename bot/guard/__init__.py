"""The guard between the generator and the visitor: citations and the claims they must support.

A small LLM writes the answer in the visitor's language from ENGLISH passages, and it invents
details: a day of the month, a city, a head count, an e-mail address. Nothing it says may reach a
visitor unless the passages it CITES say it too (the union of the cited passages, not the corpus).
Understanding the answer is out of reach without a model, so the guard checks what can be checked
mechanically, where inventions show, one module per kind of claim:

* markers.py    citation markers [n], 【n】, ranges; renumbering by first use (``parse_citations``)
* numbers.py    numbers in any digit script, Chinese numerals, English number words
* dates.py      month names in the 20 languages, with the day and year attached (both days of a
                range: "27–30 November", "29 November to 1 December 2023"); numeric dates; Thai
                Buddhist-era years
* contacts.py   e-mail addresses and URLs, verbatim
* names.py      capitalised Latin/Cyrillic/Greek names (stopwords, titles, translated vocabulary,
                German and Vietnamese rules); transliteration.py reads Cyrillic and Greek names in
                Latin; gazetteer.py finds cities in scripts without capitals ("贝鲁特" -> Beirut)
* extract.py    the passes that read the claims (``extract_claims``); support.py what the cited
                passages confirm, and the verdict (``verify``)
* qualifiers.py whose count a number is: foreign or Chinese participants, as the passage says
* dont_know.py  "I don't know" answers (``is_dont_know``); answer_language.py, the answer is in
                the visitor's language

What it cannot see: a wrong relation between correct words ("44 museums" when 44 counts
curators; only foreign vs Chinese is told, by qualifiers.py), a personal name in Chinese, Arabic, Thai... script, a place outside the gazetteer in
those scripts, a number spelled as a word outside English and Chinese, a single capitalised German
word (German capitalises every noun). What it may wrongly reject: an English sentence opening with
an uncommon word the passages do not use, a translated institution name whose words are not in
the lexicon (data/names.json), a translated acronym (German "PKKCV" for CPPCC), a number derived
from the passages (44 + 140), a year in another calendar than the Thai one.

To add a language, write data/languages/<code>.json (see tables.py for the keys: its scripts,
month table and the tables it reads, stopwords, "don't know" phrases), and add its words to the
shared lists where they apply: titles and the translated vocabulary (data/names.json), the words
that link a day or a year to a month (data/dates.json), its spellings of the gazetteer's cities.
The language-specific rules in code are only for English (the passages' language), Chinese
numerals, German nouns, Vietnamese syllables and Thai years.
"""

from __future__ import annotations

from .claim import Claim, Verdict
from .dont_know import is_dont_know
from .extract import extract_claims, stated_dates
from .markers import parse_citations
from .support import verify

__all__ = ["Claim", "Verdict", "parse_citations", "extract_claims", "stated_dates", "verify",
           "is_dont_know"]
