"""The shape of the code, checked: each app uses another's public names only, and views do not write themselves.

- No module imports a name beginning with ``_`` from another app (what an app shares, it names publicly).
- No view module calls a manager's ``create``, ``update_or_create``, ``get_or_create`` or ``bulk_create``: writes
  live in each app's services (keyword-only arguments, one transaction). A ModelForm's ``save()`` in a view is fine.
- Nor does it save, delete or update an object itself, or open a transaction: that is a service's work too
  (``form.save()`` and ``request.session.save()`` excepted).
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "carteblanche"
WRITES = {"create", "update_or_create", "get_or_create", "bulk_create"}
OTHER_WRITES = {"save", "delete", "update", "atomic"}

# Calls named like a manager's write that are not one (the receiver is a service module, not a manager).
# Empty today: add a line here, with the reason, only if one case must stay.
ALLOWED_VIEW_CALLS: set[tuple[str, str]] = set()


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def app_of(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0]


def is_view_module(path: Path) -> bool:
    return path.name == "views.py" or path.name.endswith("_views.py") or path.parent.name == "views"


def private_imports() -> list[str]:
    found = []
    for path, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("carteblanche."):
                other = node.module.split(".")[1]
                private = [alias.name for alias in node.names if alias.name.startswith("_")]
                if other != app_of(path) and private:
                    found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} importe {private} de {node.module}")
    return found


def calls_in_views(names: set[str], *, allowed=lambda call, receiver: False) -> list[str]:
    """Every call in a view module of a method named in ``names``, as « path:line receiver.method(…) »."""
    found = []
    for path, tree in modules():
        if not is_view_module(path):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in names:
                receiver = ast.unparse(node.func.value)
                if (str(path.relative_to(PACKAGE)), receiver) in ALLOWED_VIEW_CALLS or allowed(node, receiver):
                    continue
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {receiver}.{node.func.attr}(…)")
    return found


def writes_in_views() -> list[str]:
    return calls_in_views(WRITES)


def other_writes_in_views() -> list[str]:
    def form_or_session_save(call, receiver):
        return call.func.attr == "save" and ("form" in receiver or receiver == "request.session")

    return calls_in_views(OTHER_WRITES, allowed=form_or_session_save)


def test_no_module_imports_a_private_name_from_another_app():
    assert private_imports() == []


def test_no_view_writes_with_a_manager_itself():
    assert writes_in_views() == []


def test_no_view_saves_deletes_or_opens_a_transaction_itself():
    assert other_writes_in_views() == []


def test_the_checks_see_what_they_look_for(tmp_path, monkeypatch):
    """The checks are not blind: a view that writes, and an import of another app's private name, are caught."""
    app = tmp_path / "carteblanche"
    (app / "shop").mkdir(parents=True)
    (app / "shop" / "views.py").write_text(
        "from carteblanche.other.views import _helper\n\ndef view(request):\n    Thing.objects.create(name='x')\n"
        "    thing.delete()\n    form.save()\n"
    )
    monkeypatch.setitem(globals(), "PACKAGE", app)
    assert private_imports() == ["shop/views.py:1 importe ['_helper'] de carteblanche.other.views"]
    assert writes_in_views() == ["shop/views.py:4 Thing.objects.create(…)"]
    assert other_writes_in_views() == ["shop/views.py:5 thing.delete(…)"]
