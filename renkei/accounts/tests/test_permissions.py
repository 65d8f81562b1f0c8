import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory

from renkei.accounts.context_processors import UnknownCapabilityError, capabilities
from renkei.accounts.models import Role, User
from renkei.accounts.permissions import MATRIX, Capability, has_capability

ROOT = Path(settings.BASE_DIR)

# The whole matrix, written out so that a change to a role's rights is a visible test change:
# a member's staff rights, and what the board and a 団体管理者 hold besides.
STAFF_RIGHTS = {
    "view_directory",
    "view_contacts",
    "answer_inquiries",
    "request_inquiries",
    "vote_in_polls",
    "view_member_results",
    "view_announcements",
    "attend_events",
    "view_meetings",
    "view_forum",
    "post_in_forum",
}
EXPECTED = {
    Role.SECRETARIAT: set(Capability),
    Role.BOARD: STAFF_RIGHTS | {"view_board_area"},
    Role.REPRESENTATIVE: STAFF_RIGHTS | {"manage_own_staff", "confirm_answers"},
    Role.STAFF: STAFF_RIGHTS,
    Role.OBSERVER: {
        "view_directory",
        "view_member_results",
        "view_announcements",
        "attend_events",
        "view_meetings",
        "view_forum",
    },
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("capability", list(Capability))
def test_role_grants_exactly_the_expected_capabilities(role, capability):
    user = User(username="u", role=role, is_active=True)
    assert has_capability(user, capability) is (capability in EXPECTED[role])


def test_every_role_is_in_the_matrix():
    assert set(MATRIX) == set(Role)


def test_deactivated_user_has_no_capability():
    user = User(username="u", role=Role.SECRETARIAT, is_active=False)
    assert not any(has_capability(user, c) for c in Capability)


def _source_files() -> list[Path]:
    files = [*(ROOT / "renkei").rglob("*.py"), *(ROOT / "renkei").rglob("*.html")]
    files += (ROOT / "templates").rglob("*.html")
    return [
        f
        for f in files
        # Migrations name other migrations (0002_user_manager_superuser_is_secretariat).
        if "tests" not in f.parts
        and "migrations" not in f.parts
        and f != ROOT / "renkei" / "accounts" / "permissions.py"
    ]


def test_every_capability_is_checked_somewhere():
    text = "\n".join(f.read_text(encoding="utf-8") for f in _source_files())
    unused = [
        c.name
        for c in Capability
        if not re.search(rf"Capability\.{c.name}\b", text)
        and not re.search(rf"caps\.{c.value}\b", text)
    ]
    assert unused == [], f"capabilities nothing checks (wire or drop them): {unused}"


def test_templates_name_only_real_capabilities():
    templates = [f for f in _source_files() if f.suffix == ".html"]
    named = {m for f in templates for m in re.findall(r"\bcaps\.(\w+)", f.read_text("utf-8"))}
    assert named, "templates check capabilities through `caps`"
    assert named <= set(Capability), named - set(Capability)


# Role comparisons that change a role rather than decide access.
ROLE_CHANGES = {
    # A transfer demotes a 団体管理者: management rights stay with the old organization.
    ("renkei/directory/services/people.py", "if user.role == Role.REPRESENTATIVE:"),
}


def test_templates_and_views_check_capabilities_not_roles():
    pattern = re.compile(r"is_secretariat|require_secretariat|\.role\s*[!=]=|Role\.\w+\s*[!=]=")
    offenders = [
        f"{f.relative_to(ROOT)}:{n}: {line.strip()}"
        for f in _source_files()
        for n, line in enumerate(f.read_text("utf-8").splitlines(), 1)
        if pattern.search(line) and (str(f.relative_to(ROOT)), line.strip()) not in ROLE_CHANGES
    ]
    assert offenders == []


@pytest.mark.parametrize("role", list(Role))
def test_template_caps_answer_like_has_capability(role):
    user = User(username="u", role=role, is_active=True)
    request = RequestFactory().get("/")
    request.user = user
    caps = capabilities(request)["caps"]
    for capability in Capability:
        rendered = Template("{% if caps." + capability.value + " %}yes{% endif %}").render(
            Context({"caps": caps})
        )
        assert (rendered == "yes") is has_capability(user, capability)


def test_template_naming_an_unknown_capability_fails_loudly():
    request = RequestFactory().get("/")
    request.user = User(username="u", role=Role.SECRETARIAT, is_active=True)
    with pytest.raises(UnknownCapabilityError):
        Template("{% if caps.manage_everything %}x{% endif %}").render(
            Context(capabilities(request))
        )


def test_architecture_doc_capability_table_matches_the_matrix():
    doc = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    lines = doc.split("| capability |", 1)[1].splitlines()
    header = ["capability", *(c.strip() for c in lines[0].split("|")[:-1])]
    roles = [Role(next(r for r in Role if r.label == h)) for h in header[2:]]
    table = {}
    for line in lines[2:]:
        if not line.startswith("| `"):
            break
        cells = [c.strip() for c in line.split("|")[1:-1]]
        marks = zip(roles, cells[2:], strict=True)
        table[Capability(cells[0].strip("`"))] = {r for r, c in marks if c}
    assert set(roles) == set(Role)
    assert table == {c: {r for r in Role if c in MATRIX[r]} for c in Capability}
