"""The guard on generated answers: citation markers, claims, and "I don't know".

The passages are copied verbatim from corpus/cansm-unesco-letter-of-agreement.md (the signing
paragraph, the November 2017 paragraph, the footer). The answers are what the small model writes
in the visitors' languages: correct ones must pass, and the details it is known to invent (a day of
the month, a city, a head count, an e-mail address, a year) must be reported by name.
"""

from __future__ import annotations

import pytest

from bot.guard import Claim, extract_claims, is_dont_know, parse_citations, verify
from bot.phrases import PHRASES

SIGNING = (
    "In the morning of June 24, the signing ceremony of the bilateral Letter of Agreement between "
    "the Chinese Association of Natural Science Museum (CANSM) and the United Nations Educational, "
    "Scientific and Cultural Organization (UNESCO) was held at Shanghai Science and Technology "
    "Museum. The agreement was signed by Dr. Cheng Donghong, President of CANSM, and Dr. Flavia "
    "Schlegel, Assistant Director-General of UNESCO's Natural Sciences. Dr. Yoslan Nur, the UNESCO "
    "representative, Dr. Zuo Huanchen, President of Shanghai Science and Technology Museum, former "
    "President of Shanghai Science Education Development Foundation, Mr. Yang Jianrong, member of "
    "the Standing Committee of Shanghai Municipal CPPCC, Executive Deputy Director of the Committee "
    "of Education, Science, Culture, Health and Sports, former Vice President of Shanghai "
    "Association for Science & Technology, Mr. Cao Hongming, Director of the Department of Science "
    "Popularization of Science and Technology Commission of Shanghai Municipality (STCSM), "
    "representatives from some foreign consulates in Shanghai and several CANSM members attended "
    "the signing ceremony."
)
NOVEMBER = (
    "In November 2017, in order to respond positively to the China-proposed “Belt and Road "
    "Initiative”, and in line with the requirements of the State to encourage social organizations "
    "to actively participate in the work of civil diplomacy, and to focus on the overall goals of "
    "the reform and science popularization work of CAST, CANSM hosted the First International "
    "Symposium on The Development of Natural Science Museums Under the Belt and Road Initiative "
    "(BRISMIS). The symposium brought together leaders or representative of 9 government agencies "
    "and organizations, 44 curators and directors of 22 science related museums and institutions "
    "from the countries involved in Belt and Road countries, more than 140 Chinese curators and "
    "directors from natural history museums, science & technology museums, planetariums, land & "
    "resources museums, etc., as well as enterprises  engaged in science popularization. Based on "
    "the theme of “Collaborative Sharing and Reciprocation: Towards the Co-construction of a Silk "
    "Road for Science Communication”, the participants deeply exchanged their experiences in the "
    "construction, management, and operation of science related museums; they also shared their "
    "insights and ideas concerning the future development of science related museums and the "
    "reciprocation and sharing of science popularization resources, as well as other in-depth "
    "cooperation projects. During the symposium, they reached broad consensus in these aspects. As "
    "one of the important outcomes of BRISMIS, The Beijing Declaration was formally issued at the "
    "conclusion of the symposium. Since then, China Science and Technology Museum, Shanghai Science "
    "and Technology Museum, the Geological Museum of China, Beijing Museum of Natural History, "
    "Beijing Planetarium and other science related museums have signed 16 bilateral cooperation "
    "agreements and letters of intent for “Sharing and Reciprocation Plan of Science Popularization "
    "Resources” with Cambodia, Myanmar, Thailand, Egypt, Kenya, Malaysia, Uzbekistan, Serbia, "
    "Greece, Canada, Australia and other countries. At present, these cooperation projects have "
    "already been implemented or are being implemented."
)
FOOTER = (
    "BRISMIS - Belt and Road Initiative Science Museum International Symposium\n\n"
    "Add: No. 5 Beichen East Road, Chaoyang District, Beijing, 100012, P.R. CHINA\n\n"
    "E-mail: secretariat@brismis.org; brismis@163.com"
)
XI = (
    "Chinese President Xi Jinping pointed out in his speech at the UN Development Summit in 2015 "
    "that “China solemnly promises to implement the post-2015 development agenda as its own "
    "responsibility. All parties unite and cooperate to continuously advance the global cause.”"
)


def unsupported(answer: str, passages: list[str], lang: str) -> list[tuple[str, str]]:
    return [(c.kind, c.normalized) for c in verify(answer, passages, lang).unsupported]


