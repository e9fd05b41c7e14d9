"""Language detection and fixed phrases.

The questions below are the kind visitors ask, written per language by hand; each language must
get at least 7 of its 8 right. Malay and Indonesian are held to the same bar, but see
``test_malay_indonesian_tie_breaks_on_history``: they share most words and lingua's split
between them is often close, so what we know about the visitor decides a near tie.
"""

from __future__ import annotations

import pytest

from bot.language import (
    SUPPORTED,
    Detection,
    detect_language,
    language_name,
    native_name,
    normalize_language,
    phrase,
)
from bot.phrases import PHRASES

KEYS = ("lead_in", "decline", "decline_no_contact", "refuse_instructions", "sources", "no_index",
        "translation_lead_in", "verified_other_language", "reports_differ", "reports_differ_dates")

# Where a language genuinely uses the English word.
SAME_AS_ENGLISH = {("sources", "fr")}

QUESTIONS: dict[str, list[str]] = {
    "en": [
        "When was the first BRISMIS symposium held?",
        "Where will the next symposium take place?",
        "What is the theme of the 2017 symposium?",
        "How can I register for BRISMIS?",
        "Who signed the agreement with UNESCO?",
        "Is there a deadline for submitting papers?",
        "Which museums are members of CANSM?",
        "Can I attend the symposium online?",
    ],
    "zh": [
        "第一届BRISMIS研讨会是什么时候举办的？",
        "下一届研讨会在哪里举行？",
        "2017年研讨会的主题是什么？",
        "如何报名参加BRISMIS？",
        "谁和UNESCO签署了协议？",
        "论文提交的截止日期是什么时候？",
        "哪些博物馆是CANSM的成员？",
        "可以在线参加研讨会吗？",
    ],
    "ru": [
        "Когда был подписан договор с ЮНЕСКО?",
        "Где прошёл первый симпозиум BRISMIS?",
        "Какая тема у симпозиума 2017 года?",
        "Как зарегистрироваться на симпозиум?",
        "Кто может принять участие в BRISMIS?",
        "Сколько стран участвовало в симпозиуме?",
        "Есть ли крайний срок подачи докладов?",
        "Что такое BRISMIS?",
    ],
    "ar": [
        "متى عقدت الندوة الأولى؟",
        "أين ستقام ندوة BRISMIS القادمة؟",
        "ما هو موضوع ندوة عام 2017؟",
        "كيف يمكنني التسجيل في الندوة؟",
        "من وقّع الاتفاقية مع اليونسكو؟",
        "ما هو آخر موعد لتقديم الأوراق البحثية؟",
        "ما هي المتاحف الأعضاء في CANSM؟",
        "هل يمكنني حضور الندوة عبر الإنترنت؟",
    ],
    "fr": [
        "Quand a eu lieu le premier symposium BRISMIS ?",
        "Où se tiendra le prochain symposium ?",
        "Quel était le thème du symposium de 2017 ?",
        "Comment puis-je m'inscrire au BRISMIS ?",
        "Qui a signé l'accord avec l'UNESCO ?",
        "Quelle est la date limite de soumission des communications ?",
        "Quels musées sont membres du CANSM ?",
        "Peut-on assister au symposium en ligne ?",
    ],
    "es": [
        "¿Cuándo se celebró el primer simposio BRISMIS?",
        "¿Dónde tendrá lugar el próximo simposio?",
        "¿Cuál fue el tema del simposio de 2017?",
        "¿Cómo puedo inscribirme en BRISMIS?",
        "¿Quién firmó el acuerdo con la UNESCO?",
        "¿Hay una fecha límite para enviar ponencias?",
        "¿Qué museos son miembros de CANSM?",
        "¿Se puede asistir al simposio en línea?",
    ],
    "th": [
        "การประชุมสัมมนา BRISMIS ครั้งแรกจัดขึ้นเมื่อไหร่",
        "การประชุมครั้งต่อไปจะจัดที่ไหน",
        "หัวข้อของการประชุมปี 2017 คืออะไร",
        "ลงทะเบียนเข้าร่วม BRISMIS ได้อย่างไร",
        "ใครลงนามข้อตกลงกับ UNESCO",
        "กำหนดส่งบทความคือวันไหน",
        "พิพิธภัณฑ์ใดบ้างเป็นสมาชิกของ CANSM",
        "สามารถเข้าร่วมการประชุมออนไลน์ได้ไหม",
    ],
    "ms": [
        "Bilakah simposium BRISMIS yang pertama diadakan?",
        "Di manakah simposium seterusnya akan diadakan?",
        "Apakah tema simposium tahun 2017?",
        "Bagaimanakah saya boleh mendaftar untuk BRISMIS?",
        "Siapakah yang menandatangani perjanjian dengan UNESCO?",
        "Adakah tarikh akhir untuk menghantar kertas kerja?",
        "Muzium manakah yang menjadi ahli CANSM?",
        "Bolehkah saya menyertai simposium secara dalam talian?",
    ],
    "el": [
        "Πότε πραγματοποιήθηκε το πρώτο συμπόσιο BRISMIS;",
        "Πού θα γίνει το επόμενο συμπόσιο;",
        "Ποιο ήταν το θέμα του συμποσίου του 2017;",
        "Πώς μπορώ να εγγραφώ στο BRISMIS;",
        "Ποιος υπέγραψε τη συμφωνία με την UNESCO;",
        "Υπάρχει προθεσμία για την υποβολή εργασιών;",
        "Ποια μουσεία είναι μέλη του CANSM;",
        "Μπορώ να παρακολουθήσω το συμπόσιο διαδικτυακά;",
    ],
    "sr-cyrl": [
        "Када је одржан први симпозијум BRISMIS?",
        "Где ће се одржати следећи симпозијум?",
        "Која је била тема симпозијума 2017. године?",
        "Како могу да се пријавим за BRISMIS?",
        "Ко је потписао споразум са УНЕСКО?",
        "Који музеји су чланови CANSM?",
        "Шта треба понети на скуп?",
        "Колико траје симпозијум?",
    ],
    "sr-latn": [
        "Kada je održan prvi simpozijum?",
        "Gde će se održati sledeći simpozijum BRISMIS?",
        "Koja je bila tema simpozijuma 2017. godine?",
        "Kako mogu da se prijavim za BRISMIS?",
        "Ko je potpisao sporazum sa UNESCO?",
        "Koji je rok za slanje radova?",
        "Koji muzeji su članovi CANSM?",
        "Da li mogu da pratim simpozijum onlajn?",
    ],
    "uz-latn": [  # the apostrophe is typed every way phones and keyboards produce it
        "Birinchi BRISMIS simpoziumi qachon bo‘lib o‘tdi?",
        "Keyingi simpozium qayerda oʻtkaziladi?",
        "2017-yilgi simpoziumning mavzusi nima edi?",
        "BRISMIS uchun qanday ro'yxatdan o'tish mumkin?",
        "UNESCO bilan shartnomani kim imzolagan?",
        "Maqolalarni topshirish muddati qachon?",
        "Qaysi muzeylar CANSM a’zosi?",
        "Simpoziumda onlayn ishtirok etsa bo`ladimi?",
        "Kotibiyatning elektron pochta manzili qanday?",  # lingua: Turkish 0.99, but Turkish writes no q
    ],
    "uz-cyrl": [
        "Биринчи BRISMIS симпозиуми қачон бўлиб ўтди?",
        "Кейинги симпозиум қаерда ўтказилади?",
        "2017 йилги симпозиумнинг мавзуси нима эди?",
        "BRISMIS учун қандай рўйхатдан ўтиш мумкин?",
        "UNESCO билан шартномани ким имзолаган?",
        "Мақолаларни топшириш муддати қачон?",
        "Қайси музейлар CANSM аъзоси?",
        "Симпозиумда онлайн иштирок этса бўладими?",
    ],
    "vi": [
        "Hội thảo BRISMIS đầu tiên được tổ chức khi nào?",
        "Hội thảo tiếp theo sẽ diễn ra ở đâu?",
        "Chủ đề của hội thảo năm 2017 là gì?",
        "Làm thế nào để đăng ký tham gia BRISMIS?",
        "Ai đã ký thỏa thuận với UNESCO?",
        "Hạn chót nộp bài là khi nào?",
        "Những bảo tàng nào là thành viên của CANSM?",
        "Tôi có thể tham dự hội thảo trực tuyến không?",
    ],
    "id": [
        "Kapan simposium BRISMIS pertama diselenggarakan?",
        "Di mana simposium berikutnya akan diadakan?",
        "Apa tema simposium tahun 2017?",
        "Bagaimana cara mendaftar untuk BRISMIS?",
        "Siapa yang menandatangani perjanjian dengan UNESCO?",
        "Apakah ada batas waktu pengiriman makalah?",
        "Museum apa saja yang menjadi anggota CANSM?",
        "Apakah saya bisa mengikuti simposium secara daring?",
    ],
    "tr": [
        "İlk BRISMIS sempozyumu ne zaman düzenlendi?",
        "Bir sonraki sempozyum nerede yapılacak?",
        "2017 sempozyumunun teması neydi?",
        "BRISMIS'e nasıl kayıt olabilirim?",
        "UNESCO ile anlaşmayı kim imzaladı?",
        "Bildiri göndermek için son tarih nedir?",
        "Hangi müzeler CANSM üyesi?",
        "Sempozyuma çevrimiçi katılabilir miyim?",
    ],
    "kk": [
        "Алғашқы BRISMIS симпозиумы қашан өтті?",
        "Келесі симпозиум қайда өтеді?",
        "2017 жылғы симпозиумның тақырыбы қандай болды?",
        "BRISMIS-ке қалай тіркелуге болады?",
        "ЮНЕСКО-мен келісімге кім қол қойды?",
        "Баяндамаларды тапсырудың соңғы мерзімі қашан?",
        "Қандай мұражайлар CANSM мүшесі болып табылады?",
        "Симпозиумға онлайн қатысуға бола ма?",
    ],
    "fa": [
        "اولین همایش BRISMIS چه زمانی برگزار شد؟",
        "همایش بعدی کجا برگزار می‌شود؟",
        "موضوع همایش سال ۲۰۱۷ چه بود؟",
        "چگونه می‌توانم در BRISMIS ثبت‌نام کنم؟",
        "چه کسی توافق‌نامه با یونسکو را امضا کرد؟",
        "مهلت ارسال مقاله‌ها کی است؟",
        "کدام موزه‌ها عضو CANSM هستند؟",
        "آیا می‌توان به صورت آنلاین در همایش شرکت کرد؟",
    ],
    "pt": [
        "Quando foi realizado o primeiro simpósio BRISMIS?",
        "Onde será realizado o próximo simpósio?",
        "Qual foi o tema do simpósio de 2017?",
        "Como posso me inscrever no BRISMIS?",
        "Quem assinou o acordo com a UNESCO?",
        "Qual é o prazo para envio de trabalhos?",
        "Quais museus são membros da CANSM?",
        "É possível participar do simpósio online?",
    ],
    "de": [
        "Wann fand das erste BRISMIS-Symposium statt?",
        "Wo findet das nächste Symposium statt?",
        "Was war das Thema des Symposiums 2017?",
        "Wie kann ich mich für BRISMIS anmelden?",
        "Wer hat das Abkommen mit der UNESCO unterzeichnet?",
        "Gibt es eine Frist für die Einreichung von Beiträgen?",
        "Welche Museen sind Mitglieder von CANSM?",
        "Kann ich online am Symposium teilnehmen?",
    ],
    "km": [
        "តើសន្និសីទ BRISMIS លើកដំបូងត្រូវបានធ្វើឡើងនៅពេលណា?",
        "តើសន្និសីទលើកក្រោយនឹងធ្វើនៅឯណា?",
        "តើប្រធានបទនៃសន្និសីទឆ្នាំ 2017 គឺជាអ្វី?",
        "តើខ្ញុំអាចចុះឈ្មោះចូលរួម BRISMIS ដោយរបៀបណា?",
        "តើនរណាបានចុះហត្ថលេខាលើកិច្ចព្រមព្រៀងជាមួយ UNESCO?",
        "តើថ្ងៃផុតកំណត់សម្រាប់ដាក់អត្ថបទគឺនៅពេលណា?",
        "តើសារមន្ទីរណាខ្លះជាសមាជិករបស់ CANSM?",
        "តើខ្ញុំអាចចូលរួមសន្និសីទតាមអនឡាញបានទេ?",
    ],
    "my": [
        "ပထမဆုံး BRISMIS ဆွေးနွေးပွဲကို ဘယ်အချိန်က ကျင်းပခဲ့သလဲ။",
        "နောက်ဆွေးနွေးပွဲကို ဘယ်မှာ ကျင်းပမလဲ။",
        "၂၀၁၇ ခုနှစ် ဆွေးနွေးပွဲ၏ ခေါင်းစဉ်က ဘာလဲ။",
        "BRISMIS အတွက် ဘယ်လို စာရင်းသွင်းရမလဲ။",
        "UNESCO နှင့် သဘောတူစာချုပ်ကို ဘယ်သူ လက်မှတ်ထိုးခဲ့သလဲ။",
        "စာတမ်းတင်သွင်းရန် နောက်ဆုံးရက်က ဘယ်နေ့လဲ။",
        "ဘယ်ပြတိုက်တွေက CANSM ၏ အဖွဲ့ဝင်တွေလဲ။",
        "ဆွေးနွေးပွဲကို အွန်လိုင်းမှ တက်ရောက်နိုင်ပါသလား။",
    ],
}


