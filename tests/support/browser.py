"""A classroom in the browser for end-to-end tests: the facilitator's control page, the projector
and phone-sized trainees who joined, all in one language."""

import re
from dataclasses import dataclass, field

from playwright.sync_api import Browser, BrowserContext, Page, expect

from app.i18n import translate
from tests.support.clients import PASSWORD

PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "zh-CN",
}


def start_session(control: Page, url: str, lang: str = "zh-CN") -> tuple[str, str]:
    control.goto(f"{url}/control")
    control.fill("input[name=username]", "trainer")
    control.fill("input[name=password]", PASSWORD)
    control.get_by_role("button", name=translate(lang, "auth.login")).click()
    control.get_by_role("button", name=translate(lang, "control.open_session")).first.click()
    control.wait_for_url(re.compile(r"/control/\d+$"))
    return control.url.rsplit("/", 1)[1], control.locator(".status-bar .big").inner_text()


def open_projector(browser: Browser, control: Page, url: str, session_id: str, lang: str = "zh-CN") -> Page:
    """The screen view in a window of its own, logged in as the control page is (a tab behind
    the control page would be a hidden page, whose animation frames the browser holds back)."""
    projector = browser.new_context(
        viewport={"width": 1920, "height": 1080}, locale=lang, storage_state=control.context.storage_state()
    )
    screen = projector.new_page()
    screen.goto(f"{url}/screen/{session_id}")
    return screen


def join(page: Page, url: str, code: str, name: str, lang: str = "zh-CN") -> None:
    page.goto(f"{url}/join")
    page.fill("input[name=code]", code)
    page.fill("#join-form input[name=name]", name)
    page.get_by_role("button", name=translate(lang, "join.submit"), exact=True).click()
    expect(page.locator("#play-stage")).to_contain_text(translate(lang, "play.lobby_title"))


def on_activity(page: Page, activity_id: str) -> None:
    expect(page.locator(f'#play-stage[data-activity="{activity_id}"]')).to_be_visible()


def answer(page: Page, question, right: bool) -> None:
    """Answer a quiz question rightly or wrongly, whatever its type."""
    ids = question.right_answer
    if question.type == "truefalse":
        ids = ids if right else [("false" if ids[0] == "true" else "true")]
    elif question.type == "order":
        ids = ids if right else list(reversed(ids))
    elif not right:
        ids = [next(o.id for o in question.options if o.id not in question.right_answer)]
    if question.type == "multiple":
        for option_id in ids:
            page.check(f'input[name=choice][value="{option_id}"]')
        page.locator("form.choices button[type=submit]").click()
    else:
        for option_id in ids:
            page.locator(f'button.choice[value="{option_id}"]').click()
            expect(page.locator(f'button.choice[value="{option_id}"]')).to_have_count(
                0 if question.type == "order" else 1
            )
    expect(page.locator(".saved")).to_be_visible()


@dataclass
class Room:
    lang: str
    url: str
    session_id: str
    code: str
    trainer: BrowserContext
    control: Page
    screen: Page
    phones: dict[str, Page] = field(default_factory=dict)

    def t(self, key: str, **values) -> str:
        return translate(self.lang, key, **values)

    def join(self, browser: Browser, name: str, **options) -> Page:
        """A phone joins; `options` change its browser context (reduced motion, a user agent)."""
        context = browser.new_context(**{**PHONE, "locale": self.lang, **options})
        context.add_cookies([{"name": "lang", "value": self.lang, "url": self.url}])
        page = context.new_page()
        join(page, self.url, self.code, name, self.lang)
        self.phones[name] = page
        return page

    def teams(self, count: int) -> None:
        """Deal everyone into `count` teams, round-robin in the order they joined."""
        self.control.locator("#balance-count").fill(str(count))
        self.control.locator("#balance-count").press("Enter")
        expect(self.control.locator("#control-roster .team-name")).to_have_count(count)

    def go(self, activity_id: str) -> None:
        self.control.locator(f'.agenda-item[data-activity="{activity_id}"]').click()
        for page in self.phones.values():
            on_activity(page, activity_id)

    def close(self) -> None:
        for page in [*self.phones.values(), self.screen]:
            page.context.close()
        self.trainer.close()


def open_room(browser: Browser, url: str, lang: str, names: list[str]) -> Room:
    """Log in, open a session, show the screen in `lang`, and let `names` join on phones."""
    trainer = browser.new_context(viewport={"width": 1366, "height": 900}, locale=lang)
    trainer.add_cookies([{"name": "lang", "value": lang, "url": url}])
    control = trainer.new_page()
    session_id, code = start_session(control, url, lang)
    control.locator(f'.status-bar button[lang="{lang}"]').click()  # the screen in this language too
    screen = open_projector(browser, control, url, session_id, lang)
    expect(screen.locator(".lobby-how")).to_contain_text(translate(lang, "screen.join_how"))
    room = Room(lang, url, session_id, code, trainer, control, screen)
    for name in names:
        room.join(browser, name)
    return room


# What a phone shows that is too wide or too small to tap (WCAG's 44 px, less a rounding pixel).
PHONE_PROBE = """() => {
  const problems = [];
  if (document.documentElement.scrollWidth > window.innerWidth)
    problems.push('scrolls sideways: ' + document.documentElement.scrollWidth + 'px');
  const controls = ['button', 'select', 'summary', 'input:not([type=hidden])', 'textarea']
    .map(tag => '#play-stage ' + tag).join(', ');
  for (const el of document.querySelectorAll(controls)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;  // not shown
    const target = el.closest('label') || el;  // a radio's target is its label
    if (target.getBoundingClientRect().height < 43)
      problems.push('small target: ' + (el.textContent || el.name || el.className).trim().slice(0, 30)
                    + ' ' + Math.round(target.getBoundingClientRect().height) + 'px');
  }
  return problems;
}"""

# What a projector shows that is too wide, cut off at the bottom, or text smaller than 32 px (read
# from the back row).
SCREEN_PROBE = """() => {
  const problems = [];
  if (document.documentElement.scrollWidth > window.innerWidth)
    problems.push('scrolls sideways: ' + document.documentElement.scrollWidth + 'px');
  const texts = document.createTreeWalker(document.getElementById('screen-stage'), NodeFilter.SHOW_TEXT);
  while (texts.nextNode()) {
    const text = texts.currentNode.textContent.trim(), el = texts.currentNode.parentElement;
    if (!text || !el.getClientRects().length) continue;  // not shown
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 31.5) problems.push('small text: ' + text.slice(0, 30) + ' ' + Math.round(size) + 'px');
    if (el.getBoundingClientRect().bottom > window.innerHeight)
      problems.push('cut off: ' + text.slice(0, 30));
  }
  return problems;
}"""


def phone_problems(page: Page) -> list[str]:
    return page.evaluate(PHONE_PROBE)


def screen_problems(page: Page) -> list[str]:
    return page.evaluate(SCREEN_PROBE)
