"""Synthetic announcements with close competitors, to measure retrieval beyond one document.

The real corpus is one announcement, so every retrieval number in bench/RESULTS.md says how well
the right passage of ONE document is found. This script writes N announcements in the corpus
format (corpus/README.md) that overlap on purpose: symposium editions and regional forums in
different years and cities, training workshops on the same topics for different countries,
agreements between the same Chinese museums and different partners, on different dates, at
different venues, plus the same CANSM boilerplate and footer in every file. A matching question
file asks for one fact of one announcement, naming what tells it apart (the partner, the year,
the country), in English, Chinese, French, Spanish and Russian.

    .venv/bin/python bench/synthetic_corpus.py --n 100 --out /tmp/synthetic
        writes /tmp/synthetic/*.md and /tmp/synthetic/_questions.jsonl (files starting with "_"
        are not announcements), nothing else
    .venv/bin/python bench/synthetic_corpus.py --n 50 --out /tmp/synthetic --measure [--with-seed] \
        [--results eval/RESULTS.md]
        also builds a throw-away index over the folder and reports hit@1/3/5 and MRR (a hit: a
        passage OF THE RIGHT ANNOUNCEMENT holding the evidence string), per language and per
        question type; --with-seed adds the real announcement(s) from corpus/ and also measures
        the golden set's answerable questions against the crowded index.

Each question: {"id", "question", "language", "doc_id", "type", "evidence"}; the evidence string
occurs in its announcement and in no other one (checked at generation).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LANGS = ("en", "zh", "fr", "es", "ru")
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]

CN_MUSEUMS = [
    "China Science and Technology Museum", "Shanghai Science and Technology Museum", "Geological Museum of China",
    "Beijing Museum of Natural History", "Beijing Planetarium", "Tianjin Natural History Museum",
    "Zhejiang Museum of Natural History", "Chongqing Science and Technology Museum", "Guangdong Science Center",
    "Sichuan Science and Technology Museum",
]
# country: (capital, zh, fr, es, ru)
COUNTRIES = {
    "Kenya": ("Nairobi", "肯尼亚", "Kenya", "Kenia", "Кения"),
    "Egypt": ("Cairo", "埃及", "Égypte", "Egipto", "Египет"),
    "Thailand": ("Bangkok", "泰国", "Thaïlande", "Tailandia", "Таиланд"),
    "Malaysia": ("Kuala Lumpur", "马来西亚", "Malaisie", "Malasia", "Малайзия"),
    "Uzbekistan": ("Tashkent", "乌兹别克斯坦", "Ouzbékistan", "Uzbekistán", "Узбекистан"),
    "Serbia": ("Belgrade", "塞尔维亚", "Serbie", "Serbia", "Сербия"),
    "Greece": ("Athens", "希腊", "Grèce", "Grecia", "Греция"),
    "Cambodia": ("Phnom Penh", "柬埔寨", "Cambodge", "Camboya", "Камбоджа"),
    "Myanmar": ("Yangon", "缅甸", "Myanmar", "Myanmar", "Мьянма"),
    "Kazakhstan": ("Astana", "哈萨克斯坦", "Kazakhstan", "Kazajistán", "Казахстан"),
    "Vietnam": ("Hanoi", "越南", "Viêt Nam", "Vietnam", "Вьетнам"),
    "Pakistan": ("Islamabad", "巴基斯坦", "Pakistan", "Pakistán", "Пакистан"),
    "Mongolia": ("Ulaanbaatar", "蒙古", "Mongolie", "Mongolia", "Монголия"),
    "Poland": ("Warsaw", "波兰", "Pologne", "Polonia", "Польша"),
    "Canada": ("Ottawa", "加拿大", "Canada", "Canadá", "Канада"),
}
TOPICS = {  # en: (zh, fr, es, ru)
    "science communication": ("科学传播", "communication scientifique", "comunicación científica", "научной коммуникации"),
    "planetarium programming": ("天文馆节目制作", "programmation de planétarium", "programación de planetarios",
                                "программам планетариев"),
    "fossil conservation": ("化石保护", "conservation des fossiles", "conservación de fósiles", "сохранению окаменелостей"),
    "STEM education": ("STEM教育", "éducation STEM", "educación STEM", "STEM-образованию"),
    "exhibition design": ("展览设计", "conception d'expositions", "diseño de exposiciones", "дизайну выставок"),
    "museum digitization": ("博物馆数字化", "numérisation des musées", "digitalización de museos", "оцифровке музеев"),
    "biodiversity education": ("生物多样性教育", "éducation à la biodiversité", "educación sobre biodiversidad",
                               "образованию в области биоразнообразия"),
}
AGREEMENT_TYPES = ["memorandum of understanding", "letter of intent", "cooperation agreement", "letter of agreement"]
SCOPES = ["joint exhibitions", "staff exchanges", "sharing of science popularization resources",
          "travelling exhibitions", "joint research on fossils", "planetarium shows", "teacher training",
          "digital collections"]
VENUE_KINDS = ["Science and Technology Museum", "Convention Center", "Natural History Museum", "Science Hall",
               "International Exhibition Center"]
CN_CITIES = ["Beijing", "Shanghai", "Tianjin", "Hangzhou", "Chongqing", "Guangzhou", "Chengdu", "Xi'an"]
FIRST = ["Li", "Wang", "Zhang", "Liu", "Chen", "Amina", "Joseph", "Nadia", "Dmitri", "Elena", "Somchai", "Aziz",
         "Marko", "Eleni", "Nguyen", "Sara", "Tomasz", "Bat-Erdene", "Farida", "Kofi"]
LAST = ["Wei", "Jun", "Hong", "Ming", "Odhiambo", "Hassan", "Petrov", "Suwannarat", "Karimov", "Jovanović",
        "Papadopoulou", "Rahman", "Kowalski", "Tran", "Nurlanov", "Mensah", "Ivanova", "Yusupov", "Haddad", "Lim"]
ROLES = ["Director", "Deputy Director", "President", "Vice President", "Chief Curator", "Secretary-General"]
THEME_A = ["Open Science", "Shared Futures", "Museums Without Borders", "Science for All", "Green Development",
           "Digital Museums", "Heritage and Innovation", "Learning Together", "Nature and Society"]
THEME_B = ["Building a Community of Science Museums", "Towards Sustainable Development",
           "Connecting Collections Along the Silk Road", "Strengthening Science Communication",
           "Inspiring the Next Generation", "Sharing Resources for Education"]

BOILERPLATE = [
    "CANSM has long been committed to promoting the development of science related museums. As a CAST-affiliated "
    "non-government organization of science and technology, CANSM serves the scientific and technical workers of "
    "the field and the improvement of all people's scientific literacy.",
    "Under the support of all sectors of the society, Chinese science related museums have developed rapidly over "
    "the recent years, providing a solid foundation for international cooperation projects under the Belt and Road "
    "Initiative.",
    "BRISMIS serves as an international cooperation platform among science centres and science museums in Belt and "
    "Road Initiative countries, supporting the joint development and reciprocal sharing of science popularization "
    "resources.",
]
FOOTER = (
    "BRISMIS - Belt and Road Initiative Science Museum International Symposium\n\n"
    "Add: No. 5 Beichen East Road, Chaoyang District, Beijing, 100012, P.R. CHINA\n\n"
    "E-mail: secretariat@brismis.org; brismis@163.com\n\n"
    "Copyright 2017 Chinese Association of Natural Science Museums (CANSM)"
)


def ordinal(k: int) -> str:
    return f"{k}{'th' if 10 <= k % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(k % 10, 'th')}"


class Generator:
    def __init__(self, seed: int):
        self.r = random.Random(seed)
        self.used: set = set()

    def person(self) -> str:
        return f"{self.r.choice(['Dr.', 'Mr.', 'Ms.', 'Prof.'])} {self.r.choice(FIRST)} {self.r.choice(LAST)}"

    def date(self, year: int | None = None) -> tuple[int, str, int, int]:
        year = year or self.r.randint(2017, 2025)
        month = self.r.randint(1, 12)
        return year, MONTHS[month - 1], self.r.randint(1, 25), month

    def venue(self, city: str) -> str:
        return f"{city} {self.r.choice(VENUE_KINDS)}"

    def unique(self, key) -> bool:
        if key in self.used:
            return False
        self.used.add(key)
        return True

    # --- announcement kinds: each returns (slug, title, date ISO, tags, paragraphs, questions)

    def agreement(self):
        while True:
            a, country = self.r.choice(CN_MUSEUMS), self.r.choice(list(COUNTRIES))
            capital = COUNTRIES[country][0]
            b = self.r.choice([f"National Museum of Natural History of {country}",
                               f"{capital} Science and Technology Centre"])
            if self.unique(("agreement", a, b)):
                break
        kind, scopes = self.r.choice(AGREEMENT_TYPES), self.r.sample(SCOPES, 2)
        year, month, day, m = self.date()
        city = self.r.choice([capital, self.r.choice(CN_CITIES)])
        venue = self.venue(city)
        pa, pb = self.person(), self.person()
        ra, rb = self.r.choice(ROLES), self.r.choice(ROLES)
        title = f"{a} signs {kind} with {b}"
        p1 = (f"On {month} {day}, {year}, the {a} and the {b} signed a {kind} at {venue}. "
              f"The {kind} was signed by {pa}, {ra} of the {a}, and {pb}, {rb} of the {b}. "
              f"Representatives of CANSM, the embassy of {country} and several museums attended the ceremony.")
        p2 = (f"The {kind} covers {scopes[0]} and {scopes[1]} between the two institutions for the next "
              f"{self.r.randint(2, 6)} years. It is one of the bilateral cooperation agreements signed under the "
              f"Sharing and Reciprocation Plan of Science Popularization Resources since the first BRISMIS in 2017.")
        qs = [
            ("date", f"On {month} {day}, {year}, the {a} and the {b}", {
                "en": f"When did the {a} sign the {kind} with the {b}?",
                "zh": f"{a}与{b}是什么时候签署协议的？",
                "fr": f"Quand le {a} et le {b} ont-ils signé leur accord ?",
                "es": f"¿Cuándo firmaron el {a} y el {b} su acuerdo?",
                "ru": f"Когда {a} и {b} подписали соглашение?",
            }),
            ("venue", f"the {b} signed a {kind} at {venue}", {
                "en": f"Where did the {a} and the {b} sign their {kind}?",
                "zh": f"{a}和{b}的协议是在哪里签署的？",
                "fr": f"Où le {a} et le {b} ont-ils signé leur accord ?",
                "es": f"¿Dónde firmaron el {a} y el {b} su acuerdo?",
                "ru": f"Где {a} и {b} подписали соглашение?",
            }),
            ("signatory", f"{pb}, {rb} of the {b}", {
                "en": f"Who signed for the {b} when it concluded the {kind} with the {a}?",
                "zh": f"{b}与{a}签约时，{b}方面由谁签字？",
                "fr": f"Qui a signé pour le {b} l'accord avec le {a} ?",
                "es": f"¿Quién firmó por el {b} el acuerdo con el {a}?",
                "ru": f"Кто подписал соглашение с {a} от имени {b}?",
            }),
        ]
        return title, f"{year}-{m:02d}-{day:02d}", ["agreement", country.lower()], [p1, p2], qs

    def workshop(self):
        while True:
            topic, country = self.r.choice(list(TOPICS)), self.r.choice(list(COUNTRIES))
            if self.unique(("workshop", topic, country)):
                break
        year, month, day, m = self.date()
        city = self.r.choice(CN_CITIES + [COUNTRIES[country][0]])
        venue, n, lead, role = self.venue(city), self.r.randint(12, 80), self.person(), self.r.choice(ROLES)
        museum = self.r.choice(CN_MUSEUMS)
        title = f"Training workshop on {topic} for museum staff from {country}"
        p1 = (f"A training workshop on {topic} for science museum staff from {country} was held at {venue} from "
              f"{month} {day} to {month} {day + self.r.randint(1, 3)}, {year}. It was organized by CANSM and the "
              f"{museum} as a capacity building program under the Letter of Agreement between CANSM and UNESCO.")
        p2 = (f"The workshop on {topic} for {country} gathered {n} participants. Sessions were led by {lead}, "
              f"{role} of the {museum}, and covered case studies, visits to local museums and group projects.")
        zh, fr, es, ru = TOPICS[topic]
        cz, cf, ce, cr = COUNTRIES[country][1:]
        qs = [
            ("date", f"for science museum staff from {country} was held at {venue} from {month} {day}", {
                "en": f"When was the {topic} workshop for museum staff from {country} held?",
                "zh": f"面向{cz}博物馆工作人员的{zh}培训班是什么时候举办的？",
                "fr": f"Quand a eu lieu l'atelier de {fr} pour le personnel des musées ({cf}) ?",
                "es": f"¿Cuándo se celebró el taller de {es} para el personal de museos de {ce}?",
                "ru": f"Когда прошёл семинар по {ru} для сотрудников музеев из страны {cr}?",
            }),
            ("count", f"The workshop on {topic} for {country} gathered {n} participants", {
                "en": f"How many participants attended the {topic} workshop for {country}?",
                "zh": f"面向{cz}的{zh}培训班有多少人参加？",
                "fr": f"Combien de participants l'atelier de {fr} pour {cf} a-t-il réunis ?",
                "es": f"¿Cuántos participantes asistieron al taller de {es} para {ce}?",
                "ru": f"Сколько участников было на семинаре по {ru} для страны {cr}?",
            }),
        ]
        return title, f"{year}-{m:02d}-{day:02d}", ["workshop", country.lower()], [p1, p2], qs

    def forum(self):
        while True:
            country, year = self.r.choice(list(COUNTRIES)), self.r.randint(2018, 2025)
            if self.unique(("forum", country, year)):
                break
        _, month, day, m = self.date(year)
        city = COUNTRIES[country][0]
        venue, n = self.venue(city), self.r.randint(5, 30)
        title = f"BRISMIS Regional Forum {year} held in {country}"
        p1 = (f"The BRISMIS Regional Forum {year} in {country} was held at {venue} on {month} {day}, {year}. "
              f"The {country} forum brought together representatives of {n} countries and "
              f"{self.r.randint(20, 200)} museum professionals to prepare the next biennial symposium.")
        p2 = (f"Participants discussed {self.r.choice(SCOPES)} and {self.r.choice(SCOPES)}, and agreed to report "
              f"their progress at the next BRISMIS.")
        cz, cf, ce, cr = COUNTRIES[country][1:]
        qs = [
            ("venue", f"BRISMIS Regional Forum {year} in {country} was held at {venue}", {
                "en": f"Where was the BRISMIS Regional Forum {year} in {country} held?",
                "zh": f"{year}年在{cz}举办的BRISMIS地区论坛在哪里举行？",
                "fr": f"Où s'est tenu le forum régional BRISMIS {year} en {cf} ?",
                "es": f"¿Dónde se celebró el foro regional BRISMIS {year} en {ce}?",
                "ru": f"Где прошёл региональный форум BRISMIS {year} года (страна: {cr})?",
            }),
            ("count", f"The {country} forum brought together representatives of {n} countries", {
                "en": f"How many countries were represented at the {year} BRISMIS forum in {country}?",
                "zh": f"{year}年{cz}BRISMIS论坛有多少个国家的代表参加？",
                "fr": f"Combien de pays étaient représentés au forum BRISMIS {year} en {cf} ?",
                "es": f"¿Cuántos países estuvieron representados en el foro BRISMIS {year} en {ce}?",
                "ru": f"Сколько стран было представлено на форуме BRISMIS {year} года (страна: {cr})?",
            }),
        ]
        return title, f"{year}-{m:02d}-{day:02d}", ["forum", country.lower()], [p1, p2], qs

    def edition(self, k: int):
        year = 2017 + 2 * (k - 1)
        _, month, day, m = self.date(year)
        city = self.r.choice(CN_CITIES)
        venue = self.venue(city)
        theme = f"{self.r.choice(THEME_A)}: {self.r.choice(THEME_B)}"
        n_gov, n_foreign, n_museums, n_cn = (self.r.randint(5, 20), self.r.randint(30, 90), self.r.randint(15, 40),
                                             self.r.randint(100, 300))
        title = f"The {ordinal(k)} BRISMIS held in {city}"
        p1 = (f"The {ordinal(k)} International Symposium on The Development of Natural Science Museums Under the Belt "
              f"and Road Initiative (BRISMIS {year}) was held at {venue}, {city}, from {month} {day} to "
              f"{month} {day + 2}, {year}. The theme of BRISMIS {year} was “{theme}”.")
        p2 = (f"BRISMIS {year} brought together {n_gov} government agencies and organizations, {n_foreign} foreign "
              f"curators and directors of {n_museums} museums, and more than {n_cn} Chinese curators. "
              f"The {city} Declaration was issued at the conclusion of the symposium.")
        qs = [
            ("venue", f"(BRISMIS {year}) was held at {venue}", {
                "en": f"Where was the {ordinal(k)} BRISMIS held?",
                "zh": f"第{k}届BRISMIS在哪里举办？",
                "fr": f"Où s'est tenu le {k}e BRISMIS ?",
                "es": f"¿Dónde se celebró el {k}.º BRISMIS?",
                "ru": f"Где проходил {k}-й симпозиум BRISMIS?",
            }),
            ("theme", f"The theme of BRISMIS {year} was", {
                "en": f"What was the theme of BRISMIS {year}?",
                "zh": f"{year}年BRISMIS的主题是什么？",
                "fr": f"Quel était le thème de BRISMIS {year} ?",
                "es": f"¿Cuál fue el tema de BRISMIS {year}?",
                "ru": f"Какой была тема BRISMIS {year}?",
            }),
            ("count", f"BRISMIS {year} brought together {n_gov} government agencies and organizations, {n_foreign}", {
                "en": f"How many foreign curators attended the {ordinal(k)} BRISMIS?",
                "zh": f"第{k}届BRISMIS有多少位外国馆长参加？",
                "fr": f"Combien de conservateurs étrangers ont participé au {k}e BRISMIS ?",
                "es": f"¿Cuántos conservadores extranjeros asistieron al {k}.º BRISMIS?",
                "ru": f"Сколько иностранных кураторов участвовало в {k}-м симпозиуме BRISMIS?",
            }),
        ]
        return title, f"{year}-{m:02d}-{day:02d}", ["brismis", str(year)], [p1, p2], qs


def generate(n: int, seed: int = 7) -> tuple[list[dict], list[dict]]:
    """(announcements, questions). Announcements: {"slug", "title", "date", "tags", "text"}."""
    g = Generator(seed)
    docs, questions = [], []
    editions = 0
    for i in range(n):
        roll = g.r.random()
        if roll < 0.15 and editions < 9:
            editions += 1
            title, date, tags, paragraphs, qs = g.edition(editions)
        elif roll < 0.35:
            title, date, tags, paragraphs, qs = g.forum()
        elif roll < 0.6:
            title, date, tags, paragraphs, qs = g.workshop()
        else:
            title, date, tags, paragraphs, qs = g.agreement()
        slug = f"synthetic-{i + 1:03d}-{tags[0]}"
        boiler = g.r.sample(BOILERPLATE, 2)
        text = ("• Current Events\n\n  • " + title + "\n\n    " + "\n\n    ".join(paragraphs + boiler)
                + "\n\n" + FOOTER)
        docs.append({"slug": slug, "title": title, "date": date, "tags": tags, "text": text})
        for j, (qtype, evidence, by_lang) in enumerate(qs):
            lang = LANGS[(i + j) % len(LANGS)]
            questions.append({"id": f"{slug}-{qtype}", "question": by_lang[lang], "language": lang,
                              "doc_id": slug, "type": qtype, "evidence": evidence})
    # an evidence string must point at one announcement only
    unique = [q for q in questions if sum(q["evidence"] in d["text"] for d in docs) == 1]
    assert all(q["evidence"] in next(d["text"] for d in docs if d["slug"] == q["doc_id"]) for q in unique)
    return docs, unique


def write(out: Path, docs: list[dict], questions: list[dict]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for d in docs:
        tags = ", ".join(d["tags"])
        title = d["title"].replace('"', "'")
        (out / f"{d['slug']}.md").write_text(
            f"---\ntitle: \"{title}\"\ndate: {d['date']}\nurl: http://www.brismis.org/synthetic/{d['slug']}\n"
            f"lang: en\ntags: [{tags}]\n---\n{d['text']}\n", encoding="utf-8")
    with open(out / "_questions.jsonl", "w", encoding="utf-8") as f:
        for q in questions:
            f.write(json.dumps(q, ensure_ascii=False) + "\n")


# ------------------------------------------------------------------ measuring


def rank_of(passages, doc_id: str, evidence: str) -> int | None:
    return next((i for i, p in enumerate(passages, 1) if p.doc_id == doc_id and evidence in p.text), None)


def summarize(ranks: list[int | None]) -> dict:
    n = len(ranks) or 1
    return {"n": len(ranks), "hit1": sum(1 for r in ranks if r and r <= 1) / n,
            "hit3": sum(1 for r in ranks if r and r <= 3) / n, "hit5": sum(1 for r in ranks if r and r <= 5) / n,
            "mrr": sum(1 / r for r in ranks if r) / n}


def measure(folder: Path, questions: list[dict], with_seed: bool) -> str:
    import os
    import warnings

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    warnings.filterwarnings("ignore")
    from bot.corpus import load_corpus
    from bot.models.embeddings import load_embeddings
    from bot.index import build_index
    from bot.retrieval import open_retriever
    from bot.settings import Settings

    corpus = load_corpus(folder)
    if corpus.problems:
        raise SystemExit("corpus problems: " + "; ".join(map(str, corpus.problems)))
    with tempfile.TemporaryDirectory(prefix="brismis-synthetic-") as tmp:
        settings = Settings(corpus_dir=folder, index_dir=Path(tmp))
        emb = load_embeddings(settings)
        t = time.perf_counter()
        build_index(settings, corpus, lambda: emb, rebuild=True)
        build_s = time.perf_counter() - t
        retriever = open_retriever(settings, emb)
        retriever.search("warm-up")
        chunks = len(retriever.passages())
        ranks, docs_at_1, times = {}, {}, []
        for q in questions:
            t = time.perf_counter()
            passages = retriever.search(q["question"], 5)
            times.append(time.perf_counter() - t)
            ranks[q["id"]] = rank_of(passages, q["doc_id"], q["evidence"])
            docs_at_1[q["id"]] = bool(passages) and passages[0].doc_id == q["doc_id"]
        golden_ranks = None
        if with_seed:
            from bot.evaluation import load_golden

            golden_ranks, golden_any, golden_evidence = {}, {}, {}
            seeds = [d.doc_id for d in corpus.documents if not d.doc_id.startswith("synthetic-")]
            for item in load_golden(Settings().golden_path):
                if item.answerable and not item.history:
                    passages = retriever.search(item.question, 5)
                    golden_ranks[item.id] = next((i for i, p in enumerate(passages, 1)
                                                  if p.doc_id in seeds and item.evidence in p.text), None)
                    golden_evidence[item.id] = item.evidence
                    golden_any[item.id] = next((i for i, p in enumerate(passages, 1) if item.evidence in p.text), None)

    def row(name, ids):
        s = summarize([ranks[i] for i in ids])
        doc1 = sum(docs_at_1[i] for i in ids) / (len(ids) or 1)
        cells = [s["hit1"], s["hit3"], s["hit5"], s["mrr"], doc1]
        return f"| {name} | {s['n']} | " + " | ".join(f"{c:.3f}" for c in cells) + " |"

    lines = [f"{len(corpus.documents)} announcements ({chunks} chunks, index built in {build_s:.0f} s), "
             f"{len(questions)} questions; mean search {1000 * sum(times) / len(times):.0f} ms. "
             "hit@k: a passage of the right announcement holding the evidence is in the top k; "
             "doc@1: the top passage is from the right announcement.", "",
             "| questions | n | hit@1 | hit@3 | hit@5 | MRR | doc@1 |", "|---|---|---|---|---|---|---|",
             row("all", [q["id"] for q in questions])]
    by_lang, by_type = defaultdict(list), defaultdict(list)
    for q in questions:
        by_lang[q["language"]].append(q["id"])
        by_type[f"{q['id'].split('-')[2]} / {q['type']}"].append(q["id"])
    lines += [row(f"lang {k}", v) for k, v in sorted(by_lang.items())]
    lines += [row(k, v) for k, v in sorted(by_type.items())]
    misses = [q for q in questions if not ranks[q["id"]] or ranks[q["id"]] > 5]
    if misses:
        lines += ["", "Missed (not in the top 5), first 8:"]
        lines += [f"- [{q['language']}] {q['question']} (evidence '{q['evidence']}')" for q in misses[:8]]
    if golden_ranks is not None:
        s = summarize(list(golden_ranks.values()))
        a = summarize(list(golden_any.values()))
        lines += ["", f"Golden set (answerable, no history: {s['n']} questions) against the seed announcement "
                  f"crowded by these {len(corpus.documents) - len(seeds)} synthetic ones: evidence in a passage of "
                  f"the seed announcement: hit@1 {s['hit1']:.3f}, hit@3 {s['hit3']:.3f}, hit@5 {s['hit5']:.3f}, "
                  f"MRR {s['mrr']:.3f}; evidence in any passage (the footer and the CANSM boilerplate are "
                  f"repeated in every synthetic file): hit@1 {a['hit1']:.3f}, hit@3 {a['hit3']:.3f}, "
                  f"hit@5 {a['hit5']:.3f}, MRR {a['mrr']:.3f}."]
        pushed = [i for i, r in golden_ranks.items() if not r or r > 5]
        if pushed:
            by_evidence = defaultdict(int)
            for i in pushed:
                by_evidence[golden_evidence[i]] += 1
            top = sorted(by_evidence.items(), key=lambda kv: -kv[1])[:10]
            lines += ["", "Golden evidence most often pushed out of the top 5 by the synthetic announcements: "
                      + "; ".join(f"'{e}' ({n})" for e, n in top) + "."]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="number of announcements (default 100)")
    ap.add_argument("--out", type=Path, required=True, help="folder to write (created; old synthetic files replaced)")
    ap.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    ap.add_argument("--measure", action="store_true", help="index the folder and measure retrieval hit@k")
    ap.add_argument("--with-seed", action="store_true", help="copy the real announcements from corpus/ in too")
    ap.add_argument("--results", type=Path, help="append the measurement to this Markdown file")
    args = ap.parse_args(argv)

    docs, questions = generate(args.n, args.seed)
    for old in args.out.glob("synthetic-*.md") if args.out.exists() else []:
        old.unlink()
    write(args.out, docs, questions)
    if args.with_seed:
        for path in (ROOT / "corpus").glob("*.md"):
            if path.name != "README.md":
                shutil.copy(path, args.out / path.name)
    print(f"wrote {len(docs)} announcements and {len(questions)} questions to {args.out}")
    if not args.measure:
        return 0
    body = measure(args.out, questions, args.with_seed)
    print(body)
    if args.results:
        import platform
        import subprocess

        def sh(cmd):
            return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()

        cpu = sh("lscpu | grep 'Model name'").replace("Model name:", "").strip()
        ram = sh("free -g | awk '/^Mem:/ {print $2}'")
        load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
        command = " ".join(argv or sys.argv[1:])
        block = (f"\n## Retrieval with close competitors (bench/synthetic_corpus.py) — {sh('date -u')}\n\n"
                 f"- machine: {sh('nproc')} cores, {cpu}, {ram} GB RAM, Python {platform.python_version()}; "
                 f"load average {load}\n"
                 f"- command: `.venv/bin/python bench/synthetic_corpus.py {command}`\n\n{body}\n")
        with open(args.results, "a", encoding="utf-8") as f:
            f.write(block)
        print(f"(appended to {args.results})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
