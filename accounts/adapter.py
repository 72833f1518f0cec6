"""allauth's account adapter with Broadsheet's checks on email addresses."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django import forms

from accounts import signup_checks


class ReaderAccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if problem := signup_checks.email_problem(email):
            raise forms.ValidationError(problem)
        return email