# --- parse_citations -----------------------------------------------------------------------------


def test_single_marker_is_kept():
    assert parse_citations("The first BRISMIS was held in November 2017 [1].", 3) == (
        "The first BRISMIS was held in November 2017 [1].",
        [1],
    )


def test_markers_are_renumbered_by_first_use():
    text, order = parse_citations("Signed on June 24 [3]. Held in November 2017 [1]. Again [3].", 3)
    assert text == "Signed on June 24 [1]. Held in November 2017 [2]. Again [1]."
    assert order == [3, 1]


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("Held in 2017 [1, 2].", "Held in 2017 [1][2]."),
        ("Held in 2017 [1,2,3].", "Held in 2017 [1][2][3]."),
        ("Held in 2017 [1][2].", "Held in 2017 [1][2]."),
        ("Held in 2017 [1-3].", "Held in 2017 [1][2][3]."),
        ("Held in 2017 [1–2].", "Held in 2017 [1][2]."),
        ("第一届BRISMIS于2017年11月举行【1】【2】。", "第一届BRISMIS于2017年11月举行[1][2]。"),
        ("第一届BRISMIS于2017年11月举行［１］。", "第一届BRISMIS于2017年11月举行[1]。"),
        ("عقدت الندوة الأولى في نوفمبر 2017 [١].", "عقدت الندوة الأولى في نوفمبر 2017 [1]."),
        ("Held in 2017 [Passage 2].", "Held in 2017 [1]."),
    ],
)
def test_marker_forms_are_rewritten_as_ascii_brackets(answer, expected):
    assert parse_citations(answer, 3)[0] == expected


def test_out_of_range_numbers_are_dropped():
    text, order = parse_citations("Held in 2017 [0]. Signed on June 24 [9]. Attended by 44 curators [2, 7].", 2)
    assert text == "Held in 2017. Signed on June 24. Attended by 44 curators [1]."
    assert order == [2]


def test_range_is_clipped_to_the_passages():
    assert parse_citations("Held in 2017 [2-100].", 3) == ("Held in 2017 [1][2].", [2, 3])


def test_marker_at_line_start_removed_without_leading_space():
    assert parse_citations("[5] Held in 2017 [1].", 1) == ("Held in 2017 [1].", [1])


def test_repeated_marker_collapses():
    assert parse_citations("Held in 2017 [2][2].", 2) == ("Held in 2017 [1].", [2])


def test_order_maps_new_numbers_to_passages():
    passages = [FOOTER, SIGNING, NOVEMBER]
    text, order = parse_citations("Signed on June 24 [2]; held in November 2017 [3].", len(passages))
    assert text == "Signed on June 24 [1]; held in November 2017 [2]."
    cited = [passages[k - 1] for k in order]
    assert cited == [SIGNING, NOVEMBER]
    assert verify(text, cited, "en").ok


def test_no_markers():
    assert parse_citations("I don't know.", 3) == ("I don't know.", [])


# --- verify: correct answers pass --------------------------------------------------------------

