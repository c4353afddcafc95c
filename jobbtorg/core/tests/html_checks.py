"""Checks on rendered HTML for the page tests, with Python's html.parser (no extra dependency).

`parse` builds a small element tree; `table_problems` lists content a browser would move out of
a table (text or elements directly in <table>, <thead>, <tbody>, <tfoot> or <tr>) and badges
("pills") that are not inside a cell: on the <tr> itself or between cells.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
ALLOWED_CHILDREN = {
    "table": {"caption", "colgroup", "thead", "tbody", "tfoot", "tr", "script", "template"},
    "thead": {"tr", "script", "template"},
    "tbody": {"tr", "script", "template"},
    "tfoot": {"tr", "script", "template"},
    "tr": {"td", "th", "script", "template"},
}
PILL_CLASSES = {"deadline", "status", "marking", "badge", "pill"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    line: int
    parent: "Element | None" = None
    children: list["Element | str"] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find(self, **attrs: str) -> "Element | None":
        return next((e for e in self.iter() if all(e.attrs.get(k) == v for k, v in attrs.items())), None)

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs}> (line {self.line})"


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, 0)
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.getpos()[0], parent=self.open[-1])
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(Element(tag, {k: v or "" for k, v in attrs}, self.getpos()[0], parent=self.open[-1]))

    def handle_endtag(self, tag: str) -> None:
        if any(e.tag == tag for e in self.open[1:]):
            while self.open.pop().tag != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def table_problems(html: str) -> list[str]:
    problems = []
    for element in parse(html).iter():
        allowed = ALLOWED_CHILDREN.get(element.tag)
        if allowed:
            for child in element.children:
                if isinstance(child, str):
                    if child.strip():
                        problems.append(f"text {child.strip()[:40]!r} directly in {element!r}")
                elif child.tag not in allowed:
                    problems.append(f"{child!r} directly in {element!r}")
        if element.classes & PILL_CLASSES:
            if element.tag in ALLOWED_CHILDREN or element.tag in {"td", "th"}:
                problems.append(f"badge class on the table element itself: {element!r}")
            in_table = any(a.tag == "table" for a in element.ancestors())
            if in_table and not any(a.tag in {"td", "th", "caption"} for a in element.ancestors()):
                problems.append(f"badge outside a cell: {element!r}")
    return problems