def _expected(label: str) -> str:
    return label.split("-")[0]


# --- phrases -----------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", SUPPORTED)
def test_every_phrase_exists_and_is_translated(lang):
    for key in KEYS:
        assert PHRASES[lang].get(key, "").strip(), (lang, key)
        if lang != "en" and (key, lang) not in SAME_AS_ENGLISH:
            assert phrase(key, lang) != phrase(key, "en"), (lang, key)


@pytest.mark.parametrize("lang", SUPPORTED)
def test_decline_keeps_contact_placeholder(lang):
    assert "{contact}" in phrase("decline", lang)
    assert "{contact}" not in phrase("decline_no_contact", lang)
    filled = phrase("decline", lang, contact="secretariat@example.org")
    assert "secretariat@example.org" in filled and "{" not in filled


def test_phrase_falls_back_to_english_and_accepts_tags():
    assert phrase("sources", "xx") == "Sources"
    assert phrase("sources", "zh-CN") == "来源"
    assert phrase("lead_in", "en", unused="x") == "According to the announcements:"


def test_only_known_keys():
    assert set(PHRASES) == set(SUPPORTED)
    assert all(set(table) == set(KEYS) for table in PHRASES.values())
    with pytest.raises(KeyError):
        phrase("no_such_key", "en")


def test_names():
    assert language_name("zh") == "Chinese" and native_name("zh") == "中文"
    assert language_name("pt-BR") == "Portuguese"
    assert all(language_name(code) and native_name(code) for code in SUPPORTED)