CORRECT = [
    ("en", "The first BRISMIS was held in November 2017 [1].", [NOVEMBER]),
    (
        "en",
        "The agreement was signed on June 24 at the Shanghai Science and Technology Museum by "
        "Dr. Cheng Donghong, President of CANSM, and Dr. Flavia Schlegel, Assistant Director-General "
        "of UNESCO's Natural Sciences [1].",
        [SIGNING],
    ),
    (
        "en",
        "It brought together 9 government agencies, 44 curators and directors of 22 museums, and "
        "more than 140 Chinese curators [1]. The Beijing Declaration was issued at its conclusion [1].",
        [NOVEMBER],
    ),
    (
        "en",
        "You can write to secretariat@brismis.org or brismis@163.com, or visit No. 5 Beichen East "
        "Road, Chaoyang District, Beijing 100012 [1].",
        [FOOTER],
    ),
    ("en", "President Xi Jinping spoke at the UN Development Summit in 2015 [1].", [XI]),
    ("zh", "第一届BRISMIS于2017年11月举行[1]。", [NOVEMBER]),
    ("zh", "协议于6月24日在上海科技馆签署，签署人为程东红博士和Flavia Schlegel博士[1]。", [SIGNING]),
    ("zh", "研讨会汇集了九个政府机构和四十四位馆长[1]。此后签署了十六项双边合作协议[1]。", [NOVEMBER]),
    ("zh", "第一届BRISMIS于二〇一七年十一月举行[1]。", [NOVEMBER]),
    ("ru", "Первый симпозиум прошёл в ноябре 2017 года [1].", [NOVEMBER]),
    ("ru", "Соглашение подписали д-р Чэн Дунхун и д-р Флавия Шлегель [1].", [SIGNING]),
    (
        "ru",
        "Церемония подписания состоялась 24 июня в Шанхайском музее науки и техники [1]. Среди "
        "гостей были д-р Йослан Нур, д-р Цзо Хуаньчэнь, г-н Ян Цзяньжун и г-н Цао Хунмин [1].",
        [SIGNING],
    ),
    ("ar", "عقدت الندوة الأولى في نوفمبر 2017 [1].", [NOVEMBER]),
    ("ar", "تم توقيع الاتفاقية في 24 يونيو في متحف شنغهاي للعلوم والتكنولوجيا [1].", [SIGNING]),
    ("fr", "Le premier symposium s'est tenu en novembre 2017 [1].", [NOVEMBER]),
    (
        "fr",
        "L'accord a été signé le 24 juin au Musée des sciences et technologies de Shanghai par le "
        "Dr Cheng Donghong, président de la CANSM, et la Dre Flavia Schlegel, de l'UNESCO [1].",
        [SIGNING],
    ),
    ("es", "El primer simposio se celebró en noviembre de 2017 [1].", [NOVEMBER]),
    (
        "es",
        "Según el anuncio, la CANSM organizó el Primer Simposio Internacional sobre el Desarrollo "
        "de los Museos de Ciencias Naturales en el marco de la Iniciativa de la Franja y la Ruta "
        "(BRISMIS) [1]. Desde entonces se han firmado 16 acuerdos con Camboya, Tailandia, Egipto, "
        "Kenia, Malasia, Uzbekistán, Serbia, Grecia, Canadá y Australia [1].",
        [NOVEMBER],
    ),
    ("th", "การประชุมสัมมนาครั้งแรกจัดขึ้นในเดือนพฤศจิกายน 2560 [1]", [NOVEMBER]),
    ("el", "Το πρώτο συμπόσιο πραγματοποιήθηκε τον Νοέμβριο του 2017 [1].", [NOVEMBER]),
    (
        "el",
        "Η συμφωνία υπογράφηκε στις 24 Ιουνίου στο Μουσείο Επιστήμης και Τεχνολογίας της Σαγκάης "
        "από τον Δρ. Τσενγκ Ντονγκχόνγκ και τη Δρ. Φλάβια Σλέγκελ [1].",
        [SIGNING],
    ),
    ("sr", "Први симпозијум одржан је у новембру 2017. године [1].", [NOVEMBER]),
    (
        "sr",
        "Споразум су 24. јуна у Шангајском музеју науке и технологије потписали др Ченг Донгхонг и "
        "др Флавија Шлегел [1].",
        [SIGNING],
    ),
    ("uz", "Birinchi simpozium 2017-yil noyabr oyida bo'lib o'tdi [1].", [NOVEMBER]),
    (
        "uz",
        "Kelishuv 24-iyun kuni Shanxay fan va texnologiyalar muzeyida doktor Cheng Donghong va "
        "doktor Flaviya Shlegel tomonidan imzolandi [1].",
        [SIGNING],
    ),
    ("vi", "Hội nghị chuyên đề đầu tiên được tổ chức vào tháng 11 năm 2017 [1].", [NOVEMBER]),
    (
        "vi",
        "Thỏa thuận được ký ngày 24 tháng 6 tại Bảo tàng Khoa học và Công nghệ Thượng Hải bởi Tiến "
        "sĩ Cheng Donghong và Tiến sĩ Flavia Schlegel [1].",
        [SIGNING],
    ),
    ("ms", "Perjanjian itu ditandatangani pada 24 Jun di Muzium Sains dan Teknologi Shanghai [1].", [SIGNING]),
    ("id", "Simposium Internasional Pertama diadakan pada November 2017 [1].", [NOVEMBER]),
    ("tr", "Anlaşma 24 Haziran'da Şanghay Bilim ve Teknoloji Müzesi'nde imzalandı [1].", [SIGNING]),
    ("kk", "Алғашқы симпозиум 2017 жылғы қарашада өтті [1].", [NOVEMBER]),
    ("kk", "Келісімге 24 маусымда Чэн Дунхун мен Флавия Шлегель қол қойды [1].", [SIGNING]),
    ("fa", "نخستین سمپوزیوم در نوامبر ۲۰۱۷ برگزار شد [1].", [NOVEMBER]),
    ("pt", "O acordo foi assinado em 24 de junho no Museu de Ciência e Tecnologia de Xangai [1].", [SIGNING]),
    (
        "de",
        "Die Vereinbarung wurde am 24. Juni im Wissenschafts- und Technikmuseum Shanghai von "
        "Dr. Cheng Donghong und Dr. Flavia Schlegel, Beigeordnete Generaldirektorin der UNESCO, "
        "unterzeichnet [1].",
        [SIGNING],
    ),
    ("km", "សន្និសីទលើកដំបូងត្រូវបានប្រារព្ធឡើងនៅខែវិច្ឆិកា ឆ្នាំ២០១៧ [1]។", [NOVEMBER]),
    ("my", "ပထမအကြိမ် ဆွေးနွေးပွဲကို ၂၀၁၇ ခုနှစ် နိုဝင်ဘာလတွင် ကျင်းပခဲ့သည် [1]။", [NOVEMBER]),
]


