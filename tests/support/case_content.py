"""A copy of the sample content with two small cases added to Unit 3, for the case tests: a
six-line script and a video whose expert annotations are at known seconds."""

from pathlib import Path

import yaml

from tests.support.content import sample_copy

ROOT = Path(__file__).resolve().parents[2]
TAGS = [
    {"id": "data-cue", "label": {"zh-CN": "数据型线索", "en": "Data cue"}, "style": "data"},
    {"id": "people-cue", "label": {"zh-CN": "关系型线索", "en": "People cue"}, "style": "people"},
    {"id": "missed-signal", "label": {"zh-CN": "错过信号", "en": "Missed signal"}},
]


def text(zh: str, en: str) -> dict:
    return {"zh-CN": zh, "en": en}


def line(speaker: str, zh: str, en: str, *notes: tuple[str, str]) -> dict:
    return {
        "speaker": speaker,
        "text": text(zh, en),
        "seconds": 5,
        "notes": [{"tag": tag, "note": text(note, note)} for tag, note in notes],
    }


SCRIPT = {
    "id": "t-script",
    "kind": "case",
    "title": text("测试剧本", "Test script"),
    "minutes": 5,
    "intro": text("看到线索就点标签。", "Tap a tag when you see a cue."),
    "setting": text("内分泌科门诊后。", "After the endocrinology clinic."),
    "rep": text("代表小周", "Zhou, the rep"),
    "doctor": text("L 主任", "Director L"),
    "style": "data",
    "stage": "interested",
    "debrief": text("专家总结。", "The expert's summary."),
    "tags": TAGS,
    "tolerance": 1,
    "points": 5,
    "max_tags": 4,
    "script": {
        "lines": [
            line("rep", "L 主任，您好。", "Good morning, Director L."),
            line("doctor", "主要终点是什么？", "What was the primary endpoint?", ("data-cue", "追问终点")),
            line(
                "rep",
                "我先讲个病人的故事。",
                "Let me tell you about a patient first.",
                ("missed-signal", "没回答终点"),
            ),
            line("doctor", "我只要数据。", "I just want the data.", ("data-cue", "再次要数据")),
            line("rep", "好的，这是文献。", "Of course, here are the references."),
            line("doctor", "我们科的同事怎么看？", "What do my colleagues think?", ("people-cue", "问同行")),
        ]
    },
}
VIDEO_NOTES = [
    {"at": 2.0, "tag": "data-cue", "note": text("问数据", "Asks for data")},
    {"at": 6.0, "tag": "missed-signal", "note": text("错过", "Missed")},
]
VIDEO = {
    "id": "u3-video-case",
    "kind": "case",
    "title": text("专业的视频解析", "Video case analysis"),
    "minutes": 10,
    "intro": text("看视频。", "Watch the video."),
    "setting": text("一次拜访。", "A call."),
    "rep": text("代表", "The rep"),
    "doctor": text("医生", "The doctor"),
    "tags": TAGS,
    "tolerance": 3,
    "points": 5,
    "video": {"notes": VIDEO_NOTES},
}


def case_content(tmp_path: Path) -> Path:
    """The sample content plus `t-script` first in Unit 3, and a video case with expert
    annotations just before the Unit 3 role-play script (the six-hour day has no video case)."""
    target = sample_copy(tmp_path)
    unit_file = target / "kam" / "units" / "3-analysing-customers.yaml"
    unit = yaml.safe_load(unit_file.read_text())
    ids = [activity["id"] for activity in unit["activities"]]
    unit["activities"].insert(ids.index("u3-case-script"), VIDEO)
    unit["activities"].insert(0, SCRIPT)
    unit_file.write_text(yaml.safe_dump(unit, allow_unicode=True, sort_keys=False))
    return target
