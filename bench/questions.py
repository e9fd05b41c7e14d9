"""Benchmark questions about the seed announcement (corpus/cansm-unesco-letter-of-agreement.md).

ANSWERABLE: (question, language, evidence) where ``evidence`` is a short exact substring of the
announcement text; a retrieved passage "hits" when it contains it. Evidence strings are chosen to
occur where the answer is (e.g. "held at Shanghai Science and Technology Museum" rather than the
museum name, which also occurs in a list of museums elsewhere). ``check_evidence`` verifies them.

UNANSWERABLE: (question, language, kind) with kind "off-topic" (nothing to do with BRISMIS) or
"on-topic" (about BRISMIS or the agreement, but the announcement does not say).
"""

from __future__ import annotations

LANGUAGES = ("en", "zh", "ru", "ar", "fr", "es", "th", "ms", "el", "sr", "uz", "vi")

ANSWERABLE: list[tuple[str, str, str]] = [
    # ------------------------------------------------------------------ English
    ("When was the first BRISMIS symposium held?", "en", "In November 2017"),
    ("On what date was the letter of agreement between CANSM and UNESCO signed?", "en", "June 24"),
    ("Where did the signing ceremony take place?", "en", "held at Shanghai Science and Technology Museum"),
    ("Who signed the agreement on behalf of UNESCO?", "en", "Flavia Schlegel"),
    ("How many foreign curators attended the first symposium?", "en", "44 curators"),
    ("What is the e-mail address of the BRISMIS secretariat?", "en", "secretariat@brismis.org"),
    ("How often is the BRISMIS symposium held?", "en", "biennial"),
    ("What was the theme of the first symposium?", "en", "Collaborative Sharing and Reciprocation"),
    ("What did Xi Jinping promise at the UN summit in 2015?", "en", "UN Development Summit in 2015"),
    ("How many bilateral cooperation agreements have the museums signed since the symposium?", "en",
     "16 bilateral cooperation agreements"),
    ("Who represented UNESCO at the ceremony?", "en", "Dr. Yoslan Nur"),
    ("What does CANSM stand for?", "en", "Chinese Association of Natural Science Museum"),
    # exact names and acronyms (what the lexical ranker is there for)
    ("Who is Cao Hongming?", "en", "Cao Hongming, Director of the Department"),
    ("What position does Yang Jianrong hold?", "en", "Yang Jianrong, member of the Standing Committee"),
    ("What is STCSM?", "en", "Science and Technology Commission of Shanghai Municipality (STCSM)"),
    ("What is brismis@163.com?", "en", "brismis@163.com"),
    # ------------------------------------------------------------------ Chinese
    ("中国自然科学博物馆协会和联合国教科文组织的合作协议是哪天签署的？", "zh", "June 24"),
    ("签约仪式在哪里举行？", "zh", "held at Shanghai Science and Technology Museum"),
    ("谁代表中国自然科学博物馆协会签署了协议？", "zh", "Cheng Donghong"),
    ("首届研讨会有多少位中国馆长参加？", "zh", "more than 140 Chinese curators"),
    ("首届研讨会闭幕时正式发布了什么宣言？", "zh", "The Beijing Declaration"),
    ("BRISMIS秘书处的地址是什么？", "zh", "No. 5 Beichen East Road"),
    ("协议里提到要怎样支持STEM教育？", "zh", "STEM"),
    ("研讨会之后一共签署了多少项双边合作协议？", "zh", "16 bilateral cooperation agreements"),
    # ------------------------------------------------------------------ Russian
    ("Когда состоялся первый симпозиум BRISMIS?", "ru", "In November 2017"),
    ("Кто подписал соглашение со стороны ЮНЕСКО?", "ru", "Flavia Schlegel"),
    ("Сколько государственных ведомств и организаций было представлено на симпозиуме?", "ru",
     "9 government agencies"),
    ("С какими странами китайские музеи подписали соглашения о сотрудничестве?", "ru", "Cambodia, Myanmar"),
    ("Как часто проводится симпозиум BRISMIS?", "ru", "biennial"),
    ("Какой адрес электронной почты у секретариата BRISMIS?", "ru", "secretariat@brismis.org"),
    ("Что сказал Си Цзиньпин на саммите ООН по устойчивому развитию в 2015 году?", "ru",
     "UN Development Summit in 2015"),
    ("Какую должность занимает Флавия Шлегель в ЮНЕСКО?", "ru", "Assistant Director-General"),
    ("Кто такой Ян Цзяньжун?", "ru", "Yang Jianrong, member of the Standing Committee"),
    # ------------------------------------------------------------------ Arabic
    ("متى تم توقيع خطاب الاتفاق بين الجمعية الصينية لمتاحف العلوم الطبيعية واليونسكو؟", "ar", "June 24"),
    ("من وقّع الاتفاقية نيابةً عن الجمعية الصينية لمتاحف العلوم الطبيعية؟", "ar", "Cheng Donghong"),
    ("كم عدد أمناء المتاحف الأجانب الذين شاركوا في الندوة الأولى؟", "ar", "44 curators"),
    ("ما هو موضوع الندوة الدولية الأولى؟", "ar", "Collaborative Sharing and Reciprocation"),
    ("ما الوثيقة التي صدرت في ختام الندوة؟", "ar", "The Beijing Declaration"),
    ("ما هو عنوان البريد الإلكتروني لأمانة BRISMIS؟", "ar", "secretariat@brismis.org"),
    ("كل كم سنة تُعقد ندوة BRISMIS؟", "ar", "biennial"),
    ("هل تدعم الاتفاقية تنظيم ورش عمل تدريبية؟", "ar", "training workshops"),
    # ------------------------------------------------------------------ French
    ("Quand le premier symposium BRISMIS a-t-il eu lieu ?", "fr", "In November 2017"),
    ("Où s'est déroulée la cérémonie de signature de l'accord ?", "fr",
     "held at Shanghai Science and Technology Museum"),
    ("Qui a signé l'accord au nom de l'UNESCO ?", "fr", "Flavia Schlegel"),
    ("Combien de musées scientifiques des pays de la Ceinture et la Route étaient représentés ?", "fr",
     "22 science related museums"),
    ("Combien d'accords de coopération bilatérale ont été signés depuis le symposium ?", "fr",
     "16 bilateral cooperation agreements"),
    ("Quelle est l'adresse postale du secrétariat de BRISMIS ?", "fr", "No. 5 Beichen East Road"),
    ("L'accord prévoit-il un soutien à l'éducation STEM ?", "fr", "STEM"),
    ("Que signifie le sigle CANSM ?", "fr", "Chinese Association of Natural Science Museum"),
    ("Qui est Zuo Huanchen ?", "fr", "Zuo Huanchen, President of Shanghai Science and Technology Museum"),
    # ------------------------------------------------------------------ Spanish
    ("¿En qué fecha se firmó la carta de acuerdo entre la CANSM y la UNESCO?", "es", "June 24"),
    ("¿Quién firmó el acuerdo en nombre de la CANSM?", "es", "Cheng Donghong"),
    ("¿Cuántos conservadores chinos asistieron al primer simposio?", "es", "more than 140 Chinese curators"),
    ("¿Cuál fue el lema del primer simposio BRISMIS?", "es", "Collaborative Sharing and Reciprocation"),
    ("¿Con qué países se firmaron acuerdos de cooperación?", "es", "Cambodia, Myanmar"),
    ("¿Cada cuánto se celebra el simposio BRISMIS?", "es", "biennial"),
    ("¿Cuál es el correo electrónico de la secretaría de BRISMIS?", "es", "secretariat@brismis.org"),
    ("¿Quién es el presidente del Museo de Ciencia y Tecnología de Shanghái?", "es", "Dr. Zuo Huanchen"),
    # ------------------------------------------------------------------ Thai
    ("พิธีลงนามข้อตกลงระหว่าง CANSM กับยูเนสโกจัดขึ้นที่ไหน", "th",
     "held at Shanghai Science and Technology Museum"),
    ("ใครเป็นผู้ลงนามในข้อตกลงฝ่ายยูเนสโก", "th", "Flavia Schlegel"),
    ("การประชุมสัมมนา BRISMIS ครั้งแรกจัดขึ้นเมื่อไหร่", "th", "In November 2017"),
    ("มีหน่วยงานรัฐบาลและองค์กรกี่แห่งเข้าร่วมการประชุมสัมมนา", "th", "9 government agencies"),
    ("ประเทศไทยได้ลงนามข้อตกลงความร่วมมือกับพิพิธภัณฑ์จีนหรือไม่", "th", "Myanmar, Thailand"),
    ("ปฏิญญาอะไรที่ประกาศในตอนท้ายของการประชุมสัมมนา", "th", "The Beijing Declaration"),
    ("อีเมลของสำนักเลขาธิการ BRISMIS คืออะไร", "th", "secretariat@brismis.org"),
    # ------------------------------------------------------------------ Malay
    ("Bilakah surat perjanjian antara CANSM dan UNESCO ditandatangani?", "ms", "June 24"),
    ("Siapakah yang menandatangani perjanjian bagi pihak CANSM?", "ms", "Cheng Donghong"),
    ("Berapakah bilangan kurator asing yang menghadiri simposium pertama?", "ms", "44 curators"),
    ("Adakah Malaysia menandatangani perjanjian kerjasama dengan muzium China?", "ms", "Kenya, Malaysia"),
    ("Apakah tema simposium BRISMIS yang pertama?", "ms", "Collaborative Sharing and Reciprocation"),
    ("Berapa kerap simposium BRISMIS diadakan?", "ms", "biennial"),
    ("Apakah alamat sekretariat BRISMIS?", "ms", "No. 5 Beichen East Road"),
    ("Apakah maksud singkatan STCSM?", "ms", "Science and Technology Commission of Shanghai Municipality (STCSM)"),
    # ------------------------------------------------------------------ Greek
    ("Πότε πραγματοποιήθηκε το πρώτο συμπόσιο BRISMIS;", "el", "In November 2017"),
    ("Ποιος υπέγραψε τη συμφωνία εκ μέρους της UNESCO;", "el", "Flavia Schlegel"),
    ("Πού έγινε η τελετή υπογραφής της συμφωνίας;", "el", "held at Shanghai Science and Technology Museum"),
    ("Πόσοι Κινέζοι διευθυντές μουσείων συμμετείχαν στο συμπόσιο;", "el", "more than 140 Chinese curators"),
    ("Έχει υπογράψει η Ελλάδα συμφωνία συνεργασίας με κινεζικά μουσεία;", "el", "Serbia, Greece"),
    ("Ποιο κείμενο εκδόθηκε στο τέλος του συμποσίου;", "el", "The Beijing Declaration"),
    ("Ποια είναι η διεύθυνση ηλεκτρονικού ταχυδρομείου της γραμματείας του BRISMIS;", "el",
     "secretariat@brismis.org"),
    # ------------------------------------------------------------------ Serbian (Cyrillic and Latin)
    ("Када је потписан споразум између CANSM и UNESCO?", "sr", "June 24"),
    ("Ко је потписао споразум у име CANSM?", "sr", "Cheng Donghong"),
    ("Колико је билатералних споразума о сарадњи потписано после симпозијума?", "sr",
     "16 bilateral cooperation agreements"),
    ("Da li je Srbija potpisala sporazum o saradnji sa kineskim muzejima?", "sr", "Uzbekistan, Serbia"),
    ("Koja je bila tema prvog simpozijuma BRISMIS?", "sr", "Collaborative Sharing and Reciprocation"),
    ("Колико често се одржава симпозијум BRISMIS?", "sr", "biennial"),
    ("Šta je Si Đinping rekao na samitu UN o razvoju 2015. godine?", "sr", "UN Development Summit in 2015"),
    # ------------------------------------------------------------------ Uzbek (Latin)
    ("CANSM va YUNESKO o'rtasidagi kelishuv qachon imzolangan?", "uz", "June 24"),
    ("Imzolash marosimi qayerda bo'lib o'tdi?", "uz", "held at Shanghai Science and Technology Museum"),
    ("Kelishuvni YUNESKO nomidan kim imzolagan?", "uz", "Flavia Schlegel"),
    ("Birinchi BRISMIS simpoziumi qachon o'tkazilgan?", "uz", "In November 2017"),
    ("O'zbekiston Xitoy muzeylari bilan hamkorlik kelishuvini imzolaganmi?", "uz", "Malaysia, Uzbekistan"),
    ("Simpoziumda nechta davlat idorasi va tashkilot vakillari qatnashdi?", "uz", "9 government agencies"),
    ("BRISMIS kotibiyatining elektron pochta manzili qanday?", "uz", "secretariat@brismis.org"),
    # ------------------------------------------------------------------ Vietnamese
    ("Thư thỏa thuận giữa CANSM và UNESCO được ký vào ngày nào?", "vi", "June 24"),
    ("Ai đã ký thỏa thuận thay mặt CANSM?", "vi", "Cheng Donghong"),
    ("Có bao nhiêu giám đốc bảo tàng nước ngoài tham dự hội thảo đầu tiên?", "vi", "44 curators"),
    ("Chủ đề của hội thảo BRISMIS đầu tiên là gì?", "vi", "Collaborative Sharing and Reciprocation"),
    ("Văn kiện nào được công bố khi kết thúc hội thảo?", "vi", "The Beijing Declaration"),
    ("Hội thảo BRISMIS được tổ chức bao lâu một lần?", "vi", "biennial"),
    ("Thỏa thuận có hỗ trợ giáo dục STEM không?", "vi", "STEM"),
    ("Địa chỉ của ban thư ký BRISMIS ở đâu?", "vi", "No. 5 Beichen East Road"),
    ("Cao Hongming là ai?", "vi", "Cao Hongming, Director of the Department"),
]

