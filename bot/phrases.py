"""The assistant's fixed sentences, written out per language.

These are the only words the assistant says that do not come from the announcements, so they
are translated by hand rather than generated: a decline or a refusal must read naturally and
must never be a machine guess. Serbian is in Cyrillic, Uzbek in Latin (the official script),
Chinese simplified. ``{contact}`` is filled in by :func:`bot.language.phrase`.
"""

from __future__ import annotations

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "verified_other_language": "This verified answer is not yet available in your language; here it is in {language}:",
        "translation_lead_in": "Translated from the announcement:",
        "reports_differ": "The announcements give different figures:",
        "reports_differ_dates": "The announcements give different dates:",
        "lead_in": "According to the announcements:",
        "decline": (
            "The announcements I have don't say that. I can answer questions about BRISMIS and "
            "CANSM from their published announcements. For anything else, please contact the "
            "secretariat: {contact}."
        ),
        "decline_no_contact": (
            "The announcements I have don't say that. I can answer questions about BRISMIS and "
            "CANSM from their published announcements."
        ),
        "refuse_instructions": (
            "I can't share or change my instructions. I can answer questions about BRISMIS and "
            "CANSM from their published announcements."
        ),
        "sources": "Sources",
        "no_index": "The assistant is not ready: the announcements have not been indexed yet.",
    },
    "zh": {
        "verified_other_language": "这条经核实的回答还没有您的语言版本，以下是{language}版本：",
        "translation_lead_in": "译自公告：",
        "reports_differ": "各公告给出的数字不同：",
        "reports_differ_dates": "各公告给出的日期不同：",
        "lead_in": "根据公告：",
        "decline": (
            "我掌握的公告中没有提到这一点。我可以根据 BRISMIS 和 CANSM 已发布的公告回答相关问题。"
            "如有其他问题，请联系秘书处：{contact}。"
        ),
        "decline_no_contact": (
            "我掌握的公告中没有提到这一点。我可以根据 BRISMIS 和 CANSM 已发布的公告回答相关问题。"
        ),
        "refuse_instructions": (
            "我无法透露或更改我的指令。我可以根据 BRISMIS 和 CANSM 已发布的公告回答相关问题。"
        ),
        "sources": "来源",
        "no_index": "助手尚未就绪：公告还没有建立索引。",
    },
    "ru": {
        "verified_other_language": "Этот проверенный ответ пока недоступен на вашем языке; вот он на языке: {language}.",
        "translation_lead_in": "Перевод из объявления:",
        "reports_differ": "В объявлениях приводятся разные данные:",
        "reports_differ_dates": "В объявлениях указаны разные даты:",
        "lead_in": "Согласно объявлениям:",
        "decline": (
            "В имеющихся у меня объявлениях об этом не говорится. Я могу ответить на вопросы "
            "о BRISMIS и CANSM по их опубликованным объявлениям. По другим вопросам, "
            "пожалуйста, обратитесь в секретариат: {contact}."
        ),
        "decline_no_contact": (
            "В имеющихся у меня объявлениях об этом не говорится. Я могу ответить на вопросы "
            "о BRISMIS и CANSM по их опубликованным объявлениям."
        ),
        "refuse_instructions": (
            "Я не могу раскрыть или изменить свои инструкции. Я могу ответить на вопросы "
            "о BRISMIS и CANSM по их опубликованным объявлениям."
        ),
        "sources": "Источники",
        "no_index": "Ассистент пока не готов: объявления ещё не проиндексированы.",
    },
    "ar": {
        "verified_other_language": "هذه الإجابة الموثقة غير متوفرة بعد بلغتك؛ إليك نصها بلغة: {language}.",
        "translation_lead_in": "مترجم من الإعلان:",
        "reports_differ": "تذكر الإعلانات أرقامًا مختلفة:",
        "reports_differ_dates": "تذكر الإعلانات تواريخ مختلفة:",
        "lead_in": "وفقًا للإعلانات:",
        "decline": (
            "لا تذكر الإعلانات المتوفرة لديّ ذلك. يمكنني الإجابة عن الأسئلة حول BRISMIS وCANSM "
            "استنادًا إلى إعلاناتهما المنشورة. "
            "لأي استفسار آخر، يُرجى التواصل مع الأمانة: {contact}."
        ),
        "decline_no_contact": (
            "لا تذكر الإعلانات المتوفرة لديّ ذلك. يمكنني الإجابة عن الأسئلة حول BRISMIS وCANSM "
            "استنادًا إلى إعلاناتهما المنشورة."
        ),
        "refuse_instructions": (
            "لا يمكنني الكشف عن تعليماتي أو تغييرها. يمكنني الإجابة عن الأسئلة حول BRISMIS وCANSM "
            "استنادًا إلى إعلاناتهما المنشورة."
        ),
        "sources": "المصادر",
        "no_index": "المساعد غير جاهز بعد: لم تتم فهرسة الإعلانات حتى الآن.",
    },
    "fr": {
        "verified_other_language": "Cette réponse vérifiée n'est pas encore disponible dans votre langue ; la voici en {language} :",
        "translation_lead_in": "Traduit de l'annonce :",
        "reports_differ": "Les annonces donnent des chiffres différents :",
        "reports_differ_dates": "Les annonces donnent des dates différentes :",
        "lead_in": "D’après les annonces\u00a0:",
        "decline": (
            "Les annonces dont je dispose ne le précisent pas. Je peux répondre aux questions sur "
            "BRISMIS et CANSM à partir de leurs annonces publiées. Pour toute autre question, "
            "veuillez contacter le secrétariat\u00a0: {contact}."
        ),
        "decline_no_contact": (
            "Les annonces dont je dispose ne le précisent pas. Je peux répondre aux questions sur "
            "BRISMIS et CANSM à partir de leurs annonces publiées."
        ),
        "refuse_instructions": (
            "Je ne peux ni divulguer ni modifier mes instructions. Je peux répondre aux questions "
            "sur BRISMIS et CANSM à partir de leurs annonces publiées."
        ),
        # Same word as in English, and correct French.
        "sources": "Sources",
        "no_index": (
            "L’assistant n’est pas prêt\u00a0: les annonces n’ont pas encore été indexées."
        ),
    },
    "es": {
        "verified_other_language": "Esta respuesta verificada aún no está disponible en su idioma; aquí está en {language}:",
        "translation_lead_in": "Traducido del anuncio:",
        "reports_differ": "Los anuncios dan cifras distintas:",
        "reports_differ_dates": "Los anuncios dan fechas distintas:",
        "lead_in": "Según los comunicados:",
        "decline": (
            "Los comunicados de que dispongo no lo indican. Puedo responder preguntas sobre "
            "BRISMIS y CANSM a partir de sus comunicados publicados. Para cualquier otra "
            "consulta, póngase en contacto con la secretaría: {contact}."
        ),
        "decline_no_contact": (
            "Los comunicados de que dispongo no lo indican. Puedo responder preguntas sobre "
            "BRISMIS y CANSM a partir de sus comunicados publicados."
        ),
        "refuse_instructions": (
            "No puedo compartir ni cambiar mis instrucciones. Puedo responder preguntas sobre "
            "BRISMIS y CANSM a partir de sus comunicados publicados."
        ),
        "sources": "Fuentes",
        "no_index": "El asistente no está listo: los comunicados aún no se han indexado.",
    },
    # Thai separates sentences with a space, not a full stop.
    "th": {
        "verified_other_language": "คำตอบที่ตรวจสอบแล้วนี้ยังไม่มีในภาษาของคุณ นี่คือฉบับภาษา {language}:",
        "translation_lead_in": "แปลจากประกาศ:",
        "reports_differ": "ประกาศต่าง ๆ ให้ตัวเลขไม่ตรงกัน:",
        "reports_differ_dates": "ประกาศต่าง ๆ ให้วันที่ไม่ตรงกัน:",
        "lead_in": "ตามประกาศ:",
        "decline": (
            "ประกาศที่ฉันมีไม่ได้ระบุเรื่องนี้ ฉันสามารถตอบคำถามเกี่ยวกับ BRISMIS และ CANSM "
            "จากประกาศที่เผยแพร่แล้ว หากมีเรื่องอื่น โปรดติดต่อสำนักเลขาธิการ: {contact}"
        ),
        "decline_no_contact": (
            "ประกาศที่ฉันมีไม่ได้ระบุเรื่องนี้ ฉันสามารถตอบคำถามเกี่ยวกับ BRISMIS และ CANSM "
            "จากประกาศที่เผยแพร่แล้ว"
        ),
        "refuse_instructions": (
            "ฉันไม่สามารถเปิดเผยหรือเปลี่ยนแปลงคำสั่งของฉันได้ ฉันสามารถตอบคำถามเกี่ยวกับ BRISMIS "
            "และ CANSM จากประกาศที่เผยแพร่แล้ว"
        ),
        "sources": "แหล่งที่มา",
        "no_index": "ผู้ช่วยยังไม่พร้อมใช้งาน: ยังไม่ได้จัดทำดัชนีประกาศ",
    },
    # Malaysian usage: "urus setia" (secretariat), "boleh", "soalan".
    "ms": {
        "verified_other_language": "Jawapan yang disahkan ini belum tersedia dalam bahasa anda; berikut dalam {language}:",
        "translation_lead_in": "Diterjemahkan daripada pengumuman:",
        "reports_differ": "Pengumuman memberikan angka yang berbeza:",
        "reports_differ_dates": "Pengumuman memberikan tarikh yang berbeza:",
        "lead_in": "Menurut pengumuman:",
        "decline": (
            "Pengumuman yang ada pada saya tidak menyatakan perkara itu. Saya boleh menjawab "
            "soalan tentang BRISMIS dan CANSM berdasarkan pengumuman yang telah diterbitkan. "
            "Untuk perkara lain, sila hubungi urus setia: {contact}."
        ),
        "decline_no_contact": (
            "Pengumuman yang ada pada saya tidak menyatakan perkara itu. Saya boleh menjawab "
            "soalan tentang BRISMIS dan CANSM berdasarkan pengumuman yang telah diterbitkan."
        ),
        "refuse_instructions": (
            "Saya tidak boleh berkongsi atau mengubah arahan saya. Saya boleh menjawab soalan "
            "tentang BRISMIS dan CANSM berdasarkan pengumuman yang telah diterbitkan."
        ),
        "sources": "Sumber",
        "no_index": "Pembantu belum bersedia: pengumuman belum diindeks.",
    },
    "el": {
        "verified_other_language": "Αυτή η επαληθευμένη απάντηση δεν είναι ακόμη διαθέσιμη στη γλώσσα σας· εδώ είναι στα {language}:",
        "translation_lead_in": "Μετάφραση από την ανακοίνωση:",
        "reports_differ": "Οι ανακοινώσεις δίνουν διαφορετικά στοιχεία:",
        "reports_differ_dates": "Οι ανακοινώσεις δίνουν διαφορετικές ημερομηνίες:",
        "lead_in": "Σύμφωνα με τις ανακοινώσεις:",
        "decline": (
            "Οι ανακοινώσεις που έχω δεν αναφέρουν κάτι τέτοιο. Μπορώ να απαντήσω σε ερωτήσεις "
            "σχετικά με το BRISMIS και το CANSM με βάση τις δημοσιευμένες ανακοινώσεις τους. "
            "Για οτιδήποτε άλλο, επικοινωνήστε με τη γραμματεία: {contact}."
        ),
        "decline_no_contact": (
            "Οι ανακοινώσεις που έχω δεν αναφέρουν κάτι τέτοιο. Μπορώ να απαντήσω σε ερωτήσεις "
            "σχετικά με το BRISMIS και το CANSM με βάση τις δημοσιευμένες ανακοινώσεις τους."
        ),
        "refuse_instructions": (
            "Δεν μπορώ να κοινοποιήσω ή να αλλάξω τις οδηγίες μου. Μπορώ να απαντήσω σε "
            "ερωτήσεις σχετικά με το BRISMIS και το CANSM με βάση τις δημοσιευμένες "
            "ανακοινώσεις τους."
        ),
        "sources": "Πηγές",
        "no_index": "Ο βοηθός δεν είναι έτοιμος: οι ανακοινώσεις δεν έχουν ευρετηριαστεί ακόμη.",
    },
    "sr": {
        "verified_other_language": "Овај проверени одговор још није доступан на вашем језику; ево га на језику: {language}.",
        "translation_lead_in": "Превод из обавештења:",
        "reports_differ": "Обавештења наводе различите податке:",
        "reports_differ_dates": "Обавештења наводе различите датуме:",
        "lead_in": "Према саопштењима:",
        "decline": (
            "Саопштења којима располажем то не наводе. Могу да одговорим на питања о BRISMIS-у "
            "и CANSM-у на основу њихових објављених саопштења. За све остало обратите се "
            "секретаријату: {contact}."
        ),
        "decline_no_contact": (
            "Саопштења којима располажем то не наводе. Могу да одговорим на питања о BRISMIS-у "
            "и CANSM-у на основу њихових објављених саопштења."
        ),
        "refuse_instructions": (
            "Не могу да откријем нити да променим своја упутства. Могу да одговорим на питања "
            "о BRISMIS-у и CANSM-у на основу њихових објављених саопштења."
        ),
        "sources": "Извори",
        "no_index": "Асистент није спреман: саопштења још нису индексирана.",
    },
    # Official Latin orthography: ʻ (U+02BB) in oʻ/gʻ, ʼ (U+02BC) for the tutuq belgisi.
    "uz": {
        "verified_other_language": "Bu tasdiqlangan javob hali sizning tilingizda yoʻq; mana u {language} tilida:",
        "translation_lead_in": "E'londan tarjima:",
        "reports_differ": "E'lonlarda turli raqamlar keltirilgan:",
        "reports_differ_dates": "E'lonlarda turli sanalar keltirilgan:",
        "lead_in": "Eʼlonlarga koʻra:",
        "decline": (
            "Menda mavjud eʼlonlarda bu haqda maʼlumot yoʻq. Men BRISMIS va CANSM haqidagi "
            "savollarga ularning chop etilgan eʼlonlari asosida javob bera olaman. Boshqa "
            "masalalar boʻyicha, iltimos, kotibiyatga murojaat qiling: {contact}."
        ),
        "decline_no_contact": (
            "Menda mavjud eʼlonlarda bu haqda maʼlumot yoʻq. Men BRISMIS va CANSM haqidagi "
            "savollarga ularning chop etilgan eʼlonlari asosida javob bera olaman."
        ),
        "refuse_instructions": (
            "Men koʻrsatmalarimni oshkor qila olmayman va oʻzgartira olmayman. Men BRISMIS va "
            "CANSM haqidagi savollarga ularning chop etilgan eʼlonlari asosida javob bera olaman."
        ),
        "sources": "Manbalar",
        "no_index": "Yordamchi tayyor emas: eʼlonlar hali indekslanmagan.",
    },
    "km": {
        "verified_other_language": "ចម្លើយដែលបានផ្ទៀងផ្ទាត់នេះមិនទាន់មានជាភាសារបស់អ្នកទេ។ នេះជាភាសា {language}៖",
        "translation_lead_in": "បកប្រែពីសេចក្តីប្រកាស៖",
        "reports_differ": "សេចក្តីប្រកាសផ្តល់តួលេខខុសៗគ្នា៖",
        "reports_differ_dates": "សេចក្តីប្រកាសផ្តល់កាលបរិច្ឆេទខុសៗគ្នា៖",
        "lead_in": "យោងតាមសេចក្តីប្រកាស៖",
        "decline": (
            "សេចក្តីប្រកាសដែលខ្ញុំមាន មិនបានបញ្ជាក់អំពីរឿងនេះទេ។ ខ្ញុំអាចឆ្លើយសំណួរអំពី BRISMIS "
            "និង CANSM ដោយផ្អែកលើសេចក្តីប្រកាសដែលបានចេញផ្សាយ។ សម្រាប់បញ្ហាផ្សេងទៀត "
            "សូមទាក់ទងលេខាធិការដ្ឋាន៖ {contact}។"
        ),
        "decline_no_contact": (
            "សេចក្តីប្រកាសដែលខ្ញុំមាន មិនបានបញ្ជាក់អំពីរឿងនេះទេ។ ខ្ញុំអាចឆ្លើយសំណួរអំពី BRISMIS "
            "និង CANSM ដោយផ្អែកលើសេចក្តីប្រកាសដែលបានចេញផ្សាយ។"
        ),
        "refuse_instructions": (
            "ខ្ញុំមិនអាចបង្ហាញ ឬផ្លាស់ប្តូរការណែនាំរបស់ខ្ញុំបានទេ។ ខ្ញុំអាចឆ្លើយសំណួរអំពី BRISMIS "
            "និង CANSM ដោយផ្អែកលើសេចក្តីប្រកាសដែលបានចេញផ្សាយ។"
        ),
        "sources": "ប្រភព",
        "no_index": "ជំនួយការមិនទាន់រួចរាល់ទេ៖ សេចក្តីប្រកាសមិនទាន់ត្រូវបានធ្វើលិបិក្រមនៅឡើយ។",
    },
    # Burmese conventionally writes a colon as " - ".
    "my": {
        "verified_other_language": "ဤအတည်ပြုထားသော အဖြေကို သင့်ဘာသာဖြင့် မရရှိနိုင်သေးပါ။ {language} ဘာသာဖြင့် ဤတွင်-",
        "translation_lead_in": "ကြေညာချက်မှ ဘာသာပြန်ထားသည်-",
        "reports_differ": "ကြေညာချက်များတွင် ကိန်းဂဏန်းများ မတူညီပါ-",
        "reports_differ_dates": "ကြေညာချက်များတွင် ရက်စွဲများ မတူညီပါ-",
        "lead_in": "ကြေညာချက်များအရ -",
        "decline": (
            "ကျွန်ုပ်ထံရှိ ကြေညာချက်များတွင် ထိုအကြောင်း မဖော်ပြထားပါ။ BRISMIS နှင့် CANSM ၏ "
            "ထုတ်ပြန်ထားသော ကြေညာချက်များကို အခြေခံ၍ မေးခွန်းများကို ဖြေကြားပေးနိုင်ပါသည်။ "
            "အခြားကိစ္စများအတွက် အတွင်းရေးမှူးရုံးသို့ ဆက်သွယ်နိုင်ပါသည် - {contact}။"
        ),
        "decline_no_contact": (
            "ကျွန်ုပ်ထံရှိ ကြေညာချက်များတွင် ထိုအကြောင်း မဖော်ပြထားပါ။ BRISMIS နှင့် CANSM ၏ "
            "ထုတ်ပြန်ထားသော ကြေညာချက်များကို အခြေခံ၍ မေးခွန်းများကို ဖြေကြားပေးနိုင်ပါသည်။"
        ),
        "refuse_instructions": (
            "ကျွန်ုပ်၏ ညွှန်ကြားချက်များကို မျှဝေခြင်း သို့မဟုတ် ပြောင်းလဲခြင်း မပြုလုပ်နိုင်ပါ။ "
            "BRISMIS နှင့် CANSM ၏ ထုတ်ပြန်ထားသော ကြေညာချက်များကို အခြေခံ၍ မေးခွန်းများကို "
            "ဖြေကြားပေးနိုင်ပါသည်။"
        ),
        "sources": "ရင်းမြစ်များ",
        "no_index": "လက်ထောက်စနစ် အသင့်မဖြစ်သေးပါ - ကြေညာချက်များကို အညွှန်းမပြုလုပ်ရသေးပါ။",
    },
    "vi": {
        "verified_other_language": "Câu trả lời đã xác minh này chưa có bằng ngôn ngữ của bạn; đây là bản {language}:",
        "translation_lead_in": "Dịch từ thông báo:",
        "reports_differ": "Các thông báo đưa ra số liệu khác nhau:",
        "reports_differ_dates": "Các thông báo đưa ra ngày khác nhau:",
        "lead_in": "Theo các thông báo:",
        "decline": (
            "Các thông báo mà tôi có không đề cập đến điều này. Tôi có thể trả lời các câu hỏi "
            "về BRISMIS và CANSM dựa trên các thông báo đã được công bố. Đối với các vấn đề "
            "khác, vui lòng liên hệ ban thư ký: {contact}."
        ),
        "decline_no_contact": (
            "Các thông báo mà tôi có không đề cập đến điều này. Tôi có thể trả lời các câu hỏi "
            "về BRISMIS và CANSM dựa trên các thông báo đã được công bố."
        ),
        "refuse_instructions": (
            "Tôi không thể tiết lộ hoặc thay đổi các chỉ dẫn của mình. Tôi có thể trả lời các "
            "câu hỏi về BRISMIS và CANSM dựa trên các thông báo đã được công bố."
        ),
        "sources": "Nguồn",
        "no_index": "Trợ lý chưa sẵn sàng: các thông báo chưa được lập chỉ mục.",
    },
    "id": {
        "verified_other_language": "Jawaban terverifikasi ini belum tersedia dalam bahasa Anda; berikut dalam {language}:",
        "translation_lead_in": "Diterjemahkan dari pengumuman:",
        "reports_differ": "Pengumuman memberikan angka yang berbeda:",
        "reports_differ_dates": "Pengumuman memberikan tanggal yang berbeda:",
        "lead_in": "Menurut pengumuman:",
        "decline": (
            "Pengumuman yang saya miliki tidak menyebutkan hal itu. Saya dapat menjawab "
            "pertanyaan tentang BRISMIS dan CANSM berdasarkan pengumuman yang telah mereka "
            "publikasikan. Untuk hal lain, silakan hubungi sekretariat: {contact}."
        ),
        "decline_no_contact": (
            "Pengumuman yang saya miliki tidak menyebutkan hal itu. Saya dapat menjawab "
            "pertanyaan tentang BRISMIS dan CANSM berdasarkan pengumuman yang telah mereka "
            "publikasikan."
        ),
        "refuse_instructions": (
            "Saya tidak dapat membagikan atau mengubah instruksi saya. Saya dapat menjawab "
            "pertanyaan tentang BRISMIS dan CANSM berdasarkan pengumuman yang telah mereka "
            "publikasikan."
        ),
        "sources": "Sumber",
        "no_index": "Asisten belum siap: pengumuman belum diindeks.",
    },
    "tr": {
        "verified_other_language": "Bu doğrulanmış yanıt henüz dilinizde yok; işte {language} dilinde:",
        "translation_lead_in": "Duyurudan çeviri:",
        "reports_differ": "Duyurular farklı rakamlar veriyor:",
        "reports_differ_dates": "Duyurular farklı tarihler veriyor:",
        "lead_in": "Duyurulara göre:",
        "decline": (
            "Elimdeki duyurularda bu konuda bilgi yok. BRISMIS ve CANSM hakkındaki soruları "
            "yayımlanmış duyurularına dayanarak yanıtlayabilirim. Diğer konular için lütfen "
            "sekretaryayla iletişime geçin: {contact}."
        ),
        "decline_no_contact": (
            "Elimdeki duyurularda bu konuda bilgi yok. BRISMIS ve CANSM hakkındaki soruları "
            "yayımlanmış duyurularına dayanarak yanıtlayabilirim."
        ),
        "refuse_instructions": (
            "Talimatlarımı paylaşamam veya değiştiremem. BRISMIS ve CANSM hakkındaki soruları "
            "yayımlanmış duyurularına dayanarak yanıtlayabilirim."
        ),
        "sources": "Kaynaklar",
        "no_index": "Asistan hazır değil: duyurular henüz dizine eklenmedi.",
    },
    "kk": {
        "verified_other_language": "Бұл тексерілген жауап әлі сіздің тіліңізде жоқ; міне, ол {language} тілінде:",
        "translation_lead_in": "Хабарландырудан аударма:",
        "reports_differ": "Хабарландыруларда әртүрлі деректер келтірілген:",
        "reports_differ_dates": "Хабарландыруларда әртүрлі күндер келтірілген:",
        "lead_in": "Хабарландыруларға сәйкес:",
        "decline": (
            "Менде бар хабарландыруларда бұл туралы айтылмаған. Мен BRISMIS және CANSM туралы "
            "сұрақтарға олардың жарияланған хабарландырулары негізінде жауап бере аламын. "
            "Басқа мәселелер бойынша хатшылыққа хабарласыңыз: {contact}."
        ),
        "decline_no_contact": (
            "Менде бар хабарландыруларда бұл туралы айтылмаған. Мен BRISMIS және CANSM туралы "
            "сұрақтарға олардың жарияланған хабарландырулары негізінде жауап бере аламын."
        ),
        "refuse_instructions": (
            "Мен өз нұсқауларымды жария ете де, өзгерте де алмаймын. Мен BRISMIS және CANSM "
            "туралы сұрақтарға олардың жарияланған хабарландырулары негізінде жауап бере аламын."
        ),
        "sources": "Дереккөздер",
        "no_index": "Көмекші дайын емес: хабарландырулар әлі индекстелмеген.",
    },
    # Zero-width non-joiners (U+200C) are part of Persian spelling (اطلاعیه‌ها, می‌توانم).
    "fa": {
        "verified_other_language": "این پاسخ تأییدشده هنوز به زبان شما موجود نیست؛ این نسخهٔ {language} است:",
        "translation_lead_in": "ترجمه از اطلاعیه:",
        "reports_differ": "اطلاعیه‌ها ارقام متفاوتی ارائه می‌دهند:",
        "reports_differ_dates": "اطلاعیه‌ها تاریخ‌های متفاوتی ارائه می‌دهند:",
        "lead_in": "بر اساس اطلاعیه‌ها:",
        "decline": (
            "اطلاعیه‌هایی که در اختیار دارم در این باره چیزی نمی‌گویند. می‌توانم به پرسش‌های "
            "مربوط به BRISMIS و CANSM بر اساس اطلاعیه‌های منتشرشدهٔ آن‌ها پاسخ دهم. برای موارد "
            "دیگر، لطفاً با دبیرخانه تماس بگیرید: {contact}."
        ),
        "decline_no_contact": (
            "اطلاعیه‌هایی که در اختیار دارم در این باره چیزی نمی‌گویند. می‌توانم به پرسش‌های "
            "مربوط به BRISMIS و CANSM بر اساس اطلاعیه‌های منتشرشدهٔ آن‌ها پاسخ دهم."
        ),
        "refuse_instructions": (
            "نمی‌توانم دستورالعمل‌هایم را فاش یا تغییر دهم. می‌توانم به پرسش‌های مربوط به "
            "BRISMIS و CANSM بر اساس اطلاعیه‌های منتشرشدهٔ آن‌ها پاسخ دهم."
        ),
        "sources": "منابع",
        "no_index": "دستیار آماده نیست: اطلاعیه‌ها هنوز نمایه‌سازی نشده‌اند.",
    },
    "pt": {
        "verified_other_language": "Esta resposta verificada ainda não está disponível no seu idioma; aqui está em {language}:",
        "translation_lead_in": "Traduzido do anúncio:",
        "reports_differ": "Os anúncios apresentam números diferentes:",
        "reports_differ_dates": "Os anúncios apresentam datas diferentes:",
        "lead_in": "De acordo com os comunicados:",
        "decline": (
            "Os comunicados de que disponho não mencionam isso. Posso responder a perguntas "
            "sobre BRISMIS e CANSM com base nos comunicados que publicaram. Para outros "
            "assuntos, entre em contato com a secretaria: {contact}."
        ),
        "decline_no_contact": (
            "Os comunicados de que disponho não mencionam isso. Posso responder a perguntas "
            "sobre BRISMIS e CANSM com base nos comunicados que publicaram."
        ),
        "refuse_instructions": (
            "Não posso compartilhar nem alterar minhas instruções. Posso responder a perguntas "
            "sobre BRISMIS e CANSM com base nos comunicados que publicaram."
        ),
        "sources": "Fontes",
        "no_index": "O assistente não está pronto: os comunicados ainda não foram indexados.",
    },
    "de": {
        "verified_other_language": "Diese geprüfte Antwort gibt es noch nicht in Ihrer Sprache; hier ist sie auf {language}:",
        "translation_lead_in": "Übersetzt aus der Ankündigung:",
        "reports_differ": "Die Ankündigungen nennen unterschiedliche Zahlen:",
        "reports_differ_dates": "Die Ankündigungen nennen unterschiedliche Daten:",
        "lead_in": "Laut den Mitteilungen:",
        "decline": (
            "Die mir vorliegenden Mitteilungen sagen dazu nichts. Ich kann Fragen zu BRISMIS und "
            "CANSM anhand ihrer veröffentlichten Mitteilungen beantworten. Für alles Weitere "
            "wenden Sie sich bitte an das Sekretariat: {contact}."
        ),
        "decline_no_contact": (
            "Die mir vorliegenden Mitteilungen sagen dazu nichts. Ich kann Fragen zu BRISMIS und "
            "CANSM anhand ihrer veröffentlichten Mitteilungen beantworten."
        ),
        "refuse_instructions": (
            "Ich kann meine Anweisungen weder offenlegen noch ändern. Ich kann Fragen zu BRISMIS "
            "und CANSM anhand ihrer veröffentlichten Mitteilungen beantworten."
        ),
        "sources": "Quellen",
        "no_index": "Der Assistent ist nicht bereit: Die Mitteilungen wurden noch nicht indexiert.",
    },
}
