"""Questions aimed at the assistant itself (reveal the prompt, ignore the rules, play another
role) get a fixed refusal before any model sees them, and sentences of that kind inside an
announcement (a poisoned document) are blanked out of the passages before the model reads them,
the guard checks against them, or they are quoted. This is a first line only: the answer guard in
``citations`` still checks whatever a model writes, so an attack that slips past these patterns
cannot make the assistant state anything the announcements do not."""

from __future__ import annotations

import re
import unicodedata

from .chunking import sentence_spans

_PATTERNS = [
    # English
    r"\b(system|hidden|initial|original)\s+(prompt|message|instructions?)\b",
    r"\bignore\b.{0,40}\b(instructions?|rules|prompt|above|previous)\b",
    r"\b(disregard|forget|override|bypass)\b.{0,40}\b(instructions?|rules|prompt|guidelines)\b",
    r"\b(reveal|show|print|repeat|tell me|output)\b.{0,30}\b(your|the)\s+(instructions?|rules|prompt|guidelines)\b",
    r"\byou are now\b|\bact as (an?|my)\b|\bpretend (to be|you are)\b|\brole-?play\b|\bjailbreak\b|developer mode",
    # Chinese
    r"(系统|初始|隐藏)(提示|指令|消息)|提示词|忽略.{0,12}(指令|规则|提示|要求)|(告诉|显示|输出|重复).{0,8}你的(指令|规则|提示)|扮演|假装你是",
    # Russian / Serbian / Kazakh (Cyrillic)
    r"систем\w* (промпт|подсказк|инструкц)|игнорир\w*.{0,30}(инструкц|правил|указан)|забудь.{0,30}(инструкц|правил)|"
    r"(покажи|раскрой|выведи|повтори).{0,30}(свои|твои|ваши)? ?(инструкц|правил|промпт)|притворись|ты теперь|игнориши|занемари\w* .{0,20}упутств|"
    r"(прикажи|откриј|реци ми|испиши|понови).{0,20}(своја|своје|твоја|твоје) (правила|упутства|инструкције)|претварај се",
    # Serbian / Croatian / Bosnian (Latin)
    r"\b(zanemari|ignori[sš]i|zaboravi)\w*\b.{0,30}\b(uputstv|upute|instrukcij|pravil)|"
    r"\b(prika[zž]i|otkrij|reci mi|ispi[sš]i|ponovi)\b.{0,20}\b(svoj[aeu]?|tvoj[aeu]?)\s+(uputstv|upute|instrukcij|pravil|prompt)|"
    r"\bsistemski (prompt|upit)\b|\bpretvaraj se\b|\bpravi se da si\b",
    # Arabic / Persian
    r"تجاهل.{0,30}(التعليمات|القواعد|الأوامر)|(اكشف|أظهر|اعرض|اطبع).{0,20}(تعليماتك|التعليمات|موجه النظام)|موجه النظام|تظاهر بأنك|"
    r"دستورالعمل.{0,20}(را نادیده|نشان بده)|نادیده بگیر",
    # French / Spanish / Portuguese
    r"\bignore[rz]?\b.{0,30}\b(instructions|consignes|règles)\b|\b(invite|prompt) (système|systeme)\b|\bfais semblant\b|"
    r"\b(montre|révèle|affiche).{0,20}\b(tes|vos) (instructions|consignes|règles)\b",
    r"\bignora\b.{0,30}\b(instrucciones|reglas|instruções|regras)\b|\b(prompt|mensaje) del sistema\b|\bprompt do sistema\b|"
    r"\b(muestra|revela|mostre|revele)\b.{0,20}\b(tus|suas|tuas) (instrucciones|reglas|instruções|regras)\b|\bfinge ser\b",
    # German / Turkish / Malay-Indonesian / Vietnamese / Greek / Thai / Uzbek
    r"\bignorier\w*\b.{0,30}\b(anweisungen|regeln)\b|\bsystem-?prompt\b|\b(zeig|verrate)\w*.{0,20}\b(deine|ihre) (anweisungen|regeln)\b",
    r"talimatlar\w*.{0,20}(yok say|görmezden gel|göster)|sistem (istemi|komutu)",
    r"abaikan.{0,30}(arahan|arahan|instruksi|peraturan|aturan)|(tunjukkan|dedahkan).{0,20}(arahan|instruksi) (anda|kamu)|prom sistem",
    r"bỏ qua.{0,30}(hướng dẫn|chỉ dẫn|quy tắc)|lời nhắc hệ thống",
    r"αγνόησε.{0,30}(οδηγίες|κανόνες)|(δείξε|αποκάλυψε).{0,20}τις οδηγίες σου",
    r"(เพิกเฉย|ไม่ต้องสนใจ|ละเว้น).{0,20}(คำสั่ง|กฎ)|พรอมต์ระบบ|(แสดง|เปิดเผย).{0,10}คำสั่งของคุณ",
    r"ko['‘ʻ’]rsatmalar\w*.{0,20}(e['‘ʻ’]tibor berma|ko['‘ʻ’]rsat)|tizim (so['‘ʻ’]rovi|ko['‘ʻ’]rsatmasi)",
]
_ATTACK = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE | re.DOTALL)
_INVISIBLE = re.compile(r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


def normalize(text: str) -> str:
    """NFKC and without zero-width or bidi controls, so look-alike tricks don't hide a pattern."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def targets_assistant(question: str) -> bool:
    return bool(_ATTACK.search(normalize(question)))


def defuse(text: str) -> str:
    """``text`` with every sentence addressed to an assistant replaced by spaces (same length, so
    offsets into it still hold)."""
    for span in sentence_spans(text):
        if targets_assistant(text[span.start:span.end]):
            text = text[:span.start] + " " * (span.end - span.start) + text[span.end:]
    return text
