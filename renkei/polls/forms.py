"""Forms of the poll corner; the business rules themselves are checked in services."""

from django import forms

from renkei.core.fiscal_year import format_fiscal_year
from renkei.core.forms import Select, WarekiDateField, date_input_hint
from renkei.polls.models import (
    MAX_CHOICES,
    MIN_CHOICES,
    Choice,
    Poll,
    ResultsVisibility,
    VoteScope,
)
from renkei.polls.services import PollDraft, choices_problems, period_problems


def _radio_choice(
    *, label: str, choices: list[tuple[str, str]], initial: str, help_text: str
) -> forms.ChoiceField:
    """Return a required choice of radio buttons whose messages name its `label`."""
    return forms.ChoiceField(
        label=label,
        choices=choices,
        initial=initial,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={
            "required": f"{label}を選んでください。",
            "invalid_choice": f"{label}を選び直してください。",
        },
    )


class PollForm(forms.Form):
    """The question, choices and period of a poll, for a request, a creation or an edit."""

    # The choice and period rules come from services, which check them again on saving;
    # asking here too shows every mistake in one round rather than the parsing ones first.

    def __init__(self, *args, **kwargs) -> None:
        # Japanese labels take no colon.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Computed on each request, so the example is never a day already past.
        self.fields["start_date"].help_text = date_input_hint()

    question = forms.CharField(
        label="調査項目",
        max_length=200,
        help_text="例：CMS（Content Management System）の導入について",
        error_messages={
            "required": "調査項目を入力してください。",
            "max_length": "調査項目は200文字以内にしてください。",
        },
    )
    description = forms.CharField(
        label="補足説明",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "補足説明は2000文字以内にしてください。"},
    )
    choices = forms.CharField(
        label="選択肢",
        help_text=f"1行に1つずつ、{MIN_CHOICES}～{MAX_CHOICES}個入力してください。",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "選択肢を入力してください。"},
    )
    start_date = WarekiDateField(
        label="開始日",
        error_messages={"required": "開始日を入力してください。"},
    )
    end_date = WarekiDateField(
        label="終了日",
        help_text="この日の終わりまで投票できます。",
        error_messages={"required": "終了日を入力してください。"},
    )
    vote_scope = _radio_choice(
        label="投票単位",
        choices=VoteScope.choices,
        initial=VoteScope.ORGANIZATION,
        help_text="1団体1票では、団体内で最初に投票した人の回答が団体の回答になります。",
    )
    multiple_choice = forms.BooleanField(label="複数選択を認める", required=False)
    results_visibility = _radio_choice(
        label="結果の表示",
        choices=ResultsVisibility.choices,
        initial=ResultsVisibility.AFTER_VOTING,
        help_text="事務局はいつでも結果を見られます。",
    )

    @classmethod
    def initial_for(cls, poll: Poll) -> dict:
        """Return the form's starting values for editing a poll."""
        return {
            "question": poll.question,
            "description": poll.description,
            "choices": "\n".join(choice.text for choice in poll.choices.all()),
            "start_date": poll.start_date,
            "end_date": poll.end_date,
            "vote_scope": poll.vote_scope,
            "multiple_choice": poll.multiple_choice,
            "results_visibility": poll.results_visibility,
        }

    def clean_choices(self) -> str:
        """Refuse too few, too many, too long or repeated choices."""
        text = self.cleaned_data["choices"]
        if problems := choices_problems(text.splitlines()):
            raise forms.ValidationError(problems)
        return text

    def clean(self) -> dict:
        """Refuse a period that starts in the past or ends before it starts."""
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end:
            for field, problems in period_problems(start, end).items():
                for problem in problems:
                    self.add_error(field, problem)
        return data

    def to_draft(self) -> PollDraft:
        """Return the cleaned values for the services to check and save."""
        data = self.cleaned_data
        return PollDraft(
            question=data["question"],
            description=data["description"],
            choices=[line for line in data["choices"].splitlines() if line.strip()],
            start_date=data["start_date"],
            end_date=data["end_date"],
            vote_scope=data["vote_scope"],
            multiple_choice=data["multiple_choice"],
            results_visibility=data["results_visibility"],
        )


class VoteForm(forms.Form):
    """A ballot: one choice, or several when the poll allows it."""

    def __init__(self, *args, poll: Poll, choices: list[Choice], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        options = [(str(choice.pk), choice.text) for choice in choices]
        messages = {
            "required": "選択肢を選んでください。",
            "invalid_choice": "選択肢が正しくありません。画面を読み込み直してください。",
        }
        if poll.multiple_choice:
            self.fields["choices"] = forms.MultipleChoiceField(
                label=poll.question,
                choices=options,
                widget=forms.CheckboxSelectMultiple,
                error_messages=messages,
            )
        else:
            self.fields["choices"] = forms.ChoiceField(
                label=poll.question,
                choices=options,
                widget=forms.RadioSelect,
                error_messages=messages,
            )

    def choice_ids(self) -> list[int]:
        """Return the ids of the marked choices."""
        value = self.cleaned_data["choices"]
        values = value if isinstance(value, list) else [value]
        return [int(item) for item in values]


class RejectForm(forms.Form):
    """The reason a 調査依頼 is rejected, shown to the requester."""

    def __init__(self, *args, **kwargs) -> None:
        # Japanese labels take no colon.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    reason = forms.CharField(
        label="却下の理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="依頼団体に表示されます。",
        error_messages={
            "required": "却下の理由を入力してください。",
            "max_length": "却下の理由は1000文字以内にしてください。",
        },
    )


class FiscalYearForm(forms.Form):
    """The fiscal year whose past polls the corner lists."""

    year = forms.TypedChoiceField(
        label="年度",
        coerce=int,
        required=False,
        error_messages={"invalid_choice": "指定された年度の調査はありません。"},
        widget=Select,
    )

    def __init__(self, *args, years: list[int], **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(str(year), format_fiscal_year(year)) for year in years]
