#!/usr/bin/python3
"""Checks the development sets in eval/dev/ (standard library only; no project code, no models).

    /usr/bin/python3 eval/dev/check.py            # both sets
    /usr/bin/python3 eval/dev/check.py tune       # one set

For every corpus file: the front matter of corpus/README.md (title, date, url, lang, optional tags,
nothing else), a real date, a non-empty text, the seed copied unchanged, the site footer identical
wherever it appears, and none of the facts that must stay unanswerable (a phone number, a fee, a
ticket price, anything about 2025).
For every question: the JSON parses, only the allowed fields, a unique id, a known language and
kind; the evidence (and each also_evidence) is an exact substring of the named document's text as
the project reads it (HTML converted to text the way bot/corpus.py does); the answer_pattern
compiles and matches the item's reference answer. Prints counts per language and kind.
Exit status 1 if anything is wrong.
"""
from __future__ import annotations

import datetime
import json
import re
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parent.parent / "corpus" / "cansm-unesco-letter-of-agreement.md"
LANGS = ["en", "zh", "ru", "ar", "fr", "es", "th", "ms", "el", "sr", "uz"]
KINDS = ["fact", "edition", "conflict", "followup", "unanswerable", "mixed"]
FIELDS = {"id", "question", "language", "kind", "evidence", "answer_pattern", "source", "doc",
          "also_evidence", "history", "must_decline", "reference"}
FRONT = {"title", "date", "url", "lang", "tags"}
FOOTER = [
    "BRISMIS - Belt and Road Initiative Science Museum International Symposium",
    "Add: No. 5 Beichen East Road, Chaoyang District, Beijing, 100012, P.R. CHINA",
    "E-mail: secretariat@brismis.org; brismis@163.com",
    "PowerBy: Beijing POONSOFT CO., LTD.",
    "Copyright 2017 Chinese Association of Natural Science Museums (CANSM)",
]
# Things no announcement may say, so that the questions about them stay unanswerable.
FORBIDDEN = [
    (r"(?i)\b(?:tel|phone|telephone|fax|mobile|hotline)\b|电话|传真|телефон|факс|\btél|téléphone", "a phone number"),
    (r"\+\s?86|\(0?10\)|\b0?10[- ]?\d{8}\b|\b\d{3,4}[- ]\d{7,8}\b", "a phone number"),
    (r"(?i)\bfees?\b|registration fee|收费|费用|报名费|门票|票价|\bticket|взнос|стоимост|билет|\bfrais\b|\bprix\b|\btarif|\bbillet", "a fee or ticket price"),
    (r"2025|二〇二五|二零二五", "the 2025 edition"),
]

_BLOCKS = set(
    "address article aside blockquote caption dd div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot tr "
    "ul".split()
)
_DROPPED = {"script", "style", "noscript", "template", "head", "iframe", "svg", "object"}
_PARA, _BREAK = "\ue000", "\ue001"


