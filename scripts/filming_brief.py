"""Write docs/filming-brief.md: how to film the course's role-play scripts as video cases.

The brief is made from the scripts themselves (content/kam/cases/*.yaml), so the shooting script,
its timecodes and the expert's notes in seconds are always those of the case the room would see
as a script. After changing a script, run ``python scripts/filming_brief.py`` and commit the brief
with it; ``tests/test_course.py`` fails while the brief is out of date.

Timecodes add up each line's planned spoken length (`seconds:` in the script). An expert note is
placed at the end of the line it belongs to, when the room has heard the cue and starts to tap.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.course.loader import load_courses  # noqa: E402
from app.kinds import KINDS  # noqa: E402
from app.modules.case.config import CaseConfig  # noqa: E402

BRIEF = ROOT / "docs" / "filming-brief.md"
CASES = ("u3-case-script", "u4-case-script")  # the course's two role-play cases, in course order
TOLERANCE = 8  # seconds either side of a note: a tap comes a few seconds after the cue is heard

HEAD = """# 视频案例拍摄说明 · Filming brief for the video cases

<!-- Written by scripts/filming_brief.py from content/kam/cases/*.yaml; do not edit by hand. -->

课程里的两个角色扮演案例（`case`）可以读台词，也可以放视频。这份说明把两段台词变成拍摄脚本：
每句台词的时间码、专家标注的秒数，以及可以直接贴进案例文件的 `video:` 配置。课程默认不带视频：
拍好后放进 `content/kam/media/`，或在讲师控制台上传。

The course's two role-play cases (`case`) can be read as a script or shown as a video. This brief turns
both scripts into shooting scripts: a timecode for every line, the expert's notes in seconds, and a
`video:` block ready to paste into the case file. The course ships without videos: once filmed, put
the file in `content/kam/media/` or upload it from the control page.

## 拍摄要求

- 两位演员：代表和医生。场景是医院规定时间内预约好的一次拜访，在办公室或会议室里；不在病房、走廊或候诊区拍。
- 医院、医生、代表和产品都是虚构的：不出现真实医院的名称、标志或工牌；道具上的产品名只用“衡达宁（虚构）”。
- 画面里不出现病人，也不出现任何病历、化验单或处方；台词提到的病人只是“某一类病人”。
- 代表递出的说明书、文献和资料都原样使用：不划线、不标注、不折角示意。
- 按台词原文说，不加词；每句的长度以时间码为准，句与句之间停顿要短，这样专家标注的秒数才对得上。
- 一镜到底最好；要剪辑时保持台词顺序。成片后按实际画面核对每条标注的秒数，改动写进 `video:` 的 `at`。
- 文件：MP4（H.264）或 WebM，1080p，大小在服务器的 `MEDIA_MAX_MB` 以内。

## How to shoot

- Two actors: the rep and the doctor. The scene is a call booked at the time the hospital sets, in an
  office or meeting room; never on a ward, in a corridor or a waiting area.
- The hospital, the doctor, the rep and the product are fictional: no real hospital's name, logo or
  badge; a prop shows the product only as "Hendanin (fictional)".
- No patient appears, and no record, lab report or prescription is shown; the patients the lines
  mention are types of patient.
- The label, papers and materials the rep hands over are used unaltered: no highlighting, notes or
  folded corners to point things out.
- Say the lines as written, adding nothing; keep each line to its timecode and the pauses between
  lines short, so that the expert's notes fall where the seconds say.
- One continuous take is best; an edit keeps the lines in order. Check each note's second against the
  finished video and write any change into the `at:` of the `video:` block.
- File: MP4 (H.264) or WebM, 1080p, within the server's `MEDIA_MAX_MB`.

## 演员知情同意书

我同意在培训视频中扮演一个虚构的角色（代表 / 医生）。我知道：视频只用于本公司的内部培训，在培训教室的
大屏上播放，学员的手机不会下载它，也不会公开发布到网上；视频保存在培训服务器上，讲师可以删除；视频里
没有真实的病人、医院或产品信息。我可以随时撤回同意：撤回后，视频会从培训服务器上删除，不再用于新的
培训场次。

演员姓名：____________　　角色：____________　　签名：____________　　日期：____________

## Consent note for the actors

I agree to play a fictional role (rep / doctor) in a training video. I understand that the video is used
only for this company's internal training, played on the screen of a training room; trainees' phones do
not download it, and it is not published online. It is kept on the training server, where a facilitator
can delete it, and it holds no real patient's, hospital's or product's information. I may withdraw my
consent at any time: the video is then deleted from the training server and not used in any new session.

Actor's name: ____________　　Role: ____________　　Signature: ____________　　Date: ____________
"""


def clock(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 60:02d}:{whole % 60:02d}"


def cell(text: str) -> str:
    """One table cell: a line of its own, the table's bars escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def case_section(number: int, activity_id: str, title: dict[str, str], config: CaseConfig) -> list[str]:
    assert config.script is not None, f"{activity_id} is no longer a script"
    starts, at = [], 0.0
    for line in config.script.lines:
        starts.append(at)
        at += line.seconds
    out = [f"## 案例{number} · Case {number}: {title['zh-CN']} · {title['en']}", ""]
    out += [
        f"`{activity_id}` · {config.rep.get('zh-CN')} / {config.rep.get('en')} · "
        f"{config.doctor.get('zh-CN')} / {config.doctor.get('en')} · {clock(at)}",
        "",
    ]
    for lang in ("zh-CN", "en"):
        out += [cell(config.setting.get(lang)), ""]
    speaker = {"rep": ("代表", "Rep"), "doctor": ("医生", "Doctor")}
    out += ["| # | 时间 · time | 角色 · role | 台词 | Line |", "|---|---|---|---|---|"]
    for i, (line, start) in enumerate(zip(config.script.lines, starts, strict=True), 1):
        who = "/".join(speaker[line.speaker])
        span = f"{clock(start)}–{clock(start + line.seconds)}"
        out.append(f"| {i} | {span} | {who} | {cell(line.text.get('zh-CN'))} | {cell(line.text.get('en'))} |")
    out += ["", "专家标注（秒）· The expert's notes, in seconds", ""]
    out += ["| 秒 · s | 标签 · tag | 标注 | Note |", "|---|---|---|---|"]
    moments = []
    for line, start in zip(config.script.lines, starts, strict=True):
        for note in line.notes:
            second = round(start + line.seconds)
            moments.append((second, note))
            out.append(
                f"| {second} | {note.tag} | {cell(note.note.get('zh-CN'))} | {cell(note.note.get('en'))} |"
            )
    out += [
        "",
        "贴进案例文件（代替 `script:`）· Paste into the case file (in place of `script:`):",
        "",
        "```yaml",
    ]
    out += [f"tolerance: {TOLERANCE}", "video:", "  notes:"]
    for second, note in moments:
        out += [f"    - at: {second}", f"      tag: {note.tag}", "      note:"]
        out += [
            f"        {lang}: {json.dumps(note.note.get(lang), ensure_ascii=False)}"
            for lang in ("zh-CN", "en")
        ]
    out += ["```", ""]
    return out


def brief() -> str:
    course = load_courses(ROOT / "content", KINDS)["kam"]
    out = [HEAD]
    for number, activity_id in enumerate(CASES, 1):
        activity = course.activity(activity_id)
        out += case_section(number, activity_id, activity.title.root, activity.config)
    return "\n".join(out)


if __name__ == "__main__":
    BRIEF.write_text(brief(), encoding="utf-8")
    print(f"wrote {BRIEF.relative_to(ROOT)}")
