"""The whole sample day, walked: every activity in every phase renders on the control page, the
projector and a phone, in both languages, with no catalogue key shown untranslated and no
Chinese on an English page."""

import re

import pytest

from app.i18n import LANGUAGES, catalogue
from app.kinds import KINDS
from tests.support.clients import join

TAG = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)
KEYS = set(catalogue("zh-CN"))
CHINESE = re.compile(r"[\u4e00-\u9fff]+")


def visible_text(html: str) -> str:
    return TAG.sub(" ", html)


def untranslated(html: str) -> set[str]:
    words = set(re.findall(r"[a-z][a-z_]*(?:\.[a-z_0-9]+)+", visible_text(html)))
    return words & KEYS


def english_page(html: str) -> str:
    """The visible text less what is Chinese on purpose: the trainee's name, the language menu
    and a term glossed in brackets, as in "a top-tier (三甲) hospital"."""
    text = visible_text(html).replace("王芳", "").replace("中文", "")
    return re.sub(r"\([\u4e00-\u9fff]+\)", "", text)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_activity_in_every_phase_renders_everywhere(app, trainer, live, course, lang):
    session_id, code = live
    phone = join(app, code, "王芳")
    phone.post(f"/play/{code}/lang", data={"lang": lang})
    trainer.cookies.set("lang", lang)
    trainer.post(f"/control/{session_id}/screen-language", data={"lang": lang})
    problems = []
    for activity in course.activities:
        assert trainer.post(f"/control/{session_id}/go", data={"activity": activity.id}).status_code == 200
        for phase in KINDS.get(activity.kind).phases:
            answer = trainer.post(f"/control/{session_id}/phase", data={"phase": phase})
            assert answer.status_code == 200, (activity.id, phase, answer.text[:300])
            for view, url, client in (
                ("control", f"/control/{session_id}", trainer),
                ("screen", f"/screen/{session_id}", trainer),
                ("play", f"/play/{code}", phone),
            ):
                response = client.get(url)
                where = f"{activity.id} [{phase}] {view}"
                if response.status_code != 200:
                    problems.append(f"{where}: HTTP {response.status_code}")
                elif keys := untranslated(response.text):
                    problems.append(f"{where}: untranslated {sorted(keys)}")
                elif lang == "en" and (chinese := CHINESE.findall(english_page(response.text))):
                    problems.append(f"{where}: Chinese on an English page {chinese[:3]}")
    assert not problems, "\n".join(problems)