UNANSWERABLE: list[tuple[str, str, str]] = [
    # ------------------------------------------------------------------ English
    ("What will the weather be like in Beijing tomorrow?", "en", "off-topic"),
    ("How do I make a good carbonara?", "en", "off-topic"),
    ("How much is a ticket for BRISMIS 2025?", "en", "on-topic"),
    ("Who is the Director-General of UNESCO?", "en", "on-topic"),
    ("Is there parking at the conference venue?", "en", "on-topic"),
    # ------------------------------------------------------------------ Chinese
    ("明天上海会下雨吗？", "zh", "off-topic"),
    ("昨晚的足球比赛谁赢了？", "zh", "off-topic"),
    ("2025年BRISMIS具体在哪几天举行？", "zh", "on-topic"),
    ("参会人员可以申请签证邀请函吗？", "zh", "on-topic"),
    # ------------------------------------------------------------------ Russian
    ("Какой сегодня курс доллара к рублю?", "ru", "off-topic"),
    ("Как приготовить борщ?", "ru", "off-topic"),
    ("Сколько стоит участие в симпозиуме BRISMIS?", "ru", "on-topic"),
    ("Какую гостиницу вы порекомендуете участникам симпозиума?", "ru", "on-topic"),
    # ------------------------------------------------------------------ Arabic
    ("كيف سيكون الطقس في دبي غدًا؟", "ar", "off-topic"),
    ("ما هي أفضل طريقة لتحضير الكبسة؟", "ar", "off-topic"),
    ("هل تساعدون المشاركين في الحصول على تأشيرة الدخول إلى الصين؟", "ar", "on-topic"),
    ("من هو المدير العام الحالي لليونسكو؟", "ar", "on-topic"),
    # ------------------------------------------------------------------ French
    ("Quel temps fera-t-il à Paris ce week-end ?", "fr", "off-topic"),
    ("Qui a gagné la Coupe du monde de football en 2018 ?", "fr", "off-topic"),
    ("Quelles sont les dates de BRISMIS 2025 ?", "fr", "on-topic"),
    ("Y a-t-il un parking près du lieu du symposium ?", "fr", "on-topic"),
    # ------------------------------------------------------------------ Spanish
    ("¿Cómo se prepara una paella valenciana?", "es", "off-topic"),
    ("¿Cuál es el mejor teléfono móvil de este año?", "es", "off-topic"),
    ("¿Cuánto cuestan las entradas para BRISMIS?", "es", "on-topic"),
    ("¿Qué hotel recomiendan cerca del lugar del simposio?", "es", "on-topic"),
    # ------------------------------------------------------------------ Thai
    ("พรุ่งนี้กรุงเทพฯ ฝนจะตกไหม", "th", "off-topic"),
    ("วิธีทำต้มยำกุ้งให้อร่อย", "th", "off-topic"),
    ("ค่าลงทะเบียนเข้าร่วม BRISMIS เท่าไหร่", "th", "on-topic"),
    ("ผู้เข้าร่วมต้องขอวีซ่าเข้าประเทศจีนอย่างไร", "th", "on-topic"),
    # ------------------------------------------------------------------ Malay
    ("Bagaimana cuaca di Kuala Lumpur esok?", "ms", "off-topic"),
    ("Bagaimana cara memasak nasi lemak?", "ms", "off-topic"),
    ("Berapakah harga tiket untuk menghadiri BRISMIS 2025?", "ms", "on-topic"),
    ("Adakah tempat letak kereta disediakan di tempat simposium?", "ms", "on-topic"),
    # ------------------------------------------------------------------ Greek
    ("Τι καιρό θα κάνει αύριο στην Αθήνα;", "el", "off-topic"),
    ("Ποιος κέρδισε τον χθεσινό αγώνα μπάσκετ;", "el", "off-topic"),
    ("Πότε θα γίνει το BRISMIS 2025;", "el", "on-topic"),
    ("Ποιο ξενοδοχείο προτείνετε για τους συμμετέχοντες;", "el", "on-topic"),
    # ------------------------------------------------------------------ Serbian
    ("Какво ће време бити сутра у Београду?", "sr", "off-topic"),
    ("Kako se pravi sarma?", "sr", "off-topic"),
    ("Колико кошта котизација за BRISMIS?", "sr", "on-topic"),
    ("Da li organizatori pomažu oko vize za Kinu?", "sr", "on-topic"),
    # ------------------------------------------------------------------ Uzbek
    ("Ertaga Toshkentda ob-havo qanday bo'ladi?", "uz", "off-topic"),
    ("Osh qanday tayyorlanadi?", "uz", "off-topic"),
    ("BRISMIS 2025 qaysi kunlarda bo'lib o'tadi?", "uz", "on-topic"),
    ("Simpozium ishtirokchilari uchun mehmonxona bormi?", "uz", "on-topic"),
    # ------------------------------------------------------------------ Vietnamese
    ("Ngày mai thời tiết ở Hà Nội thế nào?", "vi", "off-topic"),
    ("Cách nấu phở bò ngon nhất là gì?", "vi", "off-topic"),
    ("Giá vé tham dự BRISMIS là bao nhiêu?", "vi", "on-topic"),
    ("Tổng giám đốc UNESCO hiện nay là ai?", "vi", "on-topic"),
]


def check_evidence(text: str) -> list[str]:
    """Evidence strings that do not occur in ``text`` (should be empty)."""
    return [f"{q!r} -> {e!r}" for q, _, e in ANSWERABLE if e not in text]


if __name__ == "__main__":
    import collections

    print("answerable:", len(ANSWERABLE), dict(collections.Counter(l for _, l, _ in ANSWERABLE)))
    print("unanswerable:", len(UNANSWERABLE), dict(collections.Counter(l for _, l, _ in UNANSWERABLE)))
    print("unanswerable kinds:", dict(collections.Counter(k for _, _, k in UNANSWERABLE)))
