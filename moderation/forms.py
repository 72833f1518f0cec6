from __future__ import annotations

from django import forms

from core.forms import WholeTextField
from core.text import direction_control_problem
from moderation.models import Report
from moderation.reasons import REJECT_REASONS

REPORT_MAX_LENGTH = 500


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with this comment?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    text = WholeTextField(
        what="Your report",
        label="Anything a moderator should know? (required for 'Something else')",
        required=False,
        max_length=REPORT_MAX_LENGTH,
        # Said before sending; Django ties it to the box ({id}_helptext), beside the error.
        help_text=f"Up to {REPORT_MAX_LENGTH:,} characters.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, comment_id: int, **kwargs) -> None:
        # Ids unique to the comment: two report forms open on one page must not share a label's
        # target, or a click in the second would tick the first one's radio.
        kwargs.setdefault("auto_id", f"report-{comment_id}-%s")
        super().__init__(*args, **kwargs)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if problem := direction_control_problem(text, what="Your report"):
            raise forms.ValidationError(problem)
        return text

    def clean(self) -> dict:
        cleaned_data = super().clean()
        # report_create refuses this too; checked here as well so the message stands beside the
        # field that needs the words. Text refused already (too long, say) is not missing: its
        # own error says what is wrong, and only that.
        if (
            cleaned_data.get("reason") == Report.Reason.OTHER
            and "text" not in self.errors
            and not cleaned_data.get("text")
        ):
            self.add_error("text", "Please say what is wrong with this comment.")
        return cleaned_data


APPEAL_MAX_LENGTH = 2000


class AppealForm(forms.Form):
    text = WholeTextField(
        what="Your appeal",
        label="Why should this decision be changed?",
        error_messages={
            "required": "Please say why the decision should be changed: the box is empty."
        },
        max_length=APPEAL_MAX_LENGTH,
        # Said before sending, as the comment form says its own limit; Django ties it to the
        # box with aria-describedby ({id}_helptext), beside the error ({id}_error).
        help_text=f"Up to {APPEAL_MAX_LENGTH:,} characters.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if problem := direction_control_problem(text, what="Your appeal"):
            raise forms.ValidationError(problem)
        return text


class RejectForm(forms.Form):
    reason_code = forms.ChoiceField(choices=REJECT_REASONS)
    note = forms.CharField(required=False, max_length=1000)
