"""The embeddable chat widget (bot/serve/widget/widget.js) in a real browser.

Debian's Chromium, driven by Playwright, opens host pages served by tests/widget_fake_server.py (a
stand-in for the API with scripted answers) on another origin than the widget's, so every call is
cross-origin as on a museum's site. Screenshots go to test-artifacts/.

Needs /usr/bin/chromium and the playwright package: `make test` installs both. Nothing here is
skipped: without them the tests fail and say so.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from widget_fake_server import IMG, XSS, FakeServer

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # reported by the fixture as a failure, never a skip
    sync_playwright = expect = None

pytestmark = pytest.mark.integration

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}
ROOT_JS = "document.querySelector('brismis-chat').shadowRoot"


@pytest.fixture(scope="module")
def chromium_browser():
    if sync_playwright is None:
        pytest.fail("the playwright package is missing: `make test` installs it "
                    "(pip install playwright==1.65.2 pytest-playwright==0.10.0)")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install -y chromium)")
    expect.set_options(timeout=10_000)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def fake():
    server = FakeServer().start()
    yield server
    server.stop()


@pytest.fixture
def open_page(chromium_browser, fake):
    """open_page(path="/host", locale=..., viewport=..., init=js, **data_attrs) -> a page with the widget;
    ``init``: a script run in the page before any of its own."""
    contexts = []

    def _open(path: str = "/host", locale: str = "en-US", viewport: dict = DESKTOP, init: str | None = None,
              **attrs):
        ctx = chromium_browser.new_context(locale=locale, viewport=viewport, is_mobile=viewport is PHONE,
                                  has_touch=viewport is PHONE)
        contexts.append(ctx)
        if init:
            ctx.add_init_script(init)
        page = ctx.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto(fake.page(path, **attrs) if path != "/demo" else f"{fake.api}/demo")
        page.locator(".launcher").wait_for()
        return page

    yield _open
    for ctx in contexts:
        ctx.close()


def ask(page, question: str) -> None:
    box = page.locator("textarea")
    box.fill(question)
    box.press("Enter")


def last_answer(page):
    return page.locator(".msg.bot").last


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"widget-{name}.png"))


def wait_answered(page, count: int) -> None:
    expect(page.locator(".rate")).to_have_count(count)


# -- the main path ------------------------------------------------------------------------------

def test_hostile_page_streams_an_english_answer_with_sources_and_feedback(open_page, fake):
    page = open_page()
    launcher = page.locator(".launcher")
    # The host's `* { all: unset !important }`, `div { display: none }` and red buttons do not reach in.
    style = launcher.evaluate("e => { const s = getComputedStyle(e); return [s.position, s.width, s.backgroundColor] }")
    assert style == ["fixed", "56px", "rgb(31, 95, 139)"]
    assert launcher.get_attribute("aria-expanded") == "false"
    launcher.click()
    panel = page.locator("[role=dialog]")
    expect(panel).to_be_visible()
    assert launcher.get_attribute("aria-expanded") == "true"
    assert panel.evaluate("e => getComputedStyle(e).fontSize") == "14px"
    assert page.locator("[role=log]").get_attribute("aria-live") == "polite"
    expect(page.locator(".greeting")).to_contain_text("Ask me about BRISMIS")

    gate = fake.hold()
    ask(page, "When was the first BRISMIS symposium held?")
    answer = last_answer(page)
    # Streamed: the first tokens show while the rest is still on its way.
    expect(answer).to_contain_text("The first BRISMIS symposium")
    assert "November" not in answer.inner_text()
    assert page.locator(".srcs").count() == 0
    gate.set()
    expect(answer).to_contain_text("was held in November 2017, hosted by CANSM [1]. It led to a Letter "
                                   "of Agreement with UNESCO [2].")
    cards = answer.locator(".card")
    expect(cards).to_have_count(2)
    expect(answer.locator(".srcs-h")).to_have_text("Sources")
    first = cards.first
    expect(first.locator(".t")).to_have_text("Letter of Agreement signed between CANSM and UNESCO")
    expect(first.locator(".d")).to_have_text("Jun 24, 2018")
    expect(first.locator(".card-b")).to_be_hidden()
    first.locator(".card-h").click()
    expect(first.locator(".card-b")).to_be_visible()
    assert first.locator(".card-h").get_attribute("aria-expanded") == "true"
    marks = first.locator("mark")
    expect(marks).to_have_count(2)
    expect(marks.first).to_have_text(re.compile(r"^In November 2017.*CANSM hosted the First .*\(BRISMIS\)\.$"))
    expect(marks.nth(1)).to_have_text("The Beijing Declaration was formally issued")
    assert first.locator("a").get_attribute("href") == "http://www.brismis.org/event/1121.jhtml"
    assert first.locator("a").get_attribute("rel") == "noopener noreferrer"
    # The second citation has no http(s) URL: no link; its [2] marker opens its card.
    answer.locator(".ref", has_text="[2]").click()
    expect(cards.nth(1).locator(".card-b")).to_be_visible()
    assert cards.nth(1).locator("a").count() == 0

    up, down = answer.locator(".rate button").first, answer.locator(".rate button").last
    assert up.get_attribute("aria-label") == "Helpful" and down.get_attribute("aria-label") == "Not helpful"
    up.click()
    expect(up).to_have_attribute("aria-pressed", "true")
    expect(down).to_have_attribute("aria-pressed", "false")
    chat = fake.chats[-1]
    assert fake.feedback[-1] == {"answer_id": f"ans-en-{len(fake.chats)}", "rating": "up"}
    assert chat["question"] == "When was the first BRISMIS symposium held?"
    assert chat["history"] == [] and chat["language"] == "en-US"
    assert chat["_origin"] == f"http://localhost:{fake.port}"  # cross-origin, as on a museum's site
    shot(page, "desktop-en")
    assert page.errors == []


def test_chinese_follow_up_sends_history_survives_reload_and_new_conversation_clears(open_page, fake):
    page = open_page()
    page.locator(".launcher").click()
    ask(page, "When was the first BRISMIS symposium held?")
    wait_answered(page, 1)
    last_answer(page).locator(".rate button").last.click()
    expect(last_answer(page).locator(".rate button").last).to_have_attribute("aria-pressed", "true")
    ask(page, "第一届BRISMIS研讨会是由谁主办的？")
    expect(last_answer(page)).to_contain_text("首届 BRISMIS 研讨会于2017年11月举行，由中国自然科学博物馆学会主办[1]。")
    wait_answered(page, 2)
    history = fake.chats[-1]["history"]
    assert [m["role"] for m in history] == ["user", "assistant"]
    assert history[0]["content"] == "When was the first BRISMIS symposium held?"
    assert history[1]["content"].startswith("The first BRISMIS symposium was held in November 2017")
    shot(page, "desktop-zh")

    page.reload()
    page.locator(".launcher").wait_for()
    expect(page.locator("[role=dialog]")).to_be_visible()  # it was open: it opens again
    expect(page.locator(".msg.user")).to_have_count(2)
    expect(page.locator(".msg.user").last).to_contain_text("第一届BRISMIS研讨会是由谁主办的？")
    expect(page.locator(".card")).to_have_count(4)
    expect(page.locator(".rate button").nth(1)).to_have_attribute("aria-pressed", "true")  # 👎 kept

    ask(page, "And what came of it?")
    wait_answered(page, 3)
    assert len(fake.chats[-1]["history"]) == 4

    page.get_by_role("button", name="New conversation").click()
    expect(page.locator(".msg.user")).to_have_count(0)
    expect(page.locator(".msg.bot")).to_have_count(1)  # the greeting
    expect(page.locator(".greeting")).to_be_visible()
    page.reload()
    page.locator(".launcher").wait_for()
    expect(page.locator(".msg.user")).to_have_count(0)
    ask(page, "A fresh question")
    wait_answered(page, 1)
    assert fake.chats[-1]["history"] == []
    assert page.errors == []


CONVERSATION_ID = re.compile(r"[0-9a-f]{32}")  # the widget's ids; the server accepts ^[A-Za-z0-9_-]{1,64}$


def test_conversation_id_is_kept_for_the_conversation_and_renewed_by_new_conversation(open_page, fake):
    page = open_page()
    page.locator(".launcher").click()
    ask(page, "When was the first BRISMIS symposium held?")
    wait_answered(page, 1)
    first = fake.chats[-1]["conversation_id"]
    assert CONVERSATION_ID.fullmatch(first), first
    ask(page, "And who hosted it?")  # a follow-up: the same conversation
    wait_answered(page, 2)
    assert fake.chats[-1]["conversation_id"] == first
    assert len(fake.chats[-1]["history"]) == 2

    page.reload()  # kept in sessionStorage with the history
    page.locator(".launcher").wait_for()
    expect(page.locator(".msg.user")).to_have_count(2)
    ask(page, "And what came of it?")
    wait_answered(page, 3)
    assert fake.chats[-1]["conversation_id"] == first and len(fake.chats[-1]["history"]) == 4

    page.get_by_role("button", name="New conversation").click()
    ask(page, "A question in a new conversation")
    wait_answered(page, 1)
    second = fake.chats[-1]["conversation_id"]
    assert CONVERSATION_ID.fullmatch(second) and second != first
    assert fake.chats[-1]["history"] == []
    page.reload()
    page.locator(".launcher").wait_for()
    ask(page, "Its follow-up after a reload")
    wait_answered(page, 2)
    assert fake.chats[-1]["conversation_id"] == second

    # Another visitor (another tab: its own sessionStorage) has another conversation.
    other = open_page()
    other.locator(".launcher").click()
    ask(other, "When was the first BRISMIS symposium held?")
    wait_answered(other, 1)
    assert fake.chats[-1]["conversation_id"] not in (first, second)
    assert page.errors == [] and other.errors == []


def test_conversation_id_without_random_uuid_and_from_an_older_stored_state(open_page, fake):
    """crypto.randomUUID exists only in secure contexts (https, localhost): a museum page on plain
    http has none. A conversation stored by an older widget (no id) gets one."""
    old = '{"ex": [{"q": "Old question", "a": {"answer": "Old answer", "citations": []}}], "open": true}'
    init = ("delete Crypto.prototype.randomUUID;"
            f"if (!sessionStorage.getItem('seeded')) {{ sessionStorage.setItem('seeded', '1');"
            f" sessionStorage.setItem('brismis-chat:{fake.api}', {old!r}); }}")
    page = open_page(init=init)
    assert page.evaluate("typeof crypto.randomUUID") == "undefined"
    expect(page.locator("[role=dialog]")).to_be_visible()
    expect(page.locator(".msg.user")).to_have_text("You: Old question")
    ask(page, "A follow-up to the old question")
    wait_answered(page, 1)  # the old answer had no answer_id: no rating buttons
    body = fake.chats[-1]
    assert CONVERSATION_ID.fullmatch(body["conversation_id"]), body["conversation_id"]
    assert body["history"] == [{"role": "user", "content": "Old question"},
                               {"role": "assistant", "content": "Old answer"}]
    page.get_by_role("button", name="New conversation").click()
    ask(page, "A new one without randomUUID")
    wait_answered(page, 1)
    assert CONVERSATION_ID.fullmatch(fake.chats[-1]["conversation_id"])
    assert fake.chats[-1]["conversation_id"] != body["conversation_id"]
    assert page.errors == []


def test_history_is_capped_at_ten_messages(open_page, fake):
    page = open_page()
    page.locator(".launcher").click()
    for i in range(7):
        ask(page, f"Question {i}")
        wait_answered(page, i + 1)
    history = fake.chats[-1]["history"]  # sent with question 6: the last 10 of 12 messages
    assert len(history) == 10
    assert history[0] == {"role": "user", "content": "Question 1"}
    assert history[-2] == {"role": "user", "content": "Question 5"}
    assert history[-1]["role"] == "assistant"


# -- layouts and languages ------------------------------------------------------------------------

def test_mobile_panel_fills_the_screen(open_page):
    page = open_page(viewport=PHONE)
    page.locator(".launcher").click()
    ask(page, "When was the first BRISMIS symposium held?")
    wait_answered(page, 1)
    box = page.locator("[role=dialog]").bounding_box()
    assert box == {"x": 0, "y": 0, "width": 375, "height": 667}
    expect(page.locator(".launcher")).to_be_hidden()  # under the panel: closing is the close button
    page.locator(".card-h").first.click()
    shot(page, "mobile-en")
    page.get_by_role("button", name="Close").click()
    expect(page.locator("[role=dialog]")).to_be_hidden()
    expect(page.locator(".launcher")).to_be_focused()


def test_arabic_visitor_gets_right_to_left_arabic_interface(open_page, fake):
    page = open_page(locale="ar")
    assert page.evaluate("navigator.language") == "ar"
    page.locator(".launcher").click()
    assert page.locator(".root").get_attribute("dir") == "rtl"
    assert page.locator(".root").get_attribute("lang") == "ar"
    assert page.locator("textarea").get_attribute("placeholder") == "اكتب سؤالك…"
    expect(page.locator(".send")).to_have_text("إرسال")
    expect(page.locator(".title")).to_have_text("مساعد BRISMIS")
    ask(page, "متى عقدت أول ندوة BRISMIS؟")
    answer = last_answer(page)
    expect(answer).to_contain_text("عُقدت ندوة BRISMIS الأولى في نوفمبر 2017 بتنظيم من CANSM [1].")
    expect(answer.locator(".srcs-h")).to_have_text("المصادر")
    assert answer.locator(".rate button").first.get_attribute("aria-label") == "مفيد"
    assert fake.chats[-1]["language"] == "ar"
    # The panel's header starts on the right; an English passage keeps its own direction.
    head = page.locator(".title").bounding_box()
    close = page.locator(".close").bounding_box()
    assert head["x"] > close["x"]
    answer.locator(".card-h").first.click()
    assert answer.locator(".pass").first.evaluate("e => getComputedStyle(e).direction") == "ltr"
    shot(page, "desktop-ar")
    page.set_viewport_size(PHONE)
    shot(page, "mobile-ar")


def test_data_attributes_configure_the_widget(open_page, fake):
    page = open_page(position="left", accent="#7a1f5c", title="Ask the Museum", greeting="Welcome, visitor!",
                     language="fr", open="true")
    panel = page.locator("[role=dialog]")
    expect(panel).to_be_visible()  # data-open
    expect(page.locator(".title")).to_have_text("Ask the Museum")
    expect(page.locator(".greeting")).to_have_text("Welcome, visitor!")
    expect(page.locator(".send")).to_have_text("Envoyer")  # data-language=fr beats navigator.language
    assert page.locator(".launcher").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(122, 31, 92)"
    assert page.locator(".launcher").bounding_box()["x"] == 20
    assert panel.bounding_box()["x"] == 20
    # Opening by itself does not steal the page's focus.
    assert page.evaluate("document.activeElement === document.body")
    ask(page, "Quand a eu lieu le premier symposium ?")
    wait_answered(page, 1)
    assert fake.chats[-1]["language"] == "fr"
    # A bad accent value is ignored (no CSS injection).
    page2 = open_page(accent="red;}*{display:none")
    assert page2.locator(".launcher").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(31, 95, 139)"


def test_widget_text_survives_a_legacy_encoded_page_and_a_missing_charset(open_page):
    """widget.js starts with a UTF-8 byte order mark, which wins over the page's encoding (GBK here)
    when the server sends no charset."""
    page = open_page("/gbk", locale="zh-CN")
    assert page.evaluate("document.characterSet") == "GBK"
    page.locator(".launcher").click()
    expect(page.locator(".send")).to_have_text("发送")
    assert page.locator("textarea").get_attribute("placeholder") == "请输入您的问题…"


def test_demo_page_embeds_the_widget_with_one_script_tag(open_page):
    page = open_page("/demo")
    assert page.locator("script").count() == 1
    assert page.locator("script").get_attribute("src") == "/widget.js"
    expect(page.locator("header")).to_contain_text("BRISMIS")
    page.locator(".launcher").click()
    ask(page, "When was the first BRISMIS symposium held?")
    wait_answered(page, 1)
    shot(page, "demo")
    assert page.errors == []


# -- safety -------------------------------------------------------------------------------------

def test_markup_in_questions_answers_and_citations_is_shown_as_text(open_page):
    page = open_page()
    page.locator(".launcher").click()
    question = f"XSS? {IMG}"
    ask(page, question)
    wait_answered(page, 1)
    expect(page.locator(".msg.user")).to_have_text(f"You: {question}")
    answer = last_answer(page)
    expect(answer).to_contain_text(f"{XSS} is shown as text {IMG} [1].")
    expect(answer.locator(".t")).to_have_text(f"{IMG} title")
    answer.locator(".card-h").click()
    expect(answer.locator("mark").first).to_have_text(XSS)
    expect(answer.locator("mark").nth(1)).to_have_text(IMG)
    assert answer.locator(".card a").count() == 0  # javascript: URL: no link
    assert page.evaluate(f"[...{ROOT_JS}.querySelectorAll('a')].map(a => a.getAttribute('href'))") == ["#"]
    time.sleep(0.3)
    assert page.evaluate("window.__xss") is None
    assert page.evaluate(f"{ROOT_JS}.querySelectorAll('img, script, b').length") == 0
    assert page.errors == []


def test_strict_csp_page_needs_no_inline_styles(open_page, fake):
    """default-src 'none'; script-src HOST; connect-src HOST; style-src 'none': still styled, works."""
    violations = []
    page = open_page("/csp")
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.evaluate("document.addEventListener('securitypolicyviolation', e => (window.__csp = window.__csp || []).push(e.violatedDirective))")
    assert page.locator(".launcher").evaluate("e => getComputedStyle(e).position") == "fixed"
    page.locator(".launcher").click()
    ask(page, "When was the first BRISMIS symposium held?")
    wait_answered(page, 1)
    page.locator(".card-h").first.click()
    expect(page.locator("mark").first).to_be_visible()
    assert page.evaluate("window.__csp") is None
    assert violations == []


# -- failures -----------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["DROP", "EOF"])
def test_dropped_stream_shows_a_retry_message_and_retry_works(open_page, fake, how):
    page = open_page()
    page.locator(".launcher").click()
    ask(page, f"{how} when was the symposium?")
    answer = last_answer(page)
    error = answer.locator("[role=alert]")
    expect(error).to_contain_text("Sorry, the answer was interrupted.")
    expect(answer.locator(".rate")).to_have_count(0)
    expect(answer).not_to_contain_text("Partial answer")  # what arrived is not passed off as the answer
    if how == "DROP":
        shot(page, "dropped-en")
    answer.get_by_role("button", name="Try again").click()
    expect(error).to_have_count(0)
    expect(answer).to_contain_text("The first BRISMIS symposium was held in November 2017")
    expect(answer).not_to_contain_text("Partial answer")
    wait_answered(page, 1)
    assert page.errors == []


def test_reset_event_clears_the_text_shown_so_far(open_page):
    page = open_page()
    page.locator(".launcher").click()
    ask(page, "RESET please")
    answer = last_answer(page)
    expect(answer).to_contain_text("Verified answer after reset [1].")
    wait_answered(page, 1)
    assert "Draft answer" not in answer.inner_text()


def test_stream_cut_anywhere_with_crlf_and_multiline_data_is_parsed(open_page):
    page = open_page()
    page.locator(".launcher").click()
    ask(page, "SPLIT it")
    wait_answered(page, 1)
    expect(last_answer(page)).to_contain_text("分段传输 works ✓")
    assert page.errors == []


def test_error_event_timeout_and_busy_show_retry_messages(open_page, fake):
    page = open_page(timeout="2")
    page.locator(".launcher").click()
    ask(page, "ERRORE now")
    expect(last_answer(page).locator("[role=alert]")).to_contain_text("Sorry, the answer was interrupted.")

    started = time.monotonic()
    ask(page, "STALL now")  # only heartbeats after one token: data-timeout=2 s
    expect(last_answer(page).locator("[role=alert]")).to_contain_text("Sorry, the answer was interrupted.")
    assert 1.5 < time.monotonic() - started < 6

    ask(page, "BUSY now")  # 503 with Retry-After: 2
    alert = last_answer(page).locator("[role=alert]")
    expect(alert).to_have_text("The assistant is busy. Please wait a moment.Try again")
    retry = alert.get_by_role("button", name="Try again")
    expect(retry).to_be_disabled()
    expect(retry).to_be_enabled(timeout=5000)
    assert page.errors == []


SLOW = {  # the 429 message ("you are sending questions too quickly", not the 503 "busy") in three languages
    "en": "You are sending questions too quickly. Please wait a moment and try again.",
    "zh": "您提问过于频繁，请稍候再试。",
    "ar": "أنت ترسل الأسئلة بسرعة كبيرة. يُرجى الانتظار قليلًا ثم المحاولة مجددًا.",
}


@pytest.mark.parametrize("locale, question, retry_label, answer_text", [
    ("en-US", "SLOW when was the first symposium?", "Try again", "The first BRISMIS symposium was held"),
    ("zh-CN", "SLOW 第一届研讨会是什么时候举办的？", "重试", "首届 BRISMIS 研讨会于2017年11月举行"),
    ("ar", "SLOW متى عقدت أول ندوة؟", "إعادة المحاولة", "عُقدت ندوة BRISMIS الأولى في نوفمبر 2017"),
])
def test_too_many_questions_429_is_told_apart_and_retry_waits_for_retry_after(open_page, fake, locale, question,
                                                                                retry_label, answer_text):
    lang = locale[:2]
    page = open_page(locale=locale)
    page.locator(".launcher").click()
    ask(page, question)  # 429 with Retry-After: 2 the first time
    answer = last_answer(page)
    alert = answer.locator("[role=alert]")
    expect(alert.locator("span")).to_have_text(SLOW[lang])
    shown = time.monotonic()
    retry = alert.get_by_role("button", name=retry_label)
    expect(retry).to_be_disabled()
    if lang == "en":
        shot(page, "too-many-questions-en")
    expect(retry).to_be_enabled(timeout=5000)
    assert 1.2 < time.monotonic() - shown < 4  # Retry-After: 2
    first = fake.chats[-1]
    retry.click()
    expect(alert).to_have_count(0)
    expect(answer).to_contain_text(answer_text)
    wait_answered(page, 1)
    again = fake.chats[-1]
    assert again is not first and again["question"] == first["question"] == question
    assert again["conversation_id"] == first["conversation_id"]
    assert page.errors == []


def test_forbidden_origin_403_shows_the_error_without_retry(open_page, fake):
    page = open_page()
    page.locator(".launcher").click()
    ask(page, "FORBID this site")
    answer = last_answer(page)
    alert = answer.locator("[role=alert]")
    expect(alert).to_have_text("Sorry, the answer was interrupted.")
    assert alert.locator("button").count() == 0
    expect(page.locator(".send")).not_to_have_attribute("aria-disabled", "true")  # the visitor may ask again
    assert page.errors == []


# -- keyboard -----------------------------------------------------------------------------------

def test_keyboard_only_use(open_page):
    page = open_page()
    focused = f"{ROOT_JS}.activeElement && {ROOT_JS}.activeElement.className"
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate(focused) == "launcher":
            break
    assert page.evaluate(focused) == "launcher"
    shot(page, "keyboard-focus")
    page.keyboard.press("Enter")
    expect(page.locator("[role=dialog]")).to_be_visible()
    assert page.evaluate(f"{ROOT_JS}.activeElement.tagName") == "TEXTAREA"
    page.keyboard.type("When was the first BRISMIS symposium held?")
    page.keyboard.press("Shift+Enter")  # a new line, not a send
    assert page.locator(".msg.user").count() == 0
    page.keyboard.press("Enter")
    wait_answered(page, 1)
    expect(page.locator(".msg.user")).to_contain_text("When was the first BRISMIS symposium held?")
    page.keyboard.press("Escape")
    expect(page.locator("[role=dialog]")).to_be_hidden()
    assert page.evaluate(focused) == "launcher"
    assert page.locator(".launcher").get_attribute("aria-expanded") == "false"
