"""A classroom in the browser for end-to-end tests: the facilitator's control page, the projector
and phone-sized trainees who joined, all in one language."""

from dataclasses import dataclass, field

from playwright.sync_api import Browser, BrowserContext, Page, expect

from app.i18n import translate
from tests.e2e.test_classroom import PHONE, join, on_activity, start_session


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

    def join(self, browser: Browser, name: str) -> Page:
        context = browser.new_context(**{**PHONE, "locale": self.lang})
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
        for page in self.phones.values():
            page.context.close()
        self.trainer.close()


def open_room(browser: Browser, url: str, lang: str, names: list[str]) -> Room:
    """Log in, open a session, show the screen in `lang`, and let `names` join on phones."""
    trainer = browser.new_context(viewport={"width": 1366, "height": 900}, locale=lang)
    trainer.add_cookies([{"name": "lang", "value": lang, "url": url}])
    control = trainer.new_page()
    session_id, code = start_session(control, url, lang)
    control.locator(f'.status-bar button[lang="{lang}"]').click()  # the screen in this language too
    screen = trainer.new_page()
    screen.set_viewport_size({"width": 1920, "height": 1080})
    screen.goto(f"{url}/screen/{session_id}")
    expect(screen.locator(".lobby-how")).to_contain_text(translate(lang, "screen.join_how"))
    room = Room(lang, url, session_id, code, trainer, control, screen)
    for name in names:
        room.join(browser, name)
    return room
