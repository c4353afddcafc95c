"""Rules modules never import the ORM (docs/architecture.md, issue 9 item 5).

The other import contracts are import-linter's ([tool.importlinter] in pyproject.toml, run by
`make test`); it sees external packages only whole (django), so this one is read from the source.
"""

import ast
from pathlib import Path

import jobbtorg

ROOT = Path(jobbtorg.__file__).parent


def orm_imports(source: str, name: str) -> list[str]:
    """`name:line module` for every import of django.db or below in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        found += [f"{name}:{node.lineno} {n}" for n in names if n == "django.db" or n.startswith("django.db.")]
    return found


def test_no_rules_module_imports_django_db():
    rules = sorted(ROOT.glob("*/rules.py"))
    assert len(rules) >= 8  # every app with decisions has one; the glob must find them
    assert [hit for path in rules for hit in orm_imports(path.read_text(encoding="utf-8"), path.parent.name)] == []


def test_the_check_finds_an_orm_import_in_either_form():
    source = "from django.utils import timezone\nfrom django.db.models import Q\nimport django.db\n"
    assert orm_imports(source, "x") == ["x:2 django.db.models", "x:3 django.db"]
