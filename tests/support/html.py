"""Rendered HTML read as elements (standard library parser): a check on structure asks for elements by a
small CSS subset, so markup elsewhere on the page cannot make it pass.

Selectors: `tag`, `.class`, `#id`, `[attr]`, `[attr=value]` (value quoted or not), combined in one
compound (`li.idea.mine`), and compounds joined by descendant (space) or child (`>`) combinators."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
COMPOUND = re.compile(r"([\w-]+|\*)?((?:[.#][\w-]+|\[[\w-]+(?:=(?:\"[^\"]*\"|'[^']*'|[^\]]*))?\])*)")
PART = re.compile(r"([.#])([\w-]+)|\[([\w-]+)(?:=(\"[^\"]*\"|'[^']*'|[^\]]*))?\]")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: "Element | None" = None
    children: list["Element | str"] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The text inside, whitespace collapsed as a browser shows it."""
        return " ".join(self._raw_text().split())

    def _raw_text(self) -> str:
        return "".join(c if isinstance(c, str) else c._raw_text() for c in self.children)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def descendants(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.descendants()


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.current = Element("#document", {})

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {name: value or "" for name, value in attrs}, self.current))

    def handle_endtag(self, tag):
        open_element = self.current
        while open_element is not self.root and open_element.tag != tag:
            open_element = open_element.parent
        if open_element is not self.root:  # a stray end tag closes nothing
            self.current = open_element.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _matches(element: Element, compound: str) -> bool:
    tag, parts = COMPOUND.fullmatch(compound).groups()
    if tag not in (None, "*") and element.tag != tag:
        return False
    for kind, name, attr, value in PART.findall(parts):
        if kind == "." and name not in element.classes():
            return False
        if kind == "#" and element.attrs.get("id") != name:
            return False
        if attr and (attr not in element.attrs or (value and element.attrs[attr] != value.strip("\"'"))):
            return False
    return True


def _steps(css: str) -> list[tuple[str, str]]:
    """(combinator, compound) pairs: ' ' for a descendant, '>' for a child."""
    tokens = re.findall(r">|[^\s>]+(?:\[[^\]]*\][^\s>]*)*", css.strip())
    steps, combinator = [], " "
    for token in tokens:
        if token == ">":
            combinator = ">"
        else:
            steps.append((combinator, token))
            combinator = " "
    return steps


def elements(html: "str | Element", css: str) -> list[Element]:
    """The elements matching css, in document order."""
    found = [parse(html) if isinstance(html, str) else html]
    for combinator, compound in _steps(css):
        pool = (c for e in found for c in (e.children if combinator == ">" else e.descendants()))
        seen, found = set(), []
        for element in pool:
            if isinstance(element, Element) and id(element) not in seen and _matches(element, compound):
                seen.add(id(element))
                found.append(element)
    return found


def one(html: "str | Element", css: str) -> Element:
    """The only element matching css (an assertion error if there are none or several)."""
    found = elements(html, css)
    assert len(found) == 1, f"{len(found)} elements match {css!r}"
    return found[0]


def texts(html: "str | Element", css: str) -> list[str]:
    """The text of each element matching css."""
    return [element.text for element in elements(html, css)]


def text_of(html: str) -> str:
    """What the page says, without its markup (scripts and styles left out)."""
    root = parse(html)
    for element in [*elements(root, "script"), *elements(root, "style")]:
        element.children.clear()
    return root.text