@pytest.mark.parametrize("lang, answer, passages", CORRECT, ids=[f"{c[0]}-{i}" for i, c in enumerate(CORRECT)])
def test_correct_answer_passes(lang, answer, passages):
    verdict = verify(answer, passages, lang)
    assert verdict.unsupported == []
    assert not verdict.uncited
    assert verdict.ok


@pytest.mark.parametrize("lang, answer, passages", CORRECT, ids=[f"{c[0]}-{i}" for i, c in enumerate(CORRECT)])
def test_correct_answer_is_not_dont_know(lang, answer, passages):
    assert not is_dont_know(answer, lang)


def test_claim_may_rest_on_any_cited_passage():
    answer = "The first BRISMIS was held in November 2017 [1], and the agreement was signed on June 24 [2]."
    assert verify(answer, [NOVEMBER, SIGNING], "en").ok


def test_numbered_list_markers_are_not_claims():
    answer = "1. The first BRISMIS was held in November 2017 [1].\n2. The agreement was signed on June 24 [2]."
    assert verify(answer, [NOVEMBER, SIGNING], "en").ok
    assert verify("1、第一届BRISMIS于2017年11月举行[1]。\n2、协议于6月24日签署[2]。", [NOVEMBER, SIGNING], "zh").ok


# --- verify: inventions are reported ---------------------------------------------------------

