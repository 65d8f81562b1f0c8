"""Choose one organization by typing its name, kana or code, with or without JavaScript.

A text box replaces a dropdown of every organization (1,300 and more). The server resolves
what was typed with the directory's own search (`organization_search`): exactly one match is
chosen; several come back as radio buttons (`<name>_choice`) under the box; none gives an
error. With htmx the same radio buttons follow the typing (`candidates_response`).

Use `OrganizationPickerField(queryset=..., suggest_url=...)` in a form and a view that
answers `suggest_url` with `candidates_response(request, name=..., within=...)`.
"""

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from renkei.core.text import to_halfwidth_digits
from renkei.directory.models import Organization
from renkei.directory.prefectures import PREFECTURES
from renkei.directory.selectors import organization_search

MAX_CANDIDATES = 20
CANDIDATES_TEMPLATE = "directory/widgets/organization_candidates.html"


@dataclass
class Pick:
    """What a typed text resolves to: the organization chosen, or candidates and why not."""

    text: str = ""
    organization: Organization | None = None
    candidates: list[Organization] = field(default_factory=list)
    more: bool = False  # more candidates than shown
    error: str = ""


def _matches(*, text: str, within: QuerySet[Organization]) -> QuerySet[Organization]:
    """Search as the directory does; a leading prefecture name (「埼玉県美里町」) narrows it."""
    for code, prefecture in PREFECTURES.items():
        rest = text.removeprefix(prefecture).strip()
        if text.startswith(prefecture) and rest:
            found = organization_search(q=rest, prefecture_code=code)
            return found.filter(pk__in=within.values("pk"))
    return organization_search(q=text).filter(pk__in=within.values("pk"))


def organization_pick(
    *, text: str, choice: str | int | None, within: QuerySet[Organization]
) -> Pick:
    """Resolve what a person typed (and the candidate they chose, if any) to one organization."""
    text = (text or "").strip()
    if not text:
        return Pick()
    matches = _matches(text=text, within=within)
    if str(choice or "").isdigit():
        # A candidate chosen earlier counts only while it still matches the text.
        chosen = matches.filter(pk=int(choice)).first()
        if chosen is not None:
            return Pick(text=text, organization=chosen, candidates=[chosen])
    found = list(matches[: MAX_CANDIDATES + 1])
    if len(found) == 1:
        return Pick(text=text, organization=found[0], candidates=found)
    digits = to_halfwidth_digits(text)
    exact = list(matches.filter(Q(name=text) | Q(code=digits))[:2]) if found else []
    if len(exact) == 1:
        # 「津市」 is 津市, not also 大津市 and 焼津市.
        return Pick(text=text, organization=exact[0], candidates=exact)
    if not found:
        return Pick(
            text=text,
            error=f"「{text}」に当てはまる団体が見つかりません。"
            "団体名・フリガナ・団体コードのいずれかで入力してください。",
        )
    more = len(found) > MAX_CANDIDATES
    if more:
        error = (
            f"「{text}」に当てはまる団体が{MAX_CANDIDATES}件を超えます。"
            "団体名を詳しく入力するか、下の候補から選んでください。"
        )
    else:
        error = f"「{text}」に当てはまる団体が{len(found)}件あります。下の候補から選んでください。"
    return Pick(text=text, candidates=found[:MAX_CANDIDATES], more=more, error=error)


def candidate_label(organization: Organization) -> str:
    """Return 「深川市（北海道・012289）」: enough to tell two 美里町 apart."""
    where = [PREFECTURES.get(organization.prefecture_code, ""), organization.code or ""]
    details = "・".join(part for part in where if part)
    return f"{organization.name}（{details}）" if details else organization.name


def _candidates_context(*, name: str, pick: Pick, chosen_id: int | None) -> dict[str, Any]:
    return {
        "name": name,
        "pick": pick,
        "chosen_id": chosen_id,
        "options": [
            {"pk": organization.pk, "label": candidate_label(organization)}
            for organization in pick.candidates
        ],
    }


class OrganizationPickerWidget(forms.Widget):
    """A text box for the name, kana or code, followed by the candidates found for it."""

    template_name = "directory/widgets/organization_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None, suggest_url: str = "") -> None:
        super().__init__(attrs)
        self.suggest_url = suggest_url
        self.queryset: QuerySet[Organization] = Organization.objects.none()
        self.pick: Pick | None = None  # set by the field when the form is checked

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, str]:
        return {"text": data.get(name, ""), "choice": data.get(f"{name}_choice", "")}

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and f"{name}_choice" not in data

    def format_value(self, value: Any) -> Any:
        # Keep the {"text", "choice"} dict or the stored organization; get_context reads both.
        return value

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        if isinstance(value, dict):
            pick = self.pick or Pick(text=value.get("text", ""))
            chosen = pick.organization.pk if pick.organization else None
        else:
            # The stored organization (a pk or the object) of an unbound form.
            organization = (
                value
                if isinstance(value, Organization)
                else self.queryset.filter(pk=value).first()
                if value
                else None
            )
            pick = Pick(
                text=organization.name if organization else "",
                organization=organization,
                candidates=[organization] if organization else [],
            )
            chosen = organization.pk if organization else None
        context["widget"].update(
            {
                "text": pick.text,
                "suggest_url": self.suggest_url,
                **_candidates_context(name=name, pick=pick, chosen_id=chosen),
            }
        )
        return context


class OrganizationPickerField(forms.Field):
    """One organization of `queryset`, found from the text typed; empty gives None."""

    widget = OrganizationPickerWidget

    def __init__(
        self, *, queryset: QuerySet[Organization], suggest_url: str = "", **kwargs: Any
    ) -> None:
        kwargs.setdefault("widget", OrganizationPickerWidget(suggest_url=suggest_url))
        super().__init__(**kwargs)
        self.queryset = queryset

    @property
    def queryset(self) -> QuerySet[Organization]:
        return self._queryset

    @queryset.setter
    def queryset(self, queryset: QuerySet[Organization]) -> None:
        self._queryset = queryset
        self.widget.queryset = queryset

    def __deepcopy__(self, memo: dict) -> "OrganizationPickerField":
        result = super().__deepcopy__(memo)
        result.queryset = self._queryset
        return result

    def clean(self, value: Any) -> Organization | None:
        value = value if isinstance(value, dict) else {"text": str(value or "")}
        pick = organization_pick(
            text=value.get("text", ""), choice=value.get("choice"), within=self.queryset
        )
        self.widget.pick = pick
        if pick.organization is not None:
            return pick.organization
        if pick.error:
            raise ValidationError(pick.error, code="pick")
        if self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        return None


def candidates_response(
    request: HttpRequest, *, name: str, within: QuerySet[Organization]
) -> HttpResponse:
    """Answer htmx with the candidates for the text typed in the field `name` so far."""
    text = request.GET.get(name, "")[:100]
    pick = organization_pick(text=text, choice=None, within=within)
    chosen = pick.organization.pk if pick.organization else None
    context = {**_candidates_context(name=name, pick=pick, chosen_id=chosen), "live": True}
    return render(request, CANDIDATES_TEMPLATE, context, using="jinja2")