# --- detection ---------------------------------------------------------------------------------


def _accuracy(label: str) -> tuple[int, list[tuple[str, Detection]]]:
    results = [(q, detect_language(q)) for q in QUESTIONS[label]]
    misses = [(q, d) for q, d in results if d.code != _expected(label)]
    return len(results) - len(misses), misses


# Indonesian questions that are also correct Malay ("Apa tema simposium tahun 2017?") go to
# Malay: lingua leans Malay on shared text, in low- and high-accuracy mode alike (measured), and
# nothing in the words can tell. Only the visitor's history or browser hint settles those, see
# test_malay_indonesian_* below. Measured without either: 4/8.
FLOOR = {"id": 4}


@pytest.mark.parametrize("label", QUESTIONS)
def test_detection_accuracy(label):
    correct, misses = _accuracy(label)
    assert correct >= FLOOR.get(label, 7), misses


def test_every_supported_language_is_covered():
    assert {_expected(label) for label in QUESTIONS} == set(SUPPORTED)


@pytest.mark.parametrize("label", ["ms", "id"])
def test_malay_indonesian_are_never_mistaken_for_another_language(label):
    assert all(detect_language(q).code in {"ms", "id"} for q in QUESTIONS[label])


@pytest.mark.parametrize("label", ["ms", "id"])
def test_malay_indonesian_tie_breaks_on_history_and_hint(label):
    by_history = [detect_language(q, history_language=label).code for q in QUESTIONS[label]]
    by_hint = [detect_language(q, hint=f"{label}-XX,en;q=0.5").code for q in QUESTIONS[label]]
    assert by_history.count(label) == 8 and by_hint.count(label) == 8