INVENTED = [
    ("zh", "第一届BRISMIS于2017年11月15日举行[1]。", [NOVEMBER], ("date", "2017-11-15")),
    ("en", "The first BRISMIS was held in November 2018 [1].", [NOVEMBER], ("year", "2018")),
    ("en", "The first BRISMIS was held in November 2018 [1].", [NOVEMBER], ("date", "2018-11")),
    # 2015 is in the passage (post-2015 agenda) but not as the month of the symposium.
    ("en", "The first BRISMIS was held in November 2015 [1].", [NOVEMBER, XI], ("date", "2015-11")),
    ("zh", "第一届BRISMIS于二〇一八年十一月举行[1]。", [NOVEMBER], ("year", "2018")),
    ("ar", "عقدت الندوة الأولى في ديسمبر 2017 [1].", [NOVEMBER], ("date", "2017-12")),
    ("ar", "عقدت الندوة الأولى في ١٥ نوفمبر ٢٠١٧ [1].", [NOVEMBER], ("date", "2017-11-15")),
    ("ru", "Соглашение подписали 25 июня [1].", [SIGNING], ("date", "--06-25")),
    ("de", "Die Vereinbarung wurde am 25. Juni unterzeichnet [1].", [SIGNING], ("date", "--06-25")),
    ("th", "การประชุมครั้งแรกจัดขึ้นเมื่อวันที่ 15 พฤศจิกายน 2560 [1]", [NOVEMBER], ("date", "2017-11-15")),
    ("en", "The first symposium took place on 2017-11-15 [1].", [NOVEMBER], ("date", "2017-11-15")),
    ("en", "The agreement was signed in Beirut [1].", [SIGNING], ("name", "beirut")),
    ("ar", "تم توقيع الاتفاقية في بيروت [1].", [SIGNING], ("name", "beirut")),
    ("zh", "协议在贝鲁特签署[1]。", [SIGNING], ("name", "beirut")),
    ("es", "El acuerdo se firmó en Beirut [1].", [SIGNING], ("name", "beirut")),
    ("fr", "Le symposium s'est tenu à Paris en novembre 2017 [1].", [NOVEMBER], ("name", "paris")),
    ("de", "Die Vereinbarung wurde in Berlin unterzeichnet [1].", [SIGNING], ("name", "berlin")),
    ("vi", "Hội nghị được tổ chức tại Paris vào tháng 11 năm 2017 [1].", [NOVEMBER], ("name", "paris")),
    ("tr", "Anlaşma 24 Haziran'da Ankara'da imzalandı [1].", [SIGNING], ("name", "ankara")),
    ("fa", "این توافق‌نامه در ۲۴ ژوئن در تهران امضا شد [1].", [SIGNING], ("name", "tehran")),
    ("ru", "Симпозиум прошёл в Бейруте в ноябре 2017 года [1].", [NOVEMBER], ("name", "беируте")),
    ("ru", "Соглашение подписала д-р Мария Иванова [1].", [SIGNING], ("name", "мария иванова")),
    ("el", "Η συμφωνία υπογράφηκε από τον Γιάννη Παπαδόπουλο [1].", [SIGNING], ("name", "γιαννη παπαδοπουλο")),
    ("en", "It was signed by Dr. Flavia Müller [1].", [SIGNING], ("name", "muller")),
    ("en", "The symposium gathered 45 curators [1].", [NOVEMBER], ("number", "45")),
    ("en", "The symposium gathered forty-five curators [1].", [NOVEMBER], ("number", "45")),
    ("zh", "研讨会汇集了四十五位馆长[1]。", [NOVEMBER], ("number", "45")),
    ("es", "Asistieron 44 curadores de 23 museos [1].", [NOVEMBER], ("number", "23")),
    ("en", "The postcode is 100013 [1].", [FOOTER], ("number", "100013")),
    ("en", "Write to info@brismis.org [1].", [FOOTER], ("email", "info@brismis.org")),
    ("en", "Write to tariat@brismis.org [1].", [FOOTER], ("email", "tariat@brismis.org")),
    ("en", "See https://www.unesco.org/brismis for details [1].", [FOOTER], ("url", "unesco.org/brismis")),
]


@pytest.mark.parametrize(
    "lang, answer, passages, claim", INVENTED, ids=[f"{c[0]}-{c[3][1]}" for c in INVENTED]
)
def test_invented_detail_is_reported(lang, answer, passages, claim):
    verdict = verify(answer, passages, lang)
    assert not verdict.ok
    assert claim in [(c.kind, c.normalized) for c in verdict.unsupported]


def test_only_the_invented_claim_is_reported():
    answer = "第一届BRISMIS于2017年11月15日举行，汇集了44位馆长[1]。"
    [claim] = verify(answer, [NOVEMBER], "zh").unsupported
    assert claim == Claim("date", "2017年11月15日", "2017-11-15")


def test_a_city_named_inside_a_longer_name_of_the_passage_is_supported():
    """"上海" of "上海科技馆": Chinese has no spaces, so the passage has no word "上海" (a verbatim quote of
    the passage was rejected for it); another city still is not."""
    passage = "参加活动的观众需通过上海科技馆官方微信公众号提前实名预约，每个预约账号最多可预约4人。"
    assert verify(f"{passage}[1]", [passage], "zh").unsupported == []
    assert verify("观众需通过上海科技馆预约[1]。", [passage], "zh").unsupported == []
    assert [c.text for c in verify("观众需通过北京科技馆预约[1]。", [passage], "zh").unsupported] == ["北京"]


def test_an_arabic_and_written_onto_an_e_mail_address_is_not_part_of_it():
    """"وbrismis@163.com" is "and brismis@163.com": the draft was rejected for an address no passage gives."""
    assert [c.text for c in extract_claims("هو secretariat@brismis.org [1] وbrismis@163.com [2].", "ar")
            if c.kind == "email"] == ["secretariat@brismis.org", "brismis@163.com"]


def test_fact_from_an_uncited_passage_is_unsupported():
    """The date is in NOVEMBER, but the answer cites the footer: the citation does not hold it."""
    answer = "The first BRISMIS was held in November 2017 [1]."
    assert verify(answer, [NOVEMBER], "en").ok
    assert ("date", "2017-11") in unsupported(answer, [FOOTER], "en")
    assert ("year", "2017") in unsupported(answer, [FOOTER], "en")  # the copyright line is not in FOOTER


