"""Is a question about the announcements at all? Decline when it is closer to everyday off-topic
text than to the best passage.

e5's cosine levels differ by language (an English off-topic question can score above a Greek or
Arabic answerable one), so a raw similarity threshold declines good questions in some languages
and lets bad ones through in others. Comparing the best passage with the question's best match
among fixed off-topic "anchor" passages cancels that per-language level. The anchors are written
in the announcements' language (English), so a Chinese question meets them across languages
exactly as it meets the passages; anchors in the question's own language would win by language
alone (a Chinese question about the signing venue scored closer to a Chinese hotel notice). Measured in
bench/decline_threshold.py (bench/RESULTS.md): AUC 0.924 vs 0.862 for the raw score.
"""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

from .editions import YEAR

ANCHORS: list[tuple[str, str]] = [  # (text, topic): in the announcements' language, see above
    ("Tomorrow will be cloudy with light rain in the afternoon and a high of 18 degrees.", "weather"),
    ("Sunny today turning cloudy, temperatures from 12 to 20 degrees, light south-east wind.", "weather"),
    ("Weather forecast: snow and strong wind expected at the weekend, down to minus five degrees.", "weather"),
    ("Heavy rain and storms are forecast on the coast over the weekend.", "weather"),
    ("Add the garlic to the hot pan, stir for one minute, then pour in the tomato sauce and simmer.", "cooking"),
    ("Preheat the oven to 180 degrees and bake the chocolate cake for 35 minutes.", "cooking"),
    ("Add fish sauce and palm sugar, stir well and sprinkle with basil leaves.", "cooking"),
    ("Add the rice to the broth and let it cook on a low heat for twenty minutes.", "cooking"),
    ("The home team won the match 3-1 after two late goals in the second half.", "sport"),
    ("The striker scored twice and his team reached the championship final.", "sport"),
    ("The basketball team won the final by ten points.", "sport"),
    ("The football match ended two to one and the home side went through to the final.", "sport"),
    ("Stock markets fell sharply today as the central bank raised interest rates.", "finance"),
    ("The dollar rose while oil prices fell by three percent.", "finance"),
    ("The price of gold rose this week while the ringgit weakened against the US dollar.", "finance"),
    ("The euro exchange rate fell against the dollar this week.", "finance"),
    ("The cheapest flights to Bangkok depart on Tuesdays; book at least two months ahead.", "travel"),
    ("Ha Long Bay is a famous destination; autumn is the best season to avoid storms.", "travel"),
    ("The train from Tashkent to Samarkand takes two hours.", "travel"),
    ("Drink plenty of water, rest, and see a doctor if the fever lasts more than three days.", "health"),
    ("Doctors recommend thirty minutes of exercise a day to keep the heart healthy.", "health"),
    ("For a cold, the doctor recommends rest and plenty of fluids.", "health"),
    ("The pop singer announced her engagement and a new world tour next year.", "celebrity"),
    ("The famous actor announced his new film on social media yesterday.", "celebrity"),
    ("The actor won the Oscar for best actor for his role in the drama.", "celebrity"),
    ("To reset your password, click 'Forgot password' on the login page and follow the emailed link.", "tech"),
    ("If the phone does not turn on, charge it and hold the power button for ten seconds.", "tech"),
    ("Restart the router if the Wi-Fi connection is unstable.", "tech"),
    ("If the computer freezes, hold the power button to restart it.", "tech"),
    ("Visa applicants must submit a passport valid for six months, a photo and an invitation letter.", "logistics"),
    ("The hotel offers free breakfast and Wi-Fi; check-in is after two in the afternoon.", "logistics"),
    ("Tickets cost 20 dollars for adults and 10 dollars for children; parking is free.", "logistics"),
    ("A double hotel room can be booked for one hundred dollars a night.", "logistics"),
    ("Tickets can be bought online or at the box office.", "logistics"),
    ("To get a visa, fill in the application form and pay the consular fee.", "logistics"),
    ("The registration fee is 200 ringgit and includes lunch.", "logistics"),
    ("The car park is in the basement and costs 20,000 dong an hour.", "logistics"),
    ("The hotel is near the city centre and offers free parking.", "logistics"),
    ("The shop is open from 9 am to 6 pm, Monday to Saturday.", "other"),
    ("Prepare eggs, bread and tea for breakfast.", "other"),
    ("Growing your own vegetables at home is easy.", "other"),
    ("My dog loves to play in the park every morning.", "other"),
    ("Tokyo is the capital of Japan and its largest city.", "general"),
    ("The capital of Australia is Canberra, not Sydney.", "general"),
    ("Everest is the highest mountain in the world, 8,849 metres high.", "general"),
    ("Water boils at one hundred degrees Celsius at sea level.", "general"),
    ("The Second World War ended in 1945.", "general"),
    ("The square root of 144 is 12.", "general"),
]


MIN_FOCUS_LETTERS = 12  # a Chinese character counts two
_ACRONYM = re.compile(r"(?<![A-Za-z0-9])[A-Z][A-Z0-9]{2,}(?![A-Za-z0-9])")  # "BRISMIS研讨会" too


def shared_names(passages) -> frozenset[str]:
    """The acronyms at least half of the announcements (and two or more) name: BRISMIS, CANSM.
    They tie any question to every announcement alike, so they say nothing of what is asked.
    ``passages``: every chunk of the index (with ``doc_id`` and ``text``)."""
    named: dict[str, set[str]] = {}
    for p in passages:
        named.setdefault(p.doc_id, set()).update(_ACRONYM.findall(p.text))
    counts = Counter(name for names in named.values() for name in names)
    return frozenset(name for name, n in counts.items() if n >= max(2, len(named) / 2))


class RelevanceGate:
    def __init__(self, embeddings, margin: float, focus_margin: float | None = None,
                 names: frozenset[str] = frozenset()):
        self.margin = margin
        self.focus_margin = focus_margin
        self._anchors = np.asarray(embeddings.encode_passages([text for text, _ in ANCHORS]))
        words = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        # ASCII edges: "BRISMIS研讨会" names it too; "BRISMIS-а", "BRISMIS'ning" take their endings along
        self._names = (re.compile(rf"(?<![A-Za-z0-9])(?:{words})(?:[-'’ʼ][^\W\d_]{{1,6}})?(?![A-Za-z0-9])",
                                  re.IGNORECASE) if words else None)

    def focus(self, question: str) -> str | None:
        """The question without the names every announcement shares and its years, or None when
        it names none. "Dans quel hôtel logent les participants du BRISMIS 2023 ?" matches the 2023
        reports by "BRISMIS 2023" alone; without it, it is a hotel question (eval/RESULTS.md, session eleven)."""
        if self.focus_margin is None:
            return None
        rest = YEAR.sub(" ", self._names.sub(" ", question) if self._names else question)
        rest = " ".join(rest.split())
        if rest == " ".join(question.split()):
            return None
        # "What is BRISMIS?", "什么是BRISMIS？": asked about the name itself, too little is left to judge
        weight = sum(2 if "\u2e80" <= ch <= "\ua4cf" else 1 for ch in rest if ch.isalpha())
        return rest if weight >= MIN_FOCUS_LETTERS else None

    def score(self, query_vector, best_passage: float) -> float:
        """Best passage similarity minus the best anchor similarity (negative: off-topic)."""
        return float(best_passage - float(np.max(self._anchors @ np.asarray(query_vector))))

    def relevant(self, query_vector, best_passage: float, focused: bool = False) -> bool:
        """``focused``: the score is the question's ``focus``, held to ``focus_margin``."""
        return self.score(query_vector, best_passage) >= (self.focus_margin if focused else self.margin)
