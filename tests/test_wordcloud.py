"""The word cloud kind: short entries grouped by a normalised key, limits per person, hiding."""

import itertools
import re

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlmodel import Session

from app.live import responses, sessions
from app.modules.wordcloud import hide, normalise, tally
from tests.support.clients import ORIGIN, join, post_action, post_in_parallel, seat_id
from tests.support.content import sample_copy
from tests.support.html import elements, texts
from tests.support.i18n import t, t_start
from tests.support.ws import receive_until

WORDS = "u1-words"
UNIT = "kam/units/1-success-factors.yaml"
ACTIVITY = f"""
  - id: {WORDS}
    kind: wordcloud
    title: {{zh-CN: "绩效先锋的关键词", en: "Top performers in a word"}}
    minutes: 5
    prompt:
      zh-CN: 用一个词形容绩效先锋代表
      en: One word for a top performer
"""


@pytest.fixture
def settings(settings, tmp_path):
    """The sample course plus one word cloud (the course has none yet)."""
    content = sample_copy(tmp_path)
    with (content / UNIT).open("a", encoding="utf-8") as unit:
        unit.write(ACTIVITY)
    return settings.model_copy(update={"content_dir": content})


@pytest.fixture
def words_open(trainer, live):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": WORDS})
    return session_id, code


def add(phone, code, text, status=200):
    return post_action(phone, code, "add", WORDS, status, text=text)


def groups(app, session_id) -> list[tuple[str, int]]:
    with Session(app.state.engine) as db:
        return [(g.text, g.count) for g in tally(db, session_id, WORDS)["groups"]]


def cloud_words(page: str) -> list[str]:
    return re.findall(r'class="cloud-word[^"]*"[^>]*>([^<]*)<', page)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("ＬＩＳＴＥＮ", "listen"),
        ("Listen!", "listen"),
        (" 多 听　少说。", "多听少说"),
        ("傾聽", "倾听"),
        ("說到做到！", "说到做到"),
        ("准备，充分", "准备充分"),
    ],
)
def test_entries_are_grouped_by_a_normalised_key(typed, key):
    assert normalise(typed) == key


def test_groups_count_people_and_show_the_commonest_spelling(app, words_open):
    session_id, code = words_open
    for name, words in [("甲", ["倾听", "Listen"]), ("乙", ["傾聽", "listen "]), ("丙", ["倾听！"])]:
        phone = join(app, code, name)
        for word in words:
            add(phone, code, word)
    assert groups(app, session_id) == [("倾听", 3), ("Listen", 2)]


def test_limits_per_person(app, words_open):
    session_id, code = words_open
    phone = join(app, code, "甲")
    for word in ["准备", "倾听", "准备。", "跟进"]:  # a repeated word counts once, and is no error
        add(phone, code, word)
    assert t("wordcloud.error.too_many", max=3) in add(phone, code, "学习", status=400)
    assert t("wordcloud.error.too_long", max=12) in add(phone, code, "一二三四五六七八九十一二三", status=400)
    assert t("wordcloud.error.empty") in add(phone, code, "！？", status=400)
    page = phone.post(
        f"/play/{code}/act/remove", data={"activity": WORDS, "text": "倾听"}, headers={"HX-Request": "true"}
    ).text
    assert t_start("wordcloud.full") not in page and elements(page, "[name=text][value=跟进]")
    add(phone, code, "学习")
    assert sorted(groups(app, session_id)) == [("准备", 1), ("学习", 1), ("跟进", 1)]


def test_trainee_text_is_escaped_on_the_screen(app, trainer, words_open):
    session_id, code = words_open
    add(join(app, code, "甲"), code, "<script>")
    trainer.post(f"/control/{session_id}/phase", data={"phase": "revealed"})
    screen = trainer.get(f"/screen/{session_id}").text
    assert "&lt;script&gt;" in screen and "<script>" not in screen


def test_sizes_follow_counts_and_the_count_is_written_out(app, trainer, words_open):
    session_id, code = words_open
    for n, name in enumerate("甲乙丙"):
        add(join(app, code, name), code, "倾听" if n else "准备")
        add(join(app, code, name + "2"), code, "倾听")
    trainer.post(f"/control/{session_id}/phase", data={"phase": "revealed"})
    screen = trainer.get(f"/screen/{session_id}").text
    assert "倾听" + t("common.aside", text=t("wordcloud.mentions", n=5)) in texts(screen, ".cloud-word.w5")
    assert any(word.startswith("准备") for word in texts(screen, ".cloud-word.w1"))