# --- verify: uncited answers ---------------------------------------------------------------------


def test_answer_with_facts_and_no_marker_is_uncited():
    verdict = verify("The first BRISMIS was held in November 2017.", [NOVEMBER], "en")
    assert verdict.uncited and not verdict.ok
    assert verdict.unsupported == []  # the facts themselves are in the passage


def test_long_answer_without_claims_or_marker_is_uncited():
    verdict = verify("The symposium was an important event for science museums in many countries.", [NOVEMBER], "en")
    assert verdict.uncited and not verdict.ok


def test_short_answer_without_claims_is_not_uncited():
    assert verify("Yes.", [], "en").ok


def test_answer_citing_only_a_nonexistent_passage_is_uncited():
    """The model cites [4] of three passages: the marker is dropped, nothing is left to cite."""
    text, order = parse_citations("The first BRISMIS was held in November 2017 [4].", 3)
    assert (text, order) == ("The first BRISMIS was held in November 2017.", [])
    verdict = verify(text, [], "en")
    assert verdict.uncited and not verdict.ok


def test_chinese_answer_without_marker_is_uncited():
    assert verify("第一届BRISMIS于2017年11月举行。", [NOVEMBER], "zh").uncited


# --- extract_claims --------------------------------------------------------------------------


def claims(answer: str, lang: str, kind: str | None = None) -> list[tuple[str, str]]:
    return [(c.kind, c.normalized) for c in extract_claims(answer, lang) if kind is None or c.kind == kind]


@pytest.mark.parametrize(
    "text, value",
    [
        ("1,000", "1000"),
        ("1 000", "1000"),
        ("1.000", "1000"),
        ("1\u202f000", "1000"),
        ("１４０", "140"),  # full-width
        ("١٤٠", "140"),  # Arabic-Indic
        ("۱۴۰", "140"),  # Persian
        ("๑๔๐", "140"),  # Thai
        ("१४०", "140"),  # Devanagari
        ("1.5", "1.5"),
    ],
)
def test_numbers_in_any_script_are_normalised(text, value):
    assert claims(f"There were {text} visitors [1].", "en", "number") == [("number", value)]


@pytest.mark.parametrize(
    "answer, expected",
    [
        ("此后签署了十六项协议。", [("number", "16")]),
        ("汇集了四十四位馆长。", [("number", "44")]),
        ("一百四十多位中国馆长。", [("number", "140")]),
        ("研讨会于二〇一七年举行。", [("year", "2017")]),
        ("研讨会于2017年举行。", [("year", "2017")]),
        ("响应“一带一路”倡议，十分重要，是成果之一。", []),
        ("第二届在四川省成都市举办。", [("number", "2")]),  # 四川 (Sichuan) is a name, not four
    ],
)
def test_chinese_numerals(answer, expected):
    assert claims(answer, "zh") == expected


def test_a_number_must_match_a_whole_number():
    """4 is not supported by 44, nor 14 by 140."""
    assert unsupported("There were 4 curators and 14 directors [1].", [NOVEMBER], "en") == [
        ("number", "4"),
        ("number", "14"),
    ]


def test_year_and_number_kinds():
    assert claims("In 2017, 44 curators came [1].", "en") == [("year", "2017"), ("number", "44")]
    assert claims("２０１７年", "zh") == [("year", "2017")]