def test_malay_indonesian_marker_words_beat_the_hint():
    assert detect_language("Bolehkah saya mendaftar dalam talian?", hint="id").code == "ms"
    assert detect_language("Kapan batas waktu pengiriman makalah?", hint="ms").code == "id"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("你好", "zh"),
        ("会", "zh"),
        ("สวัสดี", "th"),
        ("ок", None),  # two Cyrillic letters say nothing
        ("Γεια", "el"),
        ("សួស្តី", "km"),
        ("မင်္ဂလာပါ", "my"),
        ("مرحبا", "ar"),
        ("سلام چطوری", "fa"),
        ("ђ", "sr"),
        ("Сәлем", "kk"),
        ("Ўзбек", "uz"),
        ("Nima?", "uz"),
        ("BRISMIS是什么?", "zh"),
        ("¿Dónde será BRISMIS 2025?", "es"),  # trigrams alone said Vietnamese (0.97)
        ("Et qui l'a organisé ?", "fr"),  # trigrams said Serbian (0.74): no Serbian word has an é
        ("Who organised it?", "en"),  # trigrams said Serbian (0.68): "who" is English
    ],
)
def test_script_rules_on_tiny_inputs(text, code):
    detection = detect_language(text, default="en")
    if code is None:
        assert detection.source == "default"
    else:
        assert (detection.code, detection.source) == (code, "script")


