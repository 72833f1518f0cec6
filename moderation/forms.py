from __future__ import annotations

from django import forms

from moderation.models import Report
from moderation.reasons import REJECT_REASONS


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label="What is wrong with this comment?",
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="Anything a moderator should know? (required for 'Something else')",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(forms.Form):
    text = forms.CharField(
        label="Why should this decision be changed?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RejectForm(forms.Form):
    reason_code = forms.ChoiceField(choices=REJECT_REASONS)
    note = forms.CharField(required=False, max_length=1000)