@pytest.mark.parametrize(
    "lang, answer, normalized",
    [
        ("en", "signed on June 24", "--06-24"),
        ("en", "signed on 24th of June", "--06-24"),
        ("zh", "于6月24日签署", "--06-24"),
        ("zh", "于六月二十四日签署", "--06-24"),
        ("ru", "подписано 24 июня", "--06-24"),
        ("fr", "signé le 24 juin", "--06-24"),
        ("es", "firmado el 24 de junio", "--06-24"),
        ("pt", "assinado em 24 de junho", "--06-24"),
        ("de", "am 24. Juni unterzeichnet", "--06-24"),
        ("uz", "24-iyun kuni imzolandi", "--06-24"),
        ("vi", "ký ngày 24 tháng 6", "--06-24"),
        ("ar", "وقعت في ٢٤ يونيو", "--06-24"),
        ("ar", "وقعت في يونيو 24", "--06-24"),  # the English order, as a model writes it
        ("ar", "وقعت في 24 حزيران/يونيو 2018", "2018-06-24"),  # one month in its two names
        ("ar", "وقعت في 24 يونيو (حزيران) 2018", "2018-06-24"),
        ("en", "held in November 2017", "2017-11"),
        ("zh", "2017年11月举行", "2017-11"),
        ("ru", "в ноябре 2017 года", "2017-11"),
        ("sr", "у новембру 2017. године", "2017-11"),
        ("sr", "u novembru 2017. godine", "2017-11"),
        ("el", "τον Νοέμβριο του 2017", "2017-11"),
        ("uz", "2017-yil noyabr oyida", "2017-11"),
        ("vi", "vào tháng 11 năm 2017", "2017-11"),
        ("tr", "Kasım 2017'de", "2017-11"),
        ("kk", "2017 жылғы қарашада", "2017-11"),
        ("fa", "در نوامبر ۲۰۱۷", "2017-11"),
        ("pt", "em novembro de 2017", "2017-11"),
        ("id", "pada November 2017", "2017-11"),
        ("th", "ในเดือนพฤศจิกายน 2560", "2017-11"),  # Buddhist era
        ("km", "នៅខែវិច្ឆិកា ឆ្នាំ២០១៧", "2017-11"),
        ("my", "၂၀၁၇ ခုနှစ် နိုဝင်ဘာလတွင်", "2017-11"),
        ("ms", "pada bulan November", "--11"),
    ],
)
def test_month_names_in_every_language(lang, answer, normalized):
    assert claims(answer, lang, "date") == [("date", normalized)]


def test_day_digits_are_part_of_the_date_not_a_number():
    assert claims("It was signed on June 24 [1].", "en") == [("date", "--06-24")]
    assert claims("Подписано 24 июня [1].", "ru") == [("date", "--06-24")]


RANGE_EN = "The first Training Workshop was held in Beijing from October 15 to 26, 2018."


@pytest.mark.parametrize("lang, answer", [
    ("en", "October 15–26, 2018 [1]."),
    ("es", "Del 15 al 26 de octubre de 2018 [1]."),
    ("ru", "С 15 по 26 октября 2018 года [1]."),
    ("fr", "Du 15 au 26 octobre 2018 [1]."),
    ("zh", "2018年10月15日至26日 [1]。"),
    ("zh", "2018年10月15—26日 [1]。"),
    ("sr", "Од 15. до 26. октобра 2018. [1]"),
    ("ar", "من 15 إلى 26 أكتوبر 2018 [1]."),
])
def test_both_days_of_a_date_range_belong_to_its_month(lang, answer):
    """"October 15 to 26, 2018": the 26 is a day of October 2018, in the passage and in the answer."""
    assert sorted(n for k, n in claims(answer, lang) if k == "date") == ["2018-10-15", "2018-10-26"]
    assert verify(answer, [RANGE_EN], lang).ok
    wrong = answer.replace("26", "27")
    assert [c.normalized for c in verify(wrong, [RANGE_EN], lang).unsupported] == ["2018-10-27"]


def test_may_as_a_verb_is_not_a_month():
    assert claims("You may contact the secretariat [1].", "en", "date") == []
    assert claims("It was held in May 2018 [1].", "en", "date") == [("date", "2018-05")]


def test_email_and_url_digits_are_not_numbers():
    found = claims("Write to brismis@163.com or see http://www.brismis.org/event/1121.jhtml [1].", "en")
    assert found == [("email", "brismis@163.com"), ("url", "brismis.org/event/1121.jhtml")]
    assert verify("Write to brismis@163.com or see www.brismis.org [1].", [FOOTER + " www.brismis.org"], "en").ok


# --- names -------------------------------------------------------------------------------------


def test_number_words_in_the_passage_support_digits():
    assert verify("The two parties support the symposium [1].", ["In view of the consensus of the two parties"], "en").ok
    assert verify("Les deux parties, soit 2 organisations [1].", ["the two parties"], "fr").ok
    assert verify("Signed by 2 parties [1].", ["signed by nine"], "en").unsupported


def test_sentence_initial_common_words_are_not_names():
    answer = "According to the announcement, attendees included Mr. Cao Hongming [1]. Participants came from 22 museums [2]."
    assert verify(answer, [SIGNING, NOVEMBER], "en").ok