def test_one_marker_word_does_not_override_a_language_without_marker_words():
    assert detect_language("Gde je bio simpozijum?").code == "sr"
    assert detect_language("Kako mogu da se prijavim za BRISMIS?").code == "sr"


def test_no_vietnamese_without_its_letters():
    assert detect_language("Dónde será el simposio BRISMIS 2025", hint="es").code == "es"
    assert detect_language("Hội nghị BRISMIS được tổ chức ở đâu?").code == "vi"


@pytest.mark.parametrize("text", ["こんにちは、シンポジウムはいつですか", "심포지엄은 언제 열립니까?"])
def test_unsupported_scripts_fall_through(text):
    assert detect_language(text, hint="fr").source == "hint"


def test_majority_wins_in_mixed_questions():
    assert detect_language("研讨会 symposium 在哪里举行？").code == "zh"
    assert detect_language("Where is the 研讨会 held this year?").code == "en"
    assert detect_language("Где проходит symposium в этом году?").code == "ru"


@pytest.mark.parametrize(("text", "code"), [
    ("Какой deadline для abstracts на BRISMIS 2019?", "ru"),  # was English: more Latin letters
    ("Где прошёл Belt and Road Initiative Science Museum International Symposium?", "ru"),
    ("ما هو الـ email الخاص بـ secretariat؟", "ar"),  # was Portuguese
    ("ما هو موعد BRISMIS International Symposium؟", "ar"),  # was French
    ("Ποιος υπέγραψε το Letter of Agreement on behalf of UNESCO;", "el"),
    ("Who signed the Письмо?", "en"), ("Who is 程东红 and what did he sign?", "en"),
])
def test_a_question_asked_in_one_script_quoting_english_terms_is_in_the_first(text, code):
    assert detect_language(text).code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("BRISMIS是什么?", "zh"),
        ("Что такое BRISMIS?", "ru"),
        ("UNESCO va BRISMIS haqida nima bilasiz?", "uz"),
        ("Qu'est-ce que le BRISMIS et le CANSM ?", "fr"),
    ],
)
def test_acronyms_do_not_count(text, code):
    assert detect_language(text, hint="en").code == code


def test_urls_and_emails_do_not_count():
    text = "https://brismis.example.org/announcements info@brismis.example.org 研讨会在哪里？"
    assert detect_language(text).code == "zh"


@pytest.mark.parametrize("text", ["STEM?", "UNESCO", "ok", "", "2017?", "BRISMIS CANSM"])
def test_short_inputs_fall_back_in_order(text):
    assert detect_language(text, history_language="ru", hint="fr-FR") == Detection(
        "ru", "history", 0.0
    )
    assert detect_language(text, hint="fr-FR") == Detection("fr", "hint", 0.0)
    assert detect_language(text, hint="xx", default="de") == Detection("de", "default", 0.0)
    assert detect_language(text) == Detection("en", "default", 0.0)


def test_text_beats_history():
    detection = detect_language("Where will the next symposium take place?", history_language="ru")
    assert (detection.code, detection.source) == ("en", "lingua")
    assert detection.confidence >= 0.5


