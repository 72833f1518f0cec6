"""Admin forms for newsroom pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.pages import CopyForm

from newsroom.images import NewsImage, alt_text_problem, lead_image_problem
from newsroom.reserved_slugs import reserved_slug_problem


class NewsroomPageForm(WagtailAdminPageForm):
    """Every newsroom page's admin form: a slug whose address one of the site's own views
    answers (``/api/``, ``/feeds/``, ...) is refused, as the page would publish where no reader
    could reach it (``newsroom.reserved_slugs``).

    It is refused on creating the page, on renaming it, and on saving it again under the slug
    it already has: a page put there before the check, or by a queryset update, is not
    published again at an address readers cannot reach, and its editor is told to choose
    another slug (their other changes stay in the form).

    A page already in the tree is refused by its own ``clean`` (``newsroom.page_addresses``),
    which the form's validation runs with the slug as typed, so it is said once, on the slug.
    A new page has no place in the tree until it is saved, so its parent is known only here.
    """

    def clean(self):
        cleaned_data = super().clean()
        slug = cleaned_data.get("slug")
        if slug and self.instance.pk is None:
            problem = reserved_slug_problem(slug=slug, parent=self.parent_page)
            if problem is not None:
                self.add_error("slug", problem)
        return cleaned_data


class NewsroomCopyForm(CopyForm):
    """Every newsroom page's Copy form: a copy is refused a slug whose address one of the
    site's own views answers under the parent chosen for it, as the page editor refuses it
    (``newsroom.reserved_slugs``); nothing is copied. Wagtail's ``before_copy_page`` hook
    runs before this form, and is given neither the new slug nor the new parent.

    The copy's subpages need no check of their own: one is hidden only below a copy whose
    own address is the start of a fixed one (``/feeds/`` of ``/feeds/rss/``), which is refused.
    """

    def clean(self):
        cleaned_data = super().clean()
        slug = cleaned_data.get("new_slug")
        parent = cleaned_data.get("new_parent_page")  # None only where the choice was refused
        problem = reserved_slug_problem(slug=slug, parent=parent) if slug else None
        if problem is not None:
            self.add_error("new_slug", problem)
        return cleaned_data


# A time typed from the editor's own clock may run a little ahead of the server's.
TYPED_TIME_SLACK = timedelta(minutes=1)


class ArticlePageForm(NewsroomPageForm):
    """An article's admin form: it will not publish a lead image or live-blog entry image that
    has no alt text, nor a lead image narrower than ``LEAD_IMAGE_MIN_WIDTH``. (Figures in the
    body are checked by their block, ``newsroom.blocks``.) Nor will it save a correction or a
    live-blog entry dated after the page goes live.

    Saving a draft and previewing defer the checks, as Wagtail defers required fields then, so an
    editor keeps their work while the image is fixed. Submitting for review checks them as
    publishing does.
    """

    def is_valid(self) -> bool:
        # After the page's own fields and its inline forms (the live blog's entries) are
        # cleaned: an entry's image is only known once its form is.
        valid = super().is_valid()
        valid = self._each_author_once() and valid
        valid = self._no_time_ahead() and valid
        if self.is_deferred_validation:
            return valid
        return self._images_fit_to_publish() and valid

    def _each_author_once(self) -> bool:
        """Refuse an author chosen twice in the byline, on the second choice: the page, its
        JSON-LD, Open Graph, feeds and ninjs would name them twice. Checked for drafts too,
        as it is a slip to point out where it was made, not a check deferred to publishing."""
        authors = self.formsets.get("article_authors")
        seen: set[int] = set()
        refused = False
        for form in authors.forms if authors is not None else ():
            cleaned = getattr(form, "cleaned_data", {})
            author = cleaned.get("author")
            if author is None or cleaned.get("DELETE"):
                continue
            if author.pk in seen:
                form.add_error("author", f"{author.name} is in this byline already.")
                refused = True
            seen.add(author.pk)
        return not refused

    def _no_time_ahead(self) -> bool:
        """Refuse a correction or live-blog entry dated after the page goes live (now, or its
        go-live time when scheduled): a slip of the year would show "Updated" a year ahead in
        the dateline, the JSON-LD and the sitemap, and put an entry above every later one.
        Checked for drafts too, like the byline: a slip is pointed out where it was made."""
        now = timezone.now()
        going_live = max(now, getattr(self, "cleaned_data", {}).get("go_live_at") or now)
        latest = going_live + TYPED_TIME_SLACK
        refused = False
        for name, field, made in (
            ("corrections", "corrected_at", "made"),
            ("entries", "posted_at", "posted"),
        ):
            formset = self.formsets.get(name)
            for form in formset.forms if formset is not None else ():
                cleaned = getattr(form, "cleaned_data", {})
                moment = cleaned.get(field)
                if moment is None or cleaned.get("DELETE") or moment <= latest:
                    continue
                form.add_error(
                    field,
                    f"This time is in the future. Give the time it was {made}, or leave it "
                    "empty to stamp it when published.",
                )
                refused = True
        return not refused

    def _images_fit_to_publish(self) -> bool:
        refused = _refuse(self, "hero_image", alt_text_problem)
        refused = _refuse(self, "hero_image", lead_image_problem) or refused
        entries = self.formsets.get("entries")
        for form in entries.forms if entries is not None else ():
            refused = _refuse(form, "image", alt_text_problem) or refused
        return not refused


def _refuse(form, field: str, problem_of: Callable[[NewsImage], str | None]) -> bool:
    """Put the problem of the image in ``field`` on that field; True when it has one.

    A field already refused has left ``cleaned_data``, so asking again adds nothing.
    """
    cleaned = getattr(form, "cleaned_data", {})
    image = cleaned.get(field)
    if image is None or cleaned.get("DELETE"):  # no image, or an entry being deleted
        return False
    problem = problem_of(image)
    if problem is None:
        return False
    form.add_error(field, problem)
    return True