def test_the_facilitator_hides_a_group(app, trainer, words_open, db, course):
    session_id, code = words_open
    phone = join(app, code, "甲")
    add(phone, code, "关系好")
    add(phone, code, "倾听")
    trainer.post(f"/control/{session_id}/phase", data={"phase": "revealed"})
    hide(db, sessions.get(db, session_id), course, WORDS, "關係好", True)  # any spelling of the group
    assert cloud_words(trainer.get(f"/screen/{session_id}").text) == ["倾听"]
    control = trainer.get(f"/control/{session_id}").text
    showing = [f for f in elements(control, "form") if elements(f, "input[name=key][value=关系好]")]
    assert [b.attrs.get("value") for b in elements(showing[0], "button")] == ["false"]  # "show it again"
    assert f'hx-post="/control/{session_id}/kind/hide"' in control
    hide(db, sessions.get(db, session_id), course, WORDS, "关系好", False)
    assert sorted(cloud_words(trainer.get(f"/screen/{session_id}").text)) == ["倾听", "关系好"]
    response = trainer.post(
        f"/control/{session_id}/kind/hide",  # the control page's button
        data={"activity": WORDS, "key": "倾听", "hidden": "true"},
    )
    assert response.status_code == 200 and "倾听" in response.text
    assert cloud_words(trainer.get(f"/screen/{session_id}").text) == ["关系好"]


def test_open_answer_close_reveal(app, trainer, words_open):
    session_id, code = words_open
    phone = join(app, code, "甲")
    mine = add(phone, code, "说到做到")
    assert t("wordcloud.yours") in mine and "说到做到" in mine
    screen = trainer.get(f"/screen/{session_id}").text
    assert "cloud-word" not in screen and t("wordcloud.respondents", n=1) in screen  # hidden until revealed
    trainer.post(f"/control/{session_id}/phase", data={"phase": "closed"})
    assert t("activity.error.closed") in add(phone, code, "准备", status=409)
    trainer.post(f"/control/{session_id}/phase", data={"phase": "revealed"})
    assert cloud_words(trainer.get(f"/screen/{session_id}").text) == ["说到做到"]
    assert cloud_words(phone.get(f"/play/{code}").text) == ["说到做到"]


def test_double_submit_counts_once(app, words_open, db):
    session_id, code = words_open
    phone = join(app, code, "甲")
    for _ in range(3):
        add(phone, code, "跟进")
    assert [r.value for r in responses.every(db, session_id, WORDS)] == [{"entries": ["跟进"]}]


SEATS = itertools.count(1)


@hypothesis_settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    words=st.lists(
        st.sampled_from(["跟进", "倾听", "傾聽", "准备", "信任", "LISTEN", "listen"]), min_size=2, max_size=7
    )
)
def test_entries_sent_at_once_from_one_seat_are_all_kept_once_within_the_limit(app, words_open, words):
    """Two tabs or a retry racing its original: every entry answered 200 is stored, once, and
    the seat never holds more than its three."""
    session_id, code = words_open
    name = f"P{next(SEATS)}"
    phone = join(app, code, name)
    replies = post_in_parallel(code, "add", WORDS, [(phone, {"text": w}) for w in words])
    assert {r.status_code for r in replies} <= {200, 400}
    kept = {normalise(w) for w, r in zip(words, replies, strict=True) if r.status_code == 200}
    refused = [w for w, r in zip(words, replies, strict=True) if r.status_code == 400]
    me = seat_id(app, name)
    with Session(app.state.engine) as db:
        [stored] = [
            r.value["entries"] for r in responses.every(db, session_id, WORDS) if r.participant_id == me
        ]
    assert sorted(map(normalise, stored)) == sorted(kept)  # everything acknowledged, once
    assert len(stored) == min(3, len({normalise(w) for w in words}))  # refused only when full
    assert all(normalise(w) not in kept for w in refused)


def test_a_reconnecting_trainee_sees_their_own_entries(app, words_open):
    session_id, code = words_open
    phone = join(app, code, "甲")
    add(phone, code, "同理心")
    with phone.websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as ws:
        receive_until(ws, "data-snapshot")  # the room's stage, then their own part
        own = receive_until(ws, 'id="play-own"')
        assert "同理心" in texts(own, "span.entry-text")