def test_sentence_initial_word_from_the_question_is_accepted():
    answer = "Registration details are not in the announcement, but the symposium was in November 2017 [1]."
    assert not verify(answer, [NOVEMBER], "en").ok
    assert verify(answer, [NOVEMBER], "en", question="What about registration?").ok


def test_translated_institution_names_are_not_flagged():
    answer = (
        "Según el anuncio, en noviembre de 2017 la CANSM organizó el Primer Simposio Internacional "
        "(BRISMIS) [1]. Al final se publicó la Declaración de Pekín [1]."
    )
    assert verify(answer, [NOVEMBER], "es").ok


@pytest.mark.parametrize("lang, answer", [
    ("ms", "Seramai 44 kurator hadir di Pusat Sains dan Teknologi pada November 2017 [1]."),
    ("es", "En noviembre de 2017 se reunieron 44 conservadores de Países de la Franja y la Ruta [1]."),
    ("ru", "Третье упоминание: в ноябре 2017 года собрались 44 куратора [1]."),
])
def test_translated_common_words_are_not_names(lang, answer):
    assert verify(answer, [NOVEMBER], lang).ok, unsupported(answer, [NOVEMBER], lang)


def test_german_nouns_are_not_names_but_foreign_names_are():
    ok = "Die Unterzeichnung fand in Shanghai statt; anwesend waren Vertreter ausländischer Konsulate [1]."
    assert verify(ok, [SIGNING], "de").ok
    assert unsupported("Unterzeichnet von Dr. Flavia Müller [1].", [SIGNING], "de") == [("name", "muller")]


def test_vietnamese_sino_vietnamese_names_are_skipped_foreign_ones_checked():
    assert verify("Lễ ký kết diễn ra tại Thượng Hải vào ngày 24 tháng 6 [1].", [SIGNING], "vi").ok
    assert ("name", "london") in unsupported("Lễ ký kết diễn ra tại London [1].", [SIGNING], "vi")


def test_cyrillic_and_greek_names_are_transliterated():
    assert verify("Речь произнёс председатель Си Цзиньпин в 2015 году [1].", [XI], "ru").ok
    assert verify("Η Φλάβια Σλέγκελ υπέγραψε τη συμφωνία [1].", [SIGNING], "el").ok
    assert ("name", "шэньчжэне") in unsupported("Соглашение подписано в Шэньчжэне [1].", [SIGNING], "ru")


def test_invented_acronym_is_flagged():
    assert ("name", "who") in unsupported("The WHO also signed the agreement [1].", [SIGNING], "en")
    assert ("name", "who") in unsupported("Die WHO hat die Vereinbarung unterzeichnet [1].", [SIGNING], "de")


# --- is_dont_know -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", sorted(PHRASES))
def test_the_assistants_own_decline_is_dont_know(lang):
    assert is_dont_know(PHRASES[lang]["decline_no_contact"], lang)
    assert is_dont_know(PHRASES[lang]["decline"].format(contact="secretariat@brismis.org"), lang)


@pytest.mark.parametrize(
    "lang, answer",
    [
        ("en", "I don't know."),
        ("en", "The passages do not mention the registration fee."),
        ("zh", "公告中没有提到注册费用。"),
        ("ru", "Стоимость участия не указана."),
        ("ar", "لا تذكر المقاطع رسوم التسجيل."),
        ("fr", "Le texte ne précise pas le lieu du prochain symposium."),
        ("es", "No se menciona la fecha del próximo simposio."),
        ("de", "Das wird in den Mitteilungen nicht erwähnt."),
        ("tr", "Bu konuda bilgi yok."),
        ("vi", "Thông báo không đề cập đến phí đăng ký."),
        ("th", "ไม่ได้ระบุค่าลงทะเบียน"),
        ("pt", "Os textos não mencionam a taxa de inscrição."),
    ],
)
def test_model_dont_know_phrasings(lang, answer):
    assert is_dont_know(answer, lang)


def test_partial_answer_with_citation_is_not_dont_know():
    answer = (
        "The exact day is not mentioned, but the first BRISMIS was held in November 2017 and brought "
        "together 44 curators from 22 museums [1]."
    )
    assert not is_dont_know(answer, "en")
    assert verify(answer, [NOVEMBER], "en").ok


def test_ordinary_negation_is_not_dont_know():
    assert not is_dont_know("No, the symposium was not held in 2018; it was held in November 2017 [1].", "en")
    assert not is_dont_know("No, el simposio no se celebró en Beirut sino en China [1].", "es")
