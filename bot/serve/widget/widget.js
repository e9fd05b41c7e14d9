/* BRISMIS Assistant chat widget (this file starts with a UTF-8 byte order mark, which makes browsers
 * read it as UTF-8 on pages in other encodings when no charset is sent: keep it). One tag on any page:
 *   <script src="https://HOST/widget.js" defer></script>
 * Options (data-* on that tag): position="right|left", accent="#hex", title, greeting,
 * language (overrides navigator.language), open="true", timeout (seconds, default 60).
 * Talks only to the script's own origin. Everything shown is built with text nodes: no innerHTML,
 * no inline styles (the stylesheet is a constructed one, adopted by an open shadow root). */
(function () {
  "use strict";
  var TAG = "brismis-chat";
  if (!window.customElements || !Element.prototype.attachShadow || !window.fetch || customElements.get(TAG)) return;

  var script = document.currentScript || document.querySelector('script[src*="widget.js"]');
  var opt = (script && script.dataset) || {};
  var API = new URL(script && script.src ? script.src : location.href, location.href).origin;
  var LANG = opt.language || navigator.language || "en";
  var TIMEOUT = (+opt.timeout > 0 ? +opt.timeout : 60) * 1000;
  var HISTORY = 10; // messages (user or assistant) sent with each question
  var STORE = "brismis-chat:" + API;

  // UI strings, in this order: title, open, greeting, placeholder, send, new, close, sources,
  // thinking, error, busy (503), retry, up, down, link, you, slow (429: this visitor asks too often),
  // writing (the sources are found, the answer is being written), translated (the answer is the
  // evidence translated into the visitor's language), verified (an answer checked by staff)
  var KEYS = "title open greeting placeholder send new close sources thinking error busy retry up down link you slow writing translated verified".split(" ");
  var I18N = {
    en: ["BRISMIS Assistant", "Ask the BRISMIS Assistant", "Hello! Ask me about BRISMIS. I answer from the published announcements and show my sources.", "Ask a question…", "Send", "New conversation", "Close", "Sources", "Thinking…", "Sorry, the answer was interrupted.", "The assistant is busy. Please wait a moment.", "Try again", "Helpful", "Not helpful", "Open the announcement", "You", "You are sending questions too quickly. Please wait a moment and try again.", "Writing the answer…", "Translated from the announcement", "Verified by staff"],
    zh: ["BRISMIS 助手", "询问 BRISMIS 助手", "您好！请问有关 BRISMIS 的问题。我根据已发布的公告回答，并注明来源。", "请输入您的问题…", "发送", "新对话", "关闭", "来源", "正在思考…", "抱歉，回答中断了。", "助手正忙，请稍候。", "重试", "有帮助", "没有帮助", "查看公告", "您", "您提问过于频繁，请稍候再试。", "正在撰写回答…", "译自公告", "经工作人员核实"],
    ru: ["Ассистент BRISMIS", "Спросить ассистента BRISMIS", "Здравствуйте! Спросите меня о BRISMIS. Я отвечаю по опубликованным объявлениям и указываю источники.", "Задайте вопрос…", "Отправить", "Новый разговор", "Закрыть", "Источники", "Думаю…", "Извините, ответ прервался.", "Ассистент сейчас занят. Пожалуйста, подождите немного.", "Повторить", "Полезно", "Не помогло", "Открыть объявление", "Вы", "Вы задаёте вопросы слишком часто. Подождите немного и попробуйте снова.", "Пишу ответ…", "Перевод из объявления", "Проверено сотрудниками"],
    ar: ["مساعد BRISMIS", "اسأل مساعد BRISMIS", "مرحبًا! اسألني عن BRISMIS. أجيب استنادًا إلى الإعلانات المنشورة وأذكر مصادري.", "اكتب سؤالك…", "إرسال", "محادثة جديدة", "إغلاق", "المصادر", "جارٍ التفكير…", "عذرًا، انقطعت الإجابة.", "المساعد مشغول الآن. يُرجى الانتظار قليلًا.", "إعادة المحاولة", "مفيد", "غير مفيد", "فتح الإعلان", "أنت", "أنت ترسل الأسئلة بسرعة كبيرة. يُرجى الانتظار قليلًا ثم المحاولة مجددًا.", "جارٍ كتابة الإجابة…", "مترجم من الإعلان", "تحقق منه الفريق"],
    fr: ["Assistant BRISMIS", "Interroger l’assistant BRISMIS", "Bonjour ! Posez-moi vos questions sur BRISMIS. Je réponds d’après les annonces publiées et j’indique mes sources.", "Posez votre question…", "Envoyer", "Nouvelle conversation", "Fermer", "Sources", "Réflexion…", "Désolé, la réponse a été interrompue.", "L’assistant est occupé. Veuillez patienter un instant.", "Réessayer", "Utile", "Pas utile", "Ouvrir l’annonce", "Vous", "Vous envoyez vos questions trop rapidement. Veuillez patienter un instant, puis réessayer.", "Rédaction de la réponse…", "Traduit de l’annonce", "Vérifié par l’équipe"],
    es: ["Asistente de BRISMIS", "Preguntar al asistente de BRISMIS", "¡Hola! Pregúnteme sobre BRISMIS. Respondo a partir de los comunicados publicados e indico mis fuentes.", "Escriba su pregunta…", "Enviar", "Nueva conversación", "Cerrar", "Fuentes", "Pensando…", "Lo sentimos, la respuesta se interrumpió.", "El asistente está ocupado. Espere un momento, por favor.", "Reintentar", "Útil", "No útil", "Abrir el comunicado", "Usted", "Está enviando preguntas demasiado rápido. Espere un momento y vuelva a intentarlo.", "Redactando la respuesta…", "Traducido del comunicado", "Verificado por el personal"],
    th: ["ผู้ช่วย BRISMIS", "ถามผู้ช่วย BRISMIS", "สวัสดี! ถามฉันเกี่ยวกับ BRISMIS ได้เลย ฉันตอบจากประกาศที่เผยแพร่แล้วและแสดงแหล่งที่มา", "พิมพ์คำถามของคุณ…", "ส่ง", "เริ่มบทสนทนาใหม่", "ปิด", "แหล่งที่มา", "กำลังคิด…", "ขออภัย คำตอบถูกขัดจังหวะ", "ผู้ช่วยไม่ว่างในขณะนี้ โปรดรอสักครู่", "ลองอีกครั้ง", "มีประโยชน์", "ไม่มีประโยชน์", "เปิดประกาศ", "คุณ", "คุณส่งคำถามถี่เกินไป โปรดรอสักครู่แล้วลองอีกครั้ง", "กำลังเขียนคำตอบ…", "แปลจากประกาศ", "ตรวจสอบโดยเจ้าหน้าที่"],
    ms: ["Pembantu BRISMIS", "Tanya Pembantu BRISMIS", "Helo! Tanya saya tentang BRISMIS. Saya menjawab berdasarkan pengumuman yang diterbitkan dan menunjukkan sumbernya.", "Taip soalan anda…", "Hantar", "Perbualan baharu", "Tutup", "Sumber", "Sedang berfikir…", "Maaf, jawapan terganggu.", "Pembantu sedang sibuk. Sila tunggu sebentar.", "Cuba lagi", "Membantu", "Tidak membantu", "Buka pengumuman", "Anda", "Anda menghantar soalan terlalu cepat. Sila tunggu sebentar dan cuba lagi.", "Sedang menulis jawapan…", "Diterjemahkan daripada pengumuman", "Disahkan oleh kakitangan"],
    el: ["Βοηθός BRISMIS", "Ρωτήστε τον βοηθό BRISMIS", "Γεια σας! Ρωτήστε με για το BRISMIS. Απαντώ με βάση τις δημοσιευμένες ανακοινώσεις και δείχνω τις πηγές μου.", "Γράψτε την ερώτησή σας…", "Αποστολή", "Νέα συζήτηση", "Κλείσιμο", "Πηγές", "Σκέφτομαι…", "Λυπούμαστε, η απάντηση διακόπηκε.", "Ο βοηθός είναι απασχολημένος. Περιμένετε λίγο.", "Δοκιμάστε ξανά", "Χρήσιμη", "Μη χρήσιμη", "Άνοιγμα της ανακοίνωσης", "Εσείς", "Στέλνετε ερωτήσεις πολύ γρήγορα. Περιμένετε λίγο και δοκιμάστε ξανά.", "Γράφεται η απάντηση…", "Μετάφραση από την ανακοίνωση", "Επαληθευμένο από το προσωπικό"],
    sr: ["BRISMIS асистент", "Питајте BRISMIS асистента", "Здраво! Питајте ме о BRISMIS-у. Одговарам на основу објављених саопштења и наводим изворе.", "Унесите питање…", "Пошаљи", "Нови разговор", "Затвори", "Извори", "Размишљам…", "Жао нам је, одговор је прекинут.", "Асистент је тренутно заузет. Сачекајте тренутак.", "Покушај поново", "Корисно", "Није корисно", "Отвори саопштење", "Ви", "Шаљете питања пребрзо. Сачекајте тренутак и покушајте поново.", "Пишем одговор…", "Превод из саопштења", "Проверило особље"],
    uz: ["BRISMIS yordamchisi", "BRISMIS yordamchisidan soʻrang", "Salom! BRISMIS haqida soʻrang. Men eʼlon qilingan xabarlar asosida javob beraman va manbalarni koʻrsataman.", "Savolingizni yozing…", "Yuborish", "Yangi suhbat", "Yopish", "Manbalar", "Oʻylayapman…", "Kechirasiz, javob uzilib qoldi.", "Yordamchi hozir band. Biroz kuting.", "Qayta urinish", "Foydali", "Foydasiz", "Eʼlonni ochish", "Siz", "Savollarni juda tez yuboryapsiz. Biroz kutib, qaytadan urinib koʻring.", "Javob yozilmoqda…", "Eʼlondan tarjima", "Xodimlar tomonidan tasdiqlangan"],
    km: ["ជំនួយការ BRISMIS", "សួរជំនួយការ BRISMIS", "សួស្តី! សូមសួរខ្ញុំអំពី BRISMIS។ ខ្ញុំឆ្លើយផ្អែកលើសេចក្តីប្រកាសដែលបានផ្សព្វផ្សាយ ហើយបង្ហាញប្រភព។", "វាយសំណួររបស់អ្នក…", "ផ្ញើ", "ការសន្ទនាថ្មី", "បិទ", "ប្រភព", "កំពុងគិត…", "សូមអភ័យទោស ចម្លើយត្រូវបានរំខាន។", "ជំនួយការកំពុងរវល់។ សូមរង់ចាំបន្តិច។", "ព្យាយាមម្តងទៀត", "មានប្រយោជន៍", "គ្មានប្រយោជន៍", "បើកសេចក្តីប្រកាស", "អ្នក", "អ្នកកំពុងផ្ញើសំណួរលឿនពេក។ សូមរង់ចាំបន្តិច រួចព្យាយាមម្តងទៀត។", "កំពុងសរសេរចម្លើយ…", "បកប្រែពីសេចក្តីប្រកាស", "បានផ្ទៀងផ្ទាត់ដោយបុគ្គលិក"],
    my: ["BRISMIS လက်ထောက်", "BRISMIS လက်ထောက်ကို မေးပါ", "မင်္ဂလာပါ။ BRISMIS အကြောင်း မေးပါ။ ထုတ်ပြန်ထားသော ကြေညာချက်များကို အခြေခံ၍ ဖြေပြီး ရင်းမြစ်များကို ပြပါသည်။", "သင့်မေးခွန်းကို ရိုက်ပါ…", "ပို့ရန်", "စကားဝိုင်းအသစ်", "ပိတ်ရန်", "ရင်းမြစ်များ", "စဉ်းစားနေသည်…", "တောင်းပန်ပါသည်၊ အဖြေ ပြတ်တောက်သွားပါသည်။", "လက်ထောက်သည် ယခု အလုပ်များနေပါသည်။ ခဏစောင့်ပါ။", "ထပ်ကြိုးစားရန်", "အသုံးဝင်သည်", "အသုံးမဝင်ပါ", "ကြေညာချက်ကို ဖွင့်ရန်", "သင်", "မေးခွန်းများကို အလွန်မြန်မြန် ပို့နေပါသည်။ ခဏစောင့်ပြီး ထပ်ကြိုးစားပါ။", "အဖြေကို ရေးနေသည်…", "ကြေညာချက်မှ ဘာသာပြန်ထားသည်", "ဝန်ထမ်းများက အတည်ပြုထားသည်"],
    vi: ["Trợ lý BRISMIS", "Hỏi Trợ lý BRISMIS", "Xin chào! Hãy hỏi tôi về BRISMIS. Tôi trả lời dựa trên các thông báo đã công bố và nêu rõ nguồn.", "Nhập câu hỏi của bạn…", "Gửi", "Cuộc trò chuyện mới", "Đóng", "Nguồn", "Đang suy nghĩ…", "Xin lỗi, câu trả lời bị gián đoạn.", "Trợ lý đang bận. Vui lòng đợi một lát.", "Thử lại", "Hữu ích", "Không hữu ích", "Mở thông báo", "Bạn", "Bạn đang gửi câu hỏi quá nhanh. Vui lòng đợi một lát rồi thử lại.", "Đang viết câu trả lời…", "Dịch từ thông báo", "Đã được nhân viên xác minh"],
    id: ["Asisten BRISMIS", "Tanya Asisten BRISMIS", "Halo! Tanyakan kepada saya tentang BRISMIS. Saya menjawab berdasarkan pengumuman yang telah diterbitkan dan menyertakan sumbernya.", "Ketik pertanyaan Anda…", "Kirim", "Percakapan baru", "Tutup", "Sumber", "Sedang berpikir…", "Maaf, jawaban terputus.", "Asisten sedang sibuk. Mohon tunggu sebentar.", "Coba lagi", "Membantu", "Tidak membantu", "Buka pengumuman", "Anda", "Anda mengirim pertanyaan terlalu cepat. Mohon tunggu sebentar, lalu coba lagi.", "Sedang menulis jawaban…", "Diterjemahkan dari pengumuman", "Diverifikasi oleh staf"],
    tr: ["BRISMIS Asistanı", "BRISMIS Asistanına sorun", "Merhaba! Bana BRISMIS hakkında soru sorun. Yayımlanan duyurulara dayanarak yanıtlıyor ve kaynaklarımı gösteriyorum.", "Sorunuzu yazın…", "Gönder", "Yeni sohbet", "Kapat", "Kaynaklar", "Düşünüyorum…", "Üzgünüz, yanıt yarıda kesildi.", "Asistan şu anda meşgul. Lütfen biraz bekleyin.", "Tekrar dene", "Yararlı", "Yararlı değil", "Duyuruyu aç", "Siz", "Çok hızlı soru gönderiyorsunuz. Lütfen biraz bekleyip tekrar deneyin.", "Yanıt yazılıyor…", "Duyurudan çeviri", "Personel tarafından doğrulandı"],
    kk: ["BRISMIS көмекшісі", "BRISMIS көмекшісінен сұраңыз", "Сәлеметсіз бе! BRISMIS туралы сұраңыз. Мен жарияланған хабарландырулар негізінде жауап беремін және дереккөздерді көрсетемін.", "Сұрағыңызды жазыңыз…", "Жіберу", "Жаңа әңгіме", "Жабу", "Дереккөздер", "Ойланып жатырмын…", "Кешіріңіз, жауап үзіліп қалды.", "Көмекші қазір бос емес. Біраз күте тұрыңыз.", "Қайталау", "Пайдалы", "Пайдасыз", "Хабарландыруды ашу", "Сіз", "Сұрақтарды тым жиі жіберіп жатырсыз. Біраз күтіп, қайта байқап көріңіз.", "Жауап жазылуда…", "Хабарландырудан аударма", "Қызметкерлер тексерген"],
    fa: ["دستیار BRISMIS", "از دستیار BRISMIS بپرسید", "سلام! دربارهٔ BRISMIS از من بپرسید. من بر اساس اطلاعیه‌های منتشرشده پاسخ می‌دهم و منابعم را نشان می‌دهم.", "سؤال خود را بنویسید…", "ارسال", "گفت‌وگوی جدید", "بستن", "منابع", "در حال فکر کردن…", "متأسفیم، پاسخ قطع شد.", "دستیار اکنون مشغول است. لطفاً کمی صبر کنید.", "تلاش دوباره", "مفید", "غیرمفید", "باز کردن اطلاعیه", "شما", "سؤال‌ها را خیلی سریع می‌فرستید. لطفاً کمی صبر کنید و دوباره امتحان کنید.", "در حال نوشتن پاسخ…", "ترجمه از اطلاعیه", "تأییدشده توسط کارکنان"],
    pt: ["Assistente BRISMIS", "Perguntar ao Assistente BRISMIS", "Olá! Pergunte-me sobre o BRISMIS. Respondo com base nos comunicados publicados e indico as fontes.", "Escreva sua pergunta…", "Enviar", "Nova conversa", "Fechar", "Fontes", "Pensando…", "Desculpe, a resposta foi interrompida.", "O assistente está ocupado. Aguarde um momento.", "Tentar novamente", "Útil", "Não foi útil", "Abrir o comunicado", "Você", "Você está enviando perguntas rápido demais. Aguarde um momento e tente novamente.", "Escrevendo a resposta…", "Traduzido do comunicado", "Verificado pela equipe"],
    de: ["BRISMIS-Assistent", "BRISMIS-Assistent fragen", "Hallo! Fragen Sie mich zu BRISMIS. Ich antworte anhand der veröffentlichten Mitteilungen und nenne meine Quellen.", "Ihre Frage …", "Senden", "Neues Gespräch", "Schließen", "Quellen", "Denke nach …", "Die Antwort wurde leider unterbrochen.", "Der Assistent ist gerade ausgelastet. Bitte warten Sie einen Moment.", "Erneut versuchen", "Hilfreich", "Nicht hilfreich", "Mitteilung öffnen", "Sie", "Sie senden Ihre Fragen zu schnell. Bitte warten Sie einen Moment und versuchen Sie es dann erneut.", "Die Antwort wird geschrieben …", "Übersetzt aus der Mitteilung", "Von Mitarbeitenden geprüft"]
  };
  var code = String(LANG).toLowerCase().split(/[-_]/)[0];
  if (code === "in") code = "id";
  if (!I18N[code]) code = "en";
  var T = {};
  KEYS.forEach(function (k, i) { T[k] = I18N[code][i]; });
  if (opt.title) T.title = opt.title;
  if (opt.greeting) T.greeting = opt.greeting;
  var RTL = code === "ar" || code === "fa";

  // Colours: a valid #hex accent only; text on it is white or near-black, whichever reads better.
  var accent = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(opt.accent || "") ? opt.accent : "#1f5f8b";
  function lum(hex) {
    var h = hex.slice(1);
    if (h.length === 3) h = h.replace(/./g, "$&$&");
    return [0, 2, 4].map(function (i) {
      var c = parseInt(h.substr(i, 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }).reduce(function (s, c, i) { return s + c * [0.2126, 0.7152, 0.0722][i]; }, 0);
  }
  var L = lum(accent);
  var onAccent = 1.05 / (L + 0.05) >= (L + 0.05) / 0.0615 ? "#fff" : "#111";
  var ink = 1.05 / (L + 0.05) >= 4.5 ? accent : "#1d1d1f"; // accent as text on white only if readable
  var side = opt.position === "left" ? "left" : "right";

  var CSS =
    ":host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483000!important;width:0!important;height:0!important;top:auto!important;left:auto!important;visibility:visible!important}" +
    "*,*::before,*::after{box-sizing:border-box}[hidden]{display:none!important}" +
    ".root{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif;color:#1d1d1f;text-align:start}" +
    "button,textarea{font:inherit;color:inherit;margin:0}button{cursor:pointer;background:none;border:0;padding:0}" +
    "button:focus-visible,textarea:focus-visible,a:focus-visible{outline:2px solid transparent;box-shadow:0 0 0 2px #fff,0 0 0 4px #1d1d1f}" +
    ".launcher{position:fixed;bottom:20px;" + side + ":20px;width:56px;height:56px;border-radius:50%;background:" + accent + ";color:" + onAccent + ";display:flex;align-items:center;justify-content:center;box-shadow:0 4px 14px rgba(0,0,0,.3)}" +
    ".launcher svg,.icon svg{width:28px;height:28px;fill:currentColor}.icon svg{width:20px;height:20px}.launcher .x,.open .launcher .chat{display:none}.open .launcher .x{display:block}" +
    ".panel{position:fixed;bottom:88px;" + side + ":20px;width:380px;max-width:calc(100vw - 40px);height:600px;max-height:calc(100vh - 108px);display:flex;flex-direction:column;background:#fff;border:1px solid #c9ced6;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);overflow:hidden}" +
    "@media (max-width:600px){.panel{inset:0;width:100%;max-width:none;height:100%;max-height:none;border:0;border-radius:0}.open .launcher{display:none}textarea{font-size:16px}}" +
    ".head{display:flex;align-items:center;gap:4px;padding:10px 8px 10px 16px;background:" + accent + ";color:" + onAccent + "}" +
    ".title{flex:1;margin:0;font-size:16px;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}" +
    ".icon{width:36px;height:36px;border-radius:6px;display:flex;align-items:center;justify-content:center;font-size:20px;line-height:1}.icon:hover{background:rgba(127,127,127,.25)}" +
    ".log{flex:1;overflow-y:auto;padding:14px 12px;background:#f4f5f7;display:flex;flex-direction:column;gap:10px}" +
    ".msg{position:relative;max-width:88%;padding:9px 12px;border-radius:12px;white-space:pre-line;overflow-wrap:anywhere}" +
    ".user{align-self:flex-end;background:" + accent + ";color:" + onAccent + "}" +
    ".bot{align-self:flex-start;background:#fff;border:1px solid #dde1e6;max-width:94%}" +
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}" +
    ".status{color:#555b63;font-style:italic}.iso{unicode-bidi:isolate}.ref{unicode-bidi:isolate;font-size:11px;font-weight:600;vertical-align:super;line-height:1;color:" + ink + ";text-decoration:none}.ref:hover{text-decoration:underline}" +
    ".err{color:#a4161a;display:flex;flex-wrap:wrap;align-items:center;gap:8px}" +
    ".btn{border:1px solid currentColor;border-radius:6px;padding:3px 10px;color:" + ink + ";background:#fff}.btn:disabled{opacity:.5;cursor:default}" +
    ".mark{margin:0 0 4px;font-size:12px;font-weight:600;color:#555b63}.mark.verified{color:#1d6b3a}.mark.verified::before{content:'\\2713\\00a0'}" +
    ".found{opacity:.8}" +
    ".srcs{margin-top:10px;white-space:normal}.srcs-h{font-size:12px;font-weight:600;color:#555b63;text-transform:uppercase;letter-spacing:.03em;margin:0 0 6px}" +
    ".srcs ol{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}" +
    ".card{border:1px solid #d5dae0;border-radius:8px;background:#fafbfc}" +
    ".card-h{display:block;width:100%;text-align:start;padding:7px 9px}.card-h:hover{background:#eef1f4}" +
    ".n{display:inline-block;min-width:18px;margin-inline-end:6px;padding:0 4px;border-radius:4px;background:#e3e7ec;font-size:12px;font-weight:600;text-align:center}" +
    ".t{font-weight:600;font-size:13px}.d{display:block;font-size:12px;color:#555b63}" +
    ".snip{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:2;overflow:hidden;font-size:12.5px;color:#33383e;margin-top:2px}" +
    ".card-b{padding:0 9px 9px;font-size:13px}.pass{margin:0 0 6px;white-space:pre-line;max-height:260px;overflow-y:auto}" +
    "mark{background:#ffe58a;color:inherit;border-radius:2px}a{color:" + ink + "}" +
    ".rate{display:flex;gap:6px;margin-top:8px}.rate button{display:flex;border:1px solid #c9ced6;border-radius:14px;padding:4px 12px;background:#fff;color:#555b63}.rate svg{width:16px;height:16px;fill:currentColor}.rate .dn svg{transform:rotate(180deg)}" +
    ".rate button[aria-pressed=true]{color:" + ink + ";border-color:" + ink + ";box-shadow:inset 0 0 0 1px " + ink + ";background:#e8f0f7}" +
    ".composer{display:flex;gap:8px;padding:10px;border-top:1px solid #dde1e6;background:#fff}" +
    "textarea{flex:1;resize:none;height:42px;max-height:120px;padding:10px;border:1px solid #8a929c;border-radius:8px;background:#fff;line-height:1.4}" +
    "textarea:focus-visible{border-color:" + ink + ";box-shadow:0 0 0 1px " + ink + "}textarea::placeholder{color:#6b717a}" +
    ".send{padding:0 16px;border-radius:8px;background:" + accent + ";color:" + onAccent + ";font-weight:600}.send[aria-disabled=true]{opacity:.6;cursor:default}" +
    "@media (prefers-reduced-motion:no-preference){.status::after{content:'';display:inline-block;width:6px;height:6px;margin-inline-start:6px;border-radius:50%;background:currentColor;animation:p 1s infinite alternate}@keyframes p{from{opacity:.2}to{opacity:1}}}";

  // Elements: text only ever enters the page as text nodes.
  function el(tag, attrs) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      var v = attrs[k];
      if (v == null || v === false) continue;
      if (k === "text") e.textContent = v;
      else if (k.slice(0, 2) === "on") e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (var i = 2; i < arguments.length; i++) if (arguments[i] != null) e.append(arguments[i]);
    return e;
  }
  function icon(d, cls) {
    var NS = "http://www.w3.org/2000/svg", s = document.createElementNS(NS, "svg"), p = document.createElementNS(NS, "path");
    if (cls) s.setAttribute("class", cls);
    s.setAttribute("viewBox", "0 0 24 24");
    s.setAttribute("aria-hidden", "true");
    p.setAttribute("d", d);
    s.append(p);
    return s;
  }
  function safeUrl(u) {
    try { var x = new URL(u); return x.protocol === "http:" || x.protocol === "https:" ? x.href : null; } catch (e) { return null; }
  }
  function fmtDate(d) {
    var m = /^(\d{4})-(\d\d)-(\d\d)/.exec(d || "");
    if (!m) return d || "";
    try { return new Intl.DateTimeFormat(LANG, { dateStyle: "medium", timeZone: "UTC" }).format(Date.UTC(+m[1], m[2] - 1, +m[3])); } catch (e) { return d; }
  }
  // The passage with its highlighted sentences; offsets count code points (Python str offsets).
  function passage(text, spans) {
    var cp = Array.from(String(text || "")), p = el("p", { class: "pass", dir: "auto" }), pos = 0;
    (Array.isArray(spans) ? spans : []).filter(function (r) { return Array.isArray(r) && r[1] > r[0]; })
      .sort(function (a, b) { return a[0] - b[0]; })
      .forEach(function (r) {
        var s = Math.max(pos, r[0] | 0), e = Math.min(cp.length, r[1] | 0);
        if (e <= s) return;
        if (s > pos) p.append(cp.slice(pos, s).join(""));
        p.append(el("mark", { text: cp.slice(s, e).join("") }));
        pos = e;
      });
    if (pos < cp.length) p.append(cp.slice(pos).join(""));
    return p;
  }
  function snippet(c) {
    var cp = Array.from(String(c.text || "")), h = Array.isArray(c.highlights) && c.highlights[0];
    return (Array.isArray(h) ? cp.slice(h[0], h[1]) : cp.slice(0, 240)).join("").trim().slice(0, 240);
  }

  // A conversation's id (sent as conversation_id): 32 hex digits, from randomUUID where there is one
  // (https pages and localhost only), else from getRandomValues (in every browser the widget runs in).
  function newId() {
    if (crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return Array.from(crypto.getRandomValues(new Uint8Array(16)), function (x) { return (256 + x).toString(16).slice(1); }).join("");
  }
  function load() {
    var s = null;
    try { s = JSON.parse(sessionStorage.getItem(STORE)); } catch (e) { /* storage off */ }
    if (!s || !Array.isArray(s.ex)) s = { ex: [], open: false };
    // test() would turn a missing id into "undefined", a valid id
    if (typeof s.cid != "string" || !/^[\w-]{1,64}$/.test(s.cid)) s.cid = newId(); // also one kept by an older widget
    return s;
  }

  customElements.define(TAG, class extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      var self = this, sr = this.attachShadow({ mode: "open" });
      if ("adoptedStyleSheets" in sr && window.CSSStyleSheet && CSSStyleSheet.prototype.replaceSync) {
        var sheet = new CSSStyleSheet();
        sheet.replaceSync(CSS);
        sr.adoptedStyleSheets = [sheet];
      } else sr.append(el("style", { text: CSS })); // old browsers: needs style-src 'unsafe-inline'
      this.state = load();
      this.busy = null;
      var X = "M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7l-1.4-1.4L9.2 12 2.9 5.7l1.4-1.4 6.3 6.3 6.3-6.3z";
      this.launcher = el("button", { class: "launcher", type: "button", "aria-label": T.open, title: T.open, "aria-expanded": "false", "aria-controls": "panel", onclick: function () { self.panel.hidden ? self.open(true) : self.close(); } },
        icon("M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6.5a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01zm5 0a1.5 1.5 0 1 0 0 .01z", "chat"), icon(X, "x"));
      this.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": T.title, tabindex: "-1" });
      this.input = el("textarea", { rows: "1", maxlength: "1000", placeholder: T.placeholder, "aria-label": T.placeholder, onkeydown: function (e) {
        if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); self.submit(); }
      } });
      this.sendBtn = el("button", { class: "send", type: "submit", text: T.send });
      this.panel = el("div", { class: "panel", id: "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "ttl", hidden: true, onkeydown: function (e) {
        if (e.key === "Escape") { e.preventDefault(); self.close(); }
      } },
        el("div", { class: "head" },
          el("h2", { class: "title", id: "ttl", text: T.title }),
          el("button", { class: "icon new", type: "button", "aria-label": T.new, title: T.new, onclick: function () { self.reset(); } },
            icon("M12 5V2L7 6l5 4V7a6 6 0 1 1-6 6H4a8 8 0 1 0 8-8z")),
          el("button", { class: "icon close", type: "button", "aria-label": T.close, title: T.close, onclick: function () { self.close(); } },
            icon(X))),
        this.log,
        el("form", { class: "composer", onsubmit: function (e) { e.preventDefault(); self.submit(); } }, this.input, this.sendBtn));
      this.root = el("div", { class: "root", dir: RTL ? "rtl" : "ltr", lang: code }, this.launcher, this.panel);
      sr.append(this.root);
      this.renderAll();
      if (opt.open === "true" || this.state.open) this.open(false);
    }

    save() {
      try { sessionStorage.setItem(STORE, JSON.stringify(this.state)); } catch (e) { /* full or disabled */ }
    }
    open(focus) {
      this.panel.hidden = false;
      this.root.classList.add("open");
      this.launcher.setAttribute("aria-expanded", "true");
      this.state.open = true;
      this.save();
      this.log.scrollTop = this.log.scrollHeight;
      if (focus) this.input.focus();
    }
    close() {
      this.panel.hidden = true;
      this.root.classList.remove("open");
      this.launcher.setAttribute("aria-expanded", "false");
      this.state.open = false;
      this.save();
      this.launcher.focus();
    }
    idle() {
      this.busy = null;
      this.sendBtn.removeAttribute("aria-disabled");
      this.log.removeAttribute("aria-busy");
    }
    reset() {
      if (this.busy) { this.busy.abort(); this.idle(); }
      this.state.ex = [];
      this.state.cid = newId();
      this.save();
      this.renderAll();
      this.input.focus();
    }
    renderAll() {
      this.log.textContent = "";
      this.log.append(el("div", { class: "msg bot greeting", text: T.greeting }));
      var self = this;
      this.state.ex.forEach(function (x) {
        var v = self.renderExchange(x);
        if (x.a) self.showAnswer(x, v);
        else self.showError(x, v, T.error, 0); // interrupted by a reload
      });
    }
    renderExchange(x) {
      var v = {};
      this.log.append(el("div", { class: "msg user" }, el("span", { class: "sr", text: T.you + ": " }), el("span", { dir: "auto", text: String(x.q) })));
      v.text = document.createTextNode("");
      v.body = el("div", { dir: "auto" }, v.text);
      v.status = el("div", { class: "status", text: T.thinking, hidden: true });
      v.box = el("div", { class: "msg bot" }, el("span", { class: "sr", text: T.title + ": " }), v.body, v.status);
      this.log.append(v.box);
      this.scroll(true);
      return v;
    }
    scroll(force) {
      var l = this.log;
      if (force || l.scrollHeight - l.scrollTop - l.clientHeight < 80) l.scrollTop = l.scrollHeight;
    }

    submit() {
      var q = this.input.value.trim();
      if (!q || this.busy) return;
      this.input.value = "";
      var x = { q: q, a: null };
      this.state.ex.push(x);
      this.save();
      this.ask(x, this.renderExchange(x));
    }
    history(x) {
      var h = [];
      this.state.ex.slice(0, this.state.ex.indexOf(x)).forEach(function (p) {
        if (p.a) h.push({ role: "user", content: p.q }, { role: "assistant", content: p.a.answer });
      });
      return h.slice(-HISTORY);
    }

    async ask(x, v) {
      var self = this, ctrl = new AbortController(), why = "", timer, final = null, fail = null, reader;
      function arm() { clearTimeout(timer); timer = setTimeout(function () { why = "timeout"; ctrl.abort(); }, TIMEOUT); }
      this.busy = ctrl;
      v.text.data = "";
      this.sendBtn.setAttribute("aria-disabled", "true");
      this.log.setAttribute("aria-busy", "true");
      v.status.hidden = false;
      arm();
      try {
        var res = await fetch(API + "/api/chat/stream", {
          method: "POST", credentials: "omit", cache: "no-store", signal: ctrl.signal,
          headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
          body: JSON.stringify({ question: x.q, history: this.history(x), language: LANG, conversation_id: this.state.cid })
        });
        if (!res.ok) {
          // 429: this visitor asks too often; 503: the server is busy or not ready (both: Retry-After
          // seconds, capped); 403: this site may not use the assistant (retrying won't help)
          var st = res.status, wait = st === 429 || st === 503;
          fail = { msg: st === 429 ? T.slow : st === 503 ? T.busy : T.error, noRetry: st === 403,
            wait: wait ? Math.min(120, parseInt(res.headers.get("Retry-After"), 10) || 5) : 0 };
          try { console.warn("BRISMIS Assistant:", res.status, await res.text()); } catch (e) { /* ignore */ }
        } else {
          reader = res.body.getReader();
          var dec = new TextDecoder(), parse = sse(function (ev, data) {
            var d = {};
            try { d = JSON.parse(data || "{}") || {}; } catch (e) { /* not JSON */ }
            if (ev === "token") { v.status.hidden = true; v.text.data += d.text == null ? "" : String(d.text); arm(); self.scroll(); }
            else if (ev === "reset") { v.text.data = ""; v.status.hidden = false; arm(); }
            else if (ev === "sources") { self.showFound(v, Array.isArray(d.citations) ? d.citations : []); arm(); }
            else if (ev === "final") final = d;
            else if (ev === "error") {
              console.warn("BRISMIS Assistant:", d.message);
              fail = { msg: T.error, wait: 0, noRetry: d.retry === false };
            }
          });
          while (!final && !fail) {
            var r = await reader.read();
            if (r.done) { parse(dec.decode(), true); break; }
            parse(dec.decode(r.value, { stream: true }), false);
          }
          if (!final && !fail) fail = { msg: T.error, wait: 0 }; // stream ended without an answer
        }
      } catch (e) {
        if (why !== "timeout" && ctrl.signal.aborted) { fail = "aborted"; } // new conversation
        else fail = { msg: T.error, wait: 0 };
      } finally {
        clearTimeout(timer);
        if (reader) reader.cancel().catch(function () {});
        if (this.busy === ctrl) this.idle();
      }
      if (fail === "aborted") return;
      if (final) {
        x.a = { answer: String(final.answer == null ? v.text.data : final.answer), id: final.answer_id, grounded: final.grounded, path: String(final.path || ""), citations: Array.isArray(final.citations) ? final.citations : [] };
        this.save();
        this.showAnswer(x, v);
      } else this.showError(x, v, fail.msg, fail.wait, fail.noRetry);
    }

    // The passages found, shown while the answer is written (they are replaced by the cited ones).
    showFound(v, citations) {
      var self = this;
      if (v.found) v.found.remove();
      v.status.textContent = T.writing;
      if (!citations.length) return;
      var list = el("ol");
      citations.forEach(function (c, i) { list.append(self.card(c, i)); });
      v.found = el("div", { class: "srcs found" }, el("p", { class: "srcs-h", text: T.sources }), list);
      v.box.append(v.found);
      this.scroll();
    }

    showAnswer(x, v) {
      var self = this, a = x.a;
      v.status.hidden = true;
      v.status.textContent = T.thinking;
      if (v.found) { v.found.remove(); v.found = null; }
      if (v.mark) { v.mark.remove(); v.mark = null; }
      var label = a.path === "translated" ? T.translated : a.path === "verified" ? T.verified : "";
      if (label) {
        v.mark = el("p", { class: "mark " + (a.path === "verified" ? "verified" : "translated"), text: label });
        v.box.insertBefore(v.mark, v.body);
      }
      var cards = {}, list = el("ol"), re = /\[(\d{1,3})\]/g, m, last = 0, t = a.answer;
      a.citations.forEach(function (c, i) {
        var card = self.card(c, i);
        cards[c.n != null ? c.n : i + 1] = card;
        list.append(card);
      });
      // [n] markers become bidi-isolated links (they stay in place in right-to-left text) that open card n;
      // text with bidi overrides (U+202E…, e.g. in an announcement) is isolated so they stop before the marker
      v.body.textContent = "";
      function seg(s) { return /[\u202a-\u202e\u2066-\u2069]/.test(s) ? el("span", { class: "iso", text: s }) : s; }
      while ((m = re.exec(t))) {
        var card = cards[m[1]];
        if (!card) continue;
        v.body.append(seg(t.slice(last, m.index)), el("a", { class: "ref", href: "#", text: m[0], "aria-label": T.sources + " " + m[1], onclick: function (e) {
          e.preventDefault();
          var h = this.c.firstChild;
          if (h.getAttribute("aria-expanded") !== "true") h.click();
          h.focus();
          h.scrollIntoView({ block: "nearest" });
        } }));
        v.body.lastChild.c = card;
        last = re.lastIndex;
      }
      v.body.append(seg(t.slice(last)));
      if (a.citations.length) {
        v.box.append(el("div", { class: "srcs" }, el("p", { class: "srcs-h", text: T.sources }), list));
      }
      if (a.id != null) {
        var rate = el("div", { class: "rate" }), btns = {};
        ["up", "down"].forEach(function (r) {
          // 👍 / 👎 drawn as one SVG (the second turned over): the same on every device, emoji font or not
          btns[r] = el("button", { class: r === "up" ? "up" : "dn", type: "button", "aria-label": T[r], title: T[r], "aria-pressed": String(x.rating === r), onclick: function () { self.rate(x, r, btns); } },
            icon("M1 21h4V9H1zm22-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.5-1.1L14.2 1 7.6 7.6C7.2 8 7 8.5 7 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7z"));
          rate.append(btns[r]);
        });
        v.box.append(rate);
      }
      this.scroll();
    }
    card(c, i) {
      var id = "c" + Math.random().toString(36).slice(2), body, snip, url = safeUrl(c.url);
      var head = el("button", { class: "card-h", type: "button", "aria-expanded": "false", "aria-controls": id, onclick: function () {
        var open = body.hidden;
        body.hidden = !open;
        snip.hidden = open;
        head.setAttribute("aria-expanded", String(open));
      } },
        el("span", { class: "n", text: c.n != null ? String(c.n) : String(i + 1) }),
        el("span", { class: "t", dir: "auto", text: String(c.title || c.doc_id || "") }),
        c.date ? el("span", { class: "d", text: fmtDate(String(c.date)) }) : null,
        snip = el("span", { class: "snip", dir: "auto", text: snippet(c) }));
      body = el("div", { class: "card-b", id: id, hidden: true }, passage(c.text, c.highlights),
        url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: T.link + " ↗" }) : null);
      return el("li", { class: "card" }, head, body);
    }
    async rate(x, r, btns) {
      if (x.rating === r) return;
      try {
        var res = await fetch(API + "/api/feedback", { method: "POST", credentials: "omit", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ answer_id: x.a.id, rating: r }) });
        if (!res.ok) throw new Error(res.status);
        x.rating = r;
        this.save();
        btns.up.setAttribute("aria-pressed", String(r === "up"));
        btns.down.setAttribute("aria-pressed", String(r === "down"));
      } catch (e) { console.warn("BRISMIS Assistant: feedback not sent", e); }
    }
    showError(x, v, msg, wait, noRetry) {
      var self = this;
      v.status.hidden = true;
      v.text.data = ""; // what arrived of an interrupted answer is not shown as if it were the answer
      var retry = noRetry ? null : el("button", { class: "btn", type: "button", text: T.retry, disabled: wait > 0, onclick: function () {
        if (self.busy) return;
        box.remove();
        self.ask(x, v);
      } });
      var box = el("div", { class: "err", role: "alert" }, el("span", { text: msg }), retry);
      v.box.append(box);
      if (wait > 0) setTimeout(function () { retry.disabled = false; }, wait * 1000);
      this.scroll();
    }
  });

  // Server-sent events over fetch (EventSource cannot POST): calls fn(event, data) per event.
  function sse(fn) {
    var buf = "", ev = "", data = null;
    function line(l) {
      if (l === "") { if (data !== null || ev) fn(ev || "message", data === null ? "" : data); ev = ""; data = null; return; }
      if (l[0] === ":") return; // comment, e.g. ": ping"
      var i = l.indexOf(":"), f = i < 0 ? l : l.slice(0, i), val = i < 0 ? "" : l.slice(i + 1);
      if (val[0] === " ") val = val.slice(1);
      if (f === "event") ev = val;
      else if (f === "data") data = data === null ? val : data + "\n" + val;
    }
    return function (chunk, end) {
      buf += chunk;
      var re = /\r\n|\r|\n/g, m, start = 0;
      while ((m = re.exec(buf))) {
        if (m[0] === "\r" && m.index === buf.length - 1 && !end) break; // may be half of \r\n
        line(buf.slice(start, m.index));
        start = re.lastIndex;
      }
      buf = buf.slice(start);
      if (end) { if (buf) line(buf); line(""); buf = ""; }
    };
  }

  function mount() {
    if (!document.querySelector(TAG)) document.body.append(document.createElement(TAG));
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