def test_question_in_capitals_is_still_read():
    detection = detect_language("WHERE IS THE NEXT SYMPOSIUM HELD?")
    assert (detection.code, detection.source) != ("en", "default")
    assert detection.code == "en"


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("zh-CN", "zh"),
        ("zh-Hant-TW", "zh"),
        ("pt-BR", "pt"),
        ("pt_BR", "pt"),
        ("sr-Latn", "sr"),
        ("sr-Latn-RS", "sr"),
        ("uz-Cyrl", "uz"),
        ("EN-us", "en"),
        ("in", "id"),
        ("ja-JP, ko;q=0.9, ru;q=0.8, en;q=0.7", "ru"),
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr"),
        ("en;q=0.5, de", "de"),
        ("de;q=0, es", "es"),
        ("ja", None),
        ("*", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_language(tag, code):
    assert normalize_language(tag) == code


def test_hint_accepts_accept_language_header():
    assert detect_language("ok", hint="pt-BR,pt;q=0.9,en;q=0.8") == Detection("pt", "hint", 0.0)


def test_short_russian_is_not_read_as_kazakh_without_a_kazakh_letter():
    assert detect_language("Продаёт ли симпозиум билеты?").code == "ru"  # lingua said kk at 0.95
    assert detect_language("Симпозиум қашан өтті?").code == "kk"
    assert detect_language("Симпозиум қачон бўлиб ўтди?").code == "uz"


def test_an_answer_is_read_in_the_language_most_of_it_is_written_in():
    """A Chinese lead-in before an English quote is an English answer to a Chinese visitor."""
    answer = "Согласно объявлениям:\n“The symposium brought together 44 curators and directors of 22 science museums.”"
    assert detect_language(answer, question=False).code == "en"
    assert detect_language(answer).code == "ru"  # as a question: asked in Russian, quoting English


@pytest.mark.parametrize("text", [
    "Ko'rgazmaga nechta maktab o'quvchisi kelgan?",            # lingua read such questions as Malay, English, French
    "Muzey nomidan kim so'zlagan?",
    "Simpozium 2025-yilda qayerda o'tkaziladi?",
    "Konferensiyada nechta davlatdan mehmonlar qatnashgan?",
    "Toshkentdagi muzeyga kirish qancha turadi?",
])
def test_uzbek_latin_is_told_by_its_endings_and_question_words(text):
    assert detect_language(text).code == "uz"


@pytest.mark.parametrize("text, code", [
    ("Berapa ramai pelawat hadir semasa pameran itu?", "ms"),
    ("Ke alamat e-mel mana saya perlu hantar kertas kerja?", "ms"),
    ("Berapa biaya pendaftaran untuk simposium internasional itu?", "id"),
    ("Simposium ini diadakan selepas mesyuarat agung.", "ms"),
])
def test_malay_and_indonesian_are_told_apart_by_their_own_words(text, code):
    assert detect_language(text).code == code


@pytest.mark.parametrize("text", ["The organ was built in 1890, Sudan and Jordan sent delegates.",
                                  "Siapa yang datang dengan tangan kosong?"])
def test_words_ending_like_uzbek_cases_do_not_make_other_languages_uzbek(text):
    assert detect_language(text).code != "uz"


def test_uzbek_is_asked_for_and_checked_in_the_latin_script_it_is_served_in():
    """Asked for "Uzbek", the model wrote Cyrillic Kyrgyz-like text; our Uzbek phrases are Latin."""
    from bot.guard.answer_language import written_in_other_language
    from bot.language import prompt_language

    assert prompt_language("uz") == "Uzbek (Latin script)" and prompt_language("sr") == "Serbian"
    garbled = "БРИСМИ 2023 2023-ги маалыматда 96 куратори и 65 наука музея иштирок этди [1]"
    assert written_in_other_language(garbled, "uz") == "Cyrillic script"
    assert written_in_other_language("BRISMIS 2023 da 8 ta xalqaro tashkilot vakillari bor edi [1]", "uz") is None
    assert written_in_other_language("Симпозијум је одржан у Пекингу 2017. године [1]", "sr") is None


def test_serbian_is_written_back_in_the_latin_letters_of_the_visitor_quotes_aside():
    from bot.language import SerbianLatin, writes_serbian_latin

    assert writes_serbian_latin("Koliko kineskih učesnika je bilo na BRISMIS 2023?", "sr")
    assert not writes_serbian_latin("Колико је учесника било на BRISMIS UNESCO CANSM?", "sr")  # acronyms are no alphabet
    assert not writes_serbian_latin("Kada je održan simpozijum?", "hr")
    latin = SerbianLatin()
    assert latin("Према саопштењима: 15. октобар 2018. Љиљана, Џон, ђак, ћуприја") == \
        "Prema saopštenjima: 15. oktobar 2018. Ljiljana, Džon, đak, ćuprija"
    # a quote opened in one piece of the stream stays verbatim until it closes in a later one
    assert latin("Према: “Симпозијум") + latin(" у Пекингу” [1] и") == "Prema: “Симпозијум у Пекингу” [1] i"


def test_letters_are_counted_by_script():
    """One count serves both alphabet checks: the Serbian visitor's alphabet and the Uzbek script served."""
    from bot.scripts import letters_by_script

    counts = letters_by_script("Koliko je BRISMIS-у eʼlon 2023?")
    assert counts["latin"] == 19 and counts["cyrillic"] == 1 and None not in counts  # ʼ is no letter
    assert letters_by_script("12 [1]") == {}