class _Text(HTMLParser):
    """Same rendering as bot.corpus.html_to_text (BeautifulSoup), for well-formed pages."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in _DROPPED:
            self.skip += 1
        elif not self.skip:
            if tag == "br":
                self.out.append(_BREAK)
            elif tag in _BLOCKS:
                self.out.append(_PARA)

    def handle_startendtag(self, tag, attrs):
        if not self.skip and tag == "br":
            self.out.append(_BREAK)
        elif not self.skip and tag in _BLOCKS:
            self.out.append(_PARA * 2)

    def handle_endtag(self, tag):
        if tag in _DROPPED:
            self.skip = max(0, self.skip - 1)
        elif not self.skip and tag in _BLOCKS:
            self.out.append(_PARA)

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def html_to_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    flat = re.sub(r"\s+", " ", "".join(parser.out))
    paragraphs = []
    for para in flat.split(_PARA):
        lines = [line.strip() for line in para.split(_BREAK)]
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return "\n\n".join(paragraphs)


def read_doc(path: Path, problems: list[str]) -> dict | None:
    raw = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    lines = raw.split("\n")
    if lines[0].rstrip() != "---":
        problems.append(f"{path}: first line is not ---")
        return None
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    except StopIteration:
        problems.append(f"{path}: front matter is not closed")
        return None
    meta = {}
    for n, line in enumerate(lines[1:close], 2):
        m = re.match(r"^([a-z_]+):\s*(.*)$", line)
        if not m:
            problems.append(f"{path}:{n}: not a 'field: value' line")
            continue
        key, value = m.groups()
        if key not in FRONT:
            problems.append(f"{path}:{n}: unknown field {key!r}")
        if key in meta:
            problems.append(f"{path}:{n}: field {key!r} twice")
        if value.startswith('"'):
            if not value.endswith('"'):
                problems.append(f"{path}:{n}: unbalanced quotes")
            value = value[1:-1].replace('\\"', '"')
        elif ": " in value or " #" in value or (value and value[0] in "'[{&*!|>%@" and key != "tags"):
            problems.append(f"{path}:{n}: value needs double quotes")
        meta[key] = value
    for key in ("title", "date", "url", "lang"):
        if not meta.get(key):
            problems.append(f"{path}: missing {key}")
    try:
        datetime.date.fromisoformat(meta.get("date", ""))
    except ValueError:
        problems.append(f"{path}: bad date {meta.get('date')!r}")
    if not re.fullmatch(r"https?://\S+", meta.get("url", "")):
        problems.append(f"{path}: bad url")
    if not re.fullmatch(r"[a-z]{2}", meta.get("lang", "")):
        problems.append(f"{path}: bad lang")
    if "tags" in meta and not re.fullmatch(r"\[[^\[\]]*\]", meta["tags"]):
        problems.append(f"{path}: tags must be a [list]")
    body = "\n".join(lines[close + 1:])
    is_html = path.suffix.lower() in (".html", ".htm")
    text = (html_to_text(body) if is_html else body).rstrip()
    if not text.strip():
        problems.append(f"{path}: no text")
    if is_html:
        for what, pat in (("<html lang=", r"<html lang=\"" + re.escape(meta.get("lang", "")) + '"'),
                          ("<title>", r"<title>[^<]+</title>"), ("og:title", r'property="og:title"'),
                          ("article:published_time", r'property="article:published_time" content="' + re.escape(meta.get("date", "")) + "T"),
                          ("canonical", r'rel="canonical" href="' + re.escape(meta.get("url", "")) + '"')):
            if not re.search(pat, body):
                problems.append(f"{path}: page lacks (or disagrees on) {what}")
    if "PowerBy:" in text:
        tail = [line.strip() for line in text[text.index("BRISMIS - Belt and Road"):].split("\n") if line.strip()] \
            if "BRISMIS - Belt and Road" in text else []
        if tail != FOOTER:
            problems.append(f"{path}: site footer differs from the others: {tail}")
    for pat, what in FORBIDDEN:
        for m in re.finditer(pat, text):
            ctx = text[max(0, m.start() - 40): m.end() + 40].replace("\n", " ")
            problems.append(f"{path}: mentions {what}: ...{ctx}...")
    return {"meta": meta, "text": text, "html": is_html}


def check_set(name: str) -> list[str]:
    problems: list[str] = []
    base = HERE / name
    corpus = base / "corpus"
    docs = {}
    for path in sorted(corpus.rglob("*")):
        if path.is_dir() or path.name.startswith((".", "_")) or path.name.lower() == "readme.md":
            continue
        if path.suffix.lower() not in (".md", ".txt", ".html", ".htm"):
            problems.append(f"{path}: unsupported file type")
            continue
        doc_id = path.relative_to(corpus).with_suffix("").as_posix()
        if doc_id in docs:
            problems.append(f"{path}: duplicate id {doc_id}")
        doc = read_doc(path, problems)
        if doc:
            docs[doc_id] = doc
    seed = corpus / SEED.name
    if not seed.exists() or seed.read_bytes() != SEED.read_bytes():
        problems.append(f"{seed}: not an unchanged copy of {SEED}")
    n_html = sum(d["html"] for d in docs.values())
    langs = Counter(d["meta"].get("lang") for d in docs.values())
    if not 15 <= len(docs) <= 20:
        problems.append(f"{name}: {len(docs)} documents (want 15-20)")

    items = []
    qpath = base / "questions.jsonl"
    seen = set()
    for n, line in enumerate(qpath.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{qpath.name}:{n}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not JSON: {exc}")
            continue
        items.append(item)
        extra = set(item) - FIELDS
        if extra:
            problems.append(f"{where}: unknown fields {sorted(extra)}")
        iid = item.get("id")
        where = f"{where} [{iid}]"
        if not iid or iid in seen:
            problems.append(f"{where}: missing or duplicate id")
        seen.add(iid)
        for key in ("question", "language", "kind", "source"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                problems.append(f"{where}: {key} must be a non-empty string")
        if item.get("language") not in LANGS:
            problems.append(f"{where}: language {item.get('language')!r}")
        kind = item.get("kind")
        if kind not in KINDS:
            problems.append(f"{where}: kind {kind!r}")
        hist = item.get("history", [])
        if not isinstance(hist, list) or any(
                not isinstance(t, dict) or set(t) != {"role", "content"} or t["role"] != ("user", "assistant")[i % 2]
                or not t["content"].strip() for i, t in enumerate(hist)):
            problems.append(f"{where}: history must alternate user/assistant turns")
        if kind == "followup" and not hist:
            problems.append(f"{where}: a followup needs a history")
        if kind != "followup" and hist:
            problems.append(f"{where}: only followups have a history")
        if kind == "unanswerable" or item.get("must_decline"):
            if item.get("must_decline") is not True or kind != "unanswerable":
                problems.append(f"{where}: must_decline goes with kind unanswerable")
            for key in ("evidence", "answer_pattern", "doc", "also_evidence", "reference"):
                if key in item:
                    problems.append(f"{where}: a declined item has no {key}")
            continue
        missing = [k for k in ("evidence", "answer_pattern", "doc", "reference")
                   if not isinstance(item.get(k), str) or not item[k]]
        if missing:
            problems.append(f"{where}: {', '.join(missing)} must be non-empty strings")
            continue
        ev, doc_id = item["evidence"], item["doc"]
        if not 15 <= len(ev) <= 80:
            problems.append(f"{where}: evidence is {len(ev)} characters (want 15-80)")
        if doc_id not in docs:
            problems.append(f"{where}: no document {doc_id!r}")
        elif ev not in docs[doc_id]["text"]:
            problems.append(f"{where}: evidence {ev!r} is not in {doc_id}")
        try:
            pattern = re.compile(item["answer_pattern"])
        except re.error as exc:
            problems.append(f"{where}: answer_pattern does not compile: {exc}")
        else:
            if not pattern.search(item["reference"]):
                problems.append(f"{where}: answer_pattern does not match the reference {item['reference']!r}")
        also = item.get("also_evidence")
        if kind == "conflict":
            if not isinstance(also, list) or not also or not all(isinstance(a, str) for a in also):
                problems.append(f"{where}: a conflict needs also_evidence, a list of strings")
            else:
                for a in also:
                    holders = [d for d, v in docs.items() if a in v["text"]]
                    if not 15 <= len(a) <= 80:
                        problems.append(f"{where}: also_evidence {a!r} is {len(a)} characters (want 15-80)")
                    if not holders:
                        problems.append(f"{where}: also_evidence {a!r} is in no document")
                    elif doc_id in holders:
                        problems.append(f"{where}: also_evidence {a!r} is in the same document as the evidence")
        elif also is not None:
            problems.append(f"{where}: only conflicts have also_evidence")

    by_lang = Counter(i.get("language") for i in items)
    by_kind = Counter(i.get("kind") for i in items)
    print(f"== {name}: {len(docs)} documents ({n_html} .html, {len(docs) - n_html} .md/.txt; "
          f"languages {dict(langs)}), {len(items)} questions")
    print("   per language:", ", ".join(f"{k} {by_lang[k]}" for k in LANGS))
    print("   per kind:    ", ", ".join(f"{k} {by_kind[k]}" for k in KINDS))
    table = Counter((i.get("language"), i.get("kind")) for i in items)
    print("   " + "lang".ljust(6) + "".join(k[:8].rjust(9) for k in KINDS))
    for lang in LANGS:
        print("   " + lang.ljust(6) + "".join(str(table[(lang, k)]).rjust(9) for k in KINDS))
    for lang in LANGS:
        if not by_lang[lang]:
            problems.append(f"{name}: no question in {lang}")
    return problems


def main(argv: list[str]) -> int:
    names = argv[1:] or ["tune", "holdout"]
    problems = []
    for name in names:
        problems += check_set(name)
    for p in problems:
        print("PROBLEM:", p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
