"""Read content/<course>/course.yaml and its unit files; report every problem by file and line."""

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from app.course import timing
from app.course.models import Activity, Course, Style, Unit
from app.course.territory import Territory
from app.modules.contract import Kinds

_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, where PyYAML has it
COMMON_ACTIVITY_KEYS = {"id", "kind", "title", "minutes", "changeover", "notes"}


class Lines:
    """Where each value of a YAML file is, found only when a problem must be told: composing
    the node tree costs twenty times the C parser's load, and a good course never needs it."""

    def __init__(self, text: str):
        self._text = text

    @cached_property
    def root(self) -> yaml.Node | None:
        return yaml.compose(self._text, Loader=_YAML_LOADER)


@dataclass(frozen=True)
class ContentError:
    file: str
    location: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.location or '(top)'}: {self.message}"


class ContentErrors(Exception):
    def __init__(self, errors: list[ContentError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def load_courses(content_dir: Path, kinds: Kinds) -> dict[str, Course]:
    """Every course under content_dir (one folder each), its activities run by `kinds`, or
    ContentErrors naming all problems."""
    courses, errors = {}, []
    for course_file in sorted(content_dir.glob("*/course.yaml")):
        try:
            course = _load_course(course_file, content_dir, kinds)
        except ContentErrors as problem:
            errors.extend(problem.errors)
            continue
        courses[course.id] = course
    if not courses and not errors:
        errors.append(ContentError(str(content_dir), "", "no */course.yaml found"))
    if errors:
        raise ContentErrors(errors)
    return courses


def _load_course(course_file: Path, root: Path, kinds: Kinds) -> Course:
    raw, lines = _read_yaml(course_file, root)
    name = _rel(course_file, root)
    if not isinstance(raw, dict) or not isinstance(raw.get("units"), list):
        raise ContentErrors([ContentError(name, "units", "a list of unit files is required")])
    units, errors = [], []
    for index, unit_path in enumerate(raw["units"]):
        unit_file = course_file.parent / str(unit_path)
        if not unit_file.is_file():
            line = _line(lines, ("units", index))
            errors.append(ContentError(name, f"units[{index}]", f"file not found: {unit_path}", line))
            continue
        try:
            units.append(_load_unit(unit_file, root, course_file.parent, kinds))
        except ContentErrors as problem:
            errors.extend(problem.errors)
    parts = {}  # the thinking preferences and the territory live in files of their own
    for key, load in (("styles", _styles), ("territory", _territory)):
        if key in raw:
            try:
                parts[key] = load(*_read_part(course_file.parent, raw[key], key, name, lines, root))
            except ContentErrors as problem:
                errors.extend(problem.errors)
    if errors:
        raise ContentErrors(errors)
    course = _validate(Course, {**raw, "units": units, **parts}, name, lines)
    course._folder, course._kinds = course_file.parent, kinds
    _check_unique_ids(course, name)
    _check_needs(course, name)
    _check_teaching_hours(course, name, lines)
    return course


def _read_part(
    folder: Path, path: Any, key: str, name: str, lines: Lines, root: Path, at: tuple = ()
) -> tuple[Any, Lines, str]:
    part_file = folder / str(path)
    if not part_file.is_file():
        where = _loc((*at, key))
        raise ContentErrors([ContentError(name, where, f"file not found: {path}", _line(lines, (*at, key)))])
    raw, part_lines = _read_yaml(part_file, root)
    return raw, part_lines, _rel(part_file, root)


def _styles(raw: Any, lines: Lines, name: str) -> list[Style]:
    if not isinstance(raw, list):
        raise ContentErrors([ContentError(name, "", "expected a list of styles")])
    styles, errors = [], []
    for index, item in enumerate(raw):
        try:
            styles.append(_validate(Style, item if isinstance(item, dict) else {}, name, lines, (index,)))
        except ContentErrors as problem:
            errors.extend(problem.errors)
    if errors:
        raise ContentErrors(errors)
    return styles


def _territory(raw: Any, lines: Lines, name: str) -> Territory:
    if not isinstance(raw, dict):
        raise ContentErrors([ContentError(name, "", "expected a mapping (product, customers, expert...)")])
    return _validate(Territory, raw, name, lines)


def _load_unit(unit_file: Path, root: Path, folder: Path, kinds: Kinds) -> Unit:
    raw, lines = _read_yaml(unit_file, root)
    name = _rel(unit_file, root)
    if not isinstance(raw, dict):
        raise ContentErrors([ContentError(name, "", "expected a mapping with id, title, activities")])
    activities, errors = [], []
    for index, item in enumerate(raw.get("activities") or []):
        try:
            activities.append(_activity(item, name, lines, ("activities", index), folder, root, kinds))
        except ContentErrors as problem:
            errors.extend(problem.errors)
    if errors:
        raise ContentErrors(errors)
    return _validate(Unit, {**raw, "activities": activities}, name, lines)


def _activity(
    item: Any, name: str, lines: Lines, at: tuple, folder: Path, root: Path, kinds: Kinds
) -> Activity:
    where = _loc(at)
    if not isinstance(item, dict):
        raise ContentErrors([ContentError(name, where, "expected a mapping", _line(lines, at))])
    kind = kinds.find(str(item.get("kind")))
    if kind is None:
        known = ", ".join(kinds.names())
        message = f"unknown kind {item.get('kind')!r} (known: {known})"
        raise ContentErrors([ContentError(name, f"{where}.kind", message, _line(lines, (*at, "kind")))])
    common = {k: v for k, v in item.items() if k in COMMON_ACTIVITY_KEYS}
    own = {k: v for k, v in item.items() if k not in common and k != "file"}
    if "file" in item:  # a long configuration (a game's scenes) in a file of its own
        if own:
            message = f"with `file:`, the configuration goes in that file, not here ({', '.join(own)})"
            raise ContentErrors([ContentError(name, where, message, _line(lines, at))])
        raw, part_lines, part_name = _read_part(folder, item["file"], "file", name, lines, root, at)
        if not isinstance(raw, dict):
            raise ContentErrors([ContentError(part_name, "", "expected a mapping (the kind's settings)")])
        config = _validate(kind.config_model, raw, part_name, part_lines)
    else:
        config = _validate(kind.config_model, own, name, lines, at)
    activity = _validate(Activity, {**common, "config": config}, name, lines, at)
    if problem := timing.misfit(activity.minutes, kind.own_timing(config)):
        if "file" in item:
            problem += f" (set in {item['file']})"
        line = _line(lines, (*at, "minutes"))
        raise ContentErrors([ContentError(name, f"{where}.minutes", problem, line)])
    return activity


def _validate(model: type[BaseModel], data: dict, name: str, lines: Lines, at: tuple = ()):
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise ContentErrors(
            [
                ContentError(
                    name,
                    _loc((*at, *_yaml_path(e["loc"]))),
                    _message(e),
                    _line(lines, (*at, *_yaml_path(e["loc"]))),
                )
                for e in error.errors()
            ]
        ) from None


def _yaml_path(loc: tuple) -> tuple:
    """Pydantic's error location without its internal steps (RootModel's 'root', union tags)."""
    return tuple(p for p in loc if p not in ("root", "function-after[_every_language(), Text]"))


def _message(error: dict) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field (a typo?)"
    if error["type"] == "missing":
        return "required field is missing"
    return error["msg"].removeprefix("Value error, ")


def _check_unique_ids(course: Course, name: str) -> None:
    seen: set[str] = set()
    for activity in course.activities:
        if activity.id in seen:
            raise ContentErrors([ContentError(name, activity.id, "activity id used twice")])
        seen.add(activity.id)


def _check_needs(course: Course, name: str) -> None:
    """A kind that uses the course's styles or territory needs the course to have them, and
    what its settings say of them must exist there (a stage of the ladder...)."""
    missing = [
        ContentError(
            name, f"{activity.id}.kind", f"the {activity.kind!r} kind needs `{part}:` in course.yaml"
        )
        for activity in course.activities
        for part in course.kind_of(activity).needs
        if not getattr(course, part)
    ]
    missing += [
        ContentError(name, activity.id, problem)
        for activity in course.activities
        if not missing
        for problem in course.kind_of(activity).problems(course, activity.config)
    ]
    if missing:
        raise ContentErrors(missing)


def _check_teaching_hours(course: Course, name: str, lines: Lines) -> None:
    """The units teach as many minutes as the course's schedule promises (breaks apart)."""
    promised = course.schedule.teaching_minutes if course.schedule else None
    day = course.timetable
    if promised is not None and day.teaching != promised:
        off = day.teaching - promised
        message = (
            f"the units teach {day.teaching} minutes, {abs(off)} {'more' if off > 0 else 'fewer'} than "
            f"the {course.schedule.teaching_hours:g} hours ({promised} minutes) it promises "
            f"(breaks are counted apart: {day.breaks} minutes)"
        )
        line = _line(lines, ("schedule", "teaching_hours"))
        raise ContentErrors([ContentError(name, "schedule.teaching_hours", message, line)])


def _read_yaml(path: Path, root: Path) -> tuple[Any, Lines]:
    try:
        text = path.read_text(encoding="utf-8")
        return yaml.load(text, Loader=_YAML_LOADER), Lines(text)
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ContentErrors([ContentError(_rel(path, root), "", f"not valid YAML: {error}", line)]) from None


def _line(lines: Lines, path: tuple) -> int | None:
    """1-based line of the YAML node at path (or of its nearest existing parent)."""
    node = lines.root
    for step in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            child = node.value[step]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1 if node is not None else None


def _loc(path: tuple) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)
