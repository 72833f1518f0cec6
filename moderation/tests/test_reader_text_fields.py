"""What a reader writes to the moderators is never cut by the browser: the limit is the server's."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from moderation.forms import AppealForm, ReportForm


@pytest.mark.parametrize("form", [ReportForm(comment_id=1), AppealForm()], ids=["report", "appeal"])
def test_the_text_box_has_no_maxlength_to_cut_a_paste(form):
    box = BeautifulSoup(str(form["text"]), "html.parser").find("textarea")

    assert box is not None and not box.has_attr("maxlength")


def test_an_over_long_report_is_refused_with_its_text_kept():
    text = "x" * 612
    form = ReportForm({"reason": "other", "text": text}, comment_id=1)

    assert not form.is_valid() and "612" in " ".join(form.errors["text"])
    assert form["text"].value() == text


def test_an_over_long_something_else_is_told_only_that_it_is_too_long():
    form = ReportForm({"reason": "other", "text": "x" * 700}, comment_id=1)

    assert not form.is_valid()
    assert form.errors["text"] == [
        "Your report is 700 characters long; the limit is 500. Please shorten it by 200."
    ]


def test_an_over_long_appeal_says_how_long_it_is_in_the_comment_forms_words():
    form = AppealForm({"text": "y" * 2001})

    assert not form.is_valid()
    assert form.errors["text"] == [
        "Your appeal is 2,001 characters long; the limit is 2,000. Please shorten it by 1."
    ]


def test_something_else_with_no_words_is_still_asked_for_them():
    form = ReportForm({"reason": "other", "text": ""}, comment_id=1)

    assert not form.is_valid()
    assert form.errors["text"] == ["Please say what is wrong with this comment."]
