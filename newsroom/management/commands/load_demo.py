"""Load the demo newsroom once; running it again changes nothing and keeps readers' comments.

Every comment goes through ``discussion.services.comment_create``, the same path readers use, and
every recommendation through ``reaction_toggle`` (``newsroom.demo.reactions``). The long thread is
written in batches, one transaction each, and topped up on a later run when ``--long-thread`` asks
for more than it holds (an interrupted load picks up where it stopped).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from io import BytesIO
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Min
from django.urls import get_script_prefix
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from accounts.selectors import reader_for_user
from accounts.services import (
    reader_create,
    reader_ensure,
    reader_ensure_demo,
    reader_joined_by,
    user_email_verified_ensure,
)
from core import site_urls
from discussion import selectors
from discussion.errors import CommentRefused
from discussion.models import Comment, Thread
from discussion.services import comment_create, thread_ensure
from newsroom.demo import content, live_blog, members, reactions, standards
from newsroom.demo.images import render_image
from newsroom.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    Correction,
    HomePage,
    LiveBlogEntry,
    LiveBlogPage,
    NewsImage,
    PolicyPage,
    SectionPage,
)
from newsroom.reserved_slugs import CHOOSE_ANOTHER_SLUG

STAFF_USERNAME = "editor"
STAFF_EMAIL = f"{STAFF_USERNAME}@example.invalid"
STAFF_NAME = {"first_name": "Demo", "last_name": "Editor"}  # its display name in comments
LONG_THREAD_DEFAULT = 10_000
LONG_THREAD_BATCH = 500  # comments per transaction: one commit (and fsync) per batch
# The demo's own comments by its accounts, found by these keys on a second run.
MEMBER_COMMENT_KEY = "demo-member-comment"
STAFF_REPLY_KEY = "demo-staff-reply"


def _host_and_port(base_url: str) -> tuple[str, int]:
    """The host and port of ``base_url``, as Wagtail's Sites setting keeps them (443 for HTTPS)."""
    parts = urlsplit(base_url)
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


class Command(BaseCommand):
    help = "Load the demo newsroom (idempotent) and print the reference article and staff login."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--long-thread",
            type=int,
            default=LONG_THREAD_DEFAULT,
            help=f"How many generated comments the long thread holds (default "
            f"{LONG_THREAD_DEFAULT:,}); a loaded demo with fewer is topped up.",
        )
        parser.add_argument(
            "--no-prepare-images",
            dest="prepare_images",
            action="store_false",
            help="Leave the image sizes the pages use to be made when first viewed, rather than "
            "now (several seconds saved; for tests that never look at them).",
        )

    def handle(self, *args, long_thread: int, prepare_images: bool = True, **options) -> None:
        if prepare_images and not _static_files_collected():
            # Making the image sizes draws the pages, which need the collected static files:
            # said before anything is loaded, rather than as a traceback after.
            raise CommandError(
                "The collected static files are missing, and the demo's pages cannot be drawn "
                "without them: run `manage.py collectstatic --no-input` first (`make demo` does), "
                "or pass --no-prepare-images. Nothing was loaded."
            )
        # Demo comments this site's own moderation rules refuse (an operator's banned word, say)
        # are left out, with their replies; the count is printed at the end.
        self.refused = 0
        home = HomePage.objects.first()
        if home is None:
            with transaction.atomic(), _kept_address_refused("Nothing was loaded."):
                home = self._create_newsroom()
            self.stdout.write("Loaded the demo newsroom.")
        else:
            self.stdout.write("The demo newsroom is already loaded; left as it is.")
        # Added after the first demo release, so an already-loaded newsroom gets them too.
        not_added = "The policy pages, the live blog and the members-only article were not added."
        with transaction.atomic(), _kept_address_refused(not_added):
            self._ensure_standards(home)
            self._ensure_live_blog()
            live_blog.bring_to_today()  # the live blog of the day, whenever the demo is loaded
            members_only = self._ensure_members_article()
        added = self._ensure_long_thread(long_thread)
        if added:
            self.stdout.write(f"Long thread: {added:,} comments added.")
        recommended = self._ensure_reactions(long_thread)
        if recommended:
            self.stdout.write(f"Recommendations: {recommended:,} added.")
        password = self._ensure_staff()
        if prepare_images:
            self._prepare_images()
        reference = ArticlePage.objects.get(slug=content.REFERENCE_ARTICLE["slug"])
        base = settings.SITE_BASE_URL
        # page.url names a path prefix already (FORCE_SCRIPT_NAME): site_url puts it there once.
        self.stdout.write(f"Reference article: {site_urls.site_url(reference.url)}")
        self.stdout.write(
            "Members-only article (asks readers to sign in): "
            f"{site_urls.site_url(members_only.url)}"
        )
        # Staff sign in on the site's sign-in page, by email, as readers do (/admin/ leads there).
        self.stdout.write(f"Staff login: {base}/admin/  email {STAFF_EMAIL}  password {password}")
        # Reader identity (accounts): a verified reader to comment as.
        reader_email, reader_password = reader_ensure_demo()
        self._ensure_member_comment(reader_email)
        self._ensure_staff_reply()
        self._date_demo_accounts()
        self._ensure_held_comments()
        self._ensure_campaign()
        # The whole queue, not only the demo's own: on a second run it also holds what readers
        # posted in between.
        held = selectors.comments_waiting_count()
        if held:
            self.stdout.write(
                f"Moderation queue: {held} comments waiting for review at "
                f"{base}/admin/moderation/queue/pending/"
            )
        self.stdout.write(
            f"Campaigns (coordinated comments found by detection): "
            f"{base}/admin/moderation/campaigns/"
        )
        self.stdout.write(f"Demo reader login: {reader_email} / {reader_password}")
        if self.refused:
            self.stdout.write(
                f"Demo comments left out: {self.refused:,} (this site's moderation rules refuse "
                "them, and their replies go with them)."
            )

    # --- images ------------------------------------------------------------------------

    def _prepare_images(self) -> None:
        """Make every image size the demo pages ask for (AVIF takes about a second an image),
        so the first reader does not wait for them. Sizes already made are left alone."""
        from django.test import Client

        host = settings.ALLOWED_HOSTS[0] if settings.ALLOWED_HOSTS else "127.0.0.1"
        client = Client(HTTP_HOST=host)
        # Anonymously, so private articles are passed by (they would answer with the sign-in
        # page); the members-only one shows a picture that a public article also shows.
        # The client is given the path within the site, as a server gives Django PATH_INFO:
        # under a path prefix page.url starts with it (FORCE_SCRIPT_NAME), and Django adds it.
        prefix = get_script_prefix().rstrip("/")
        for page in ArticlePage.objects.live().public():
            client.get(page.url.removeprefix(prefix))

    # --- staff -------------------------------------------------------------------------

    def _ensure_staff(self) -> str:
        """A superuser for the demo, its address verified (it signs in on the site's sign-in
        page, which lets in verified addresses only; a demo loaded before that gets it too) and
        with a reader profile named "Demo Editor", so it comments as itself from the start (a
        demo loaded before that gets one too); its password is kept in the var folder to print
        again."""
        secret = settings.VAR_DIR / "demo-staff-password"
        user_model = get_user_model()
        user = user_model.objects.filter(username=STAFF_USERNAME).first()
        if user is not None:
            user_email_verified_ensure(user=user)
            self._ensure_staff_reader(user)
            if secret.exists():
                return secret.read_text().strip()
        password = secrets.token_urlsafe(12)
        if user is None:
            user = user_model.objects.create_superuser(
                STAFF_USERNAME, STAFF_EMAIL, password, **STAFF_NAME
            )
            user_email_verified_ensure(user=user)
            self._ensure_staff_reader(user)
        else:
            user.set_password(password)
            user.save(update_fields=["password"])
        secret.touch(mode=0o600)
        secret.write_text(password)
        return password

    @staticmethod
    def _ensure_staff_reader(user) -> None:
        """The staff account's reader profile, through the one path that claims a display name;
        an account from an older demo, made without a name, is given the demo's first."""
        if reader_for_user(user_id=user.pk) is not None:
            return
        if not user.get_full_name():
            for field, value in STAFF_NAME.items():
                setattr(user, field, value)
            user.save(update_fields=list(STAFF_NAME))
        reader_ensure(user=user)

    # --- content -----------------------------------------------------------------------

    def _create_newsroom(self) -> HomePage:
        root = Page.get_first_root_node()
        # Wagtail's installer leaves a "Welcome" page; the newsroom replaces it.
        for page in root.get_children():
            if page.specific_class is Page:
                page.delete()
        home = root.add_child(
            instance=HomePage(
                title=settings.WAGTAIL_SITE_NAME,
                slug="home",
                intro="Reporting, analysis and reader discussion.",
            )
        )
        home.save_revision().publish()
        site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
        site.root_page = home
        site.site_name = settings.WAGTAIL_SITE_NAME
        # The host and port the demo is served at: Wagtail's approval emails link to the page
        # from them ("You can view the page here"), and Wagtail's own "localhost", port 80, sent
        # a writer to http://localhost/... .
        site.hostname, site.port = _host_and_port(settings.SITE_BASE_URL)
        site.save()

        authors = {
            item["slug"]: Author.objects.create(
                name=item["name"], slug=item["slug"], bio=item["bio"]
            )
            for item in content.AUTHORS
        }
        sections = {}
        for item in content.SECTIONS:
            section = home.add_child(
                instance=SectionPage(title=item["title"], slug=item["slug"], intro=item["intro"])
            )
            section.save_revision().publish()
            sections[item["slug"]] = section

        images: dict[str, NewsImage] = {}
        for key, meta in content.IMAGES.items():
            images[key] = NewsImage.objects.create(
                title=meta["title"],
                description=meta["alt"],
                caption=meta["caption"],
                credit=meta["credit"],
                copyright=meta["copyright"],
                file=ImageFile(BytesIO(render_image(key)), name=f"demo-{key}.jpg"),
            )

        reference = self._create_article(content.REFERENCE_ARTICLE, sections, authors, images)
        self._create_thread(reference, content.REFERENCE_COMMENTS)
        for spec in content.RELATED_ARTICLES:
            self._create_article(spec, sections, authors, images)
        return home

    def _ensure_standards(self, home: HomePage) -> None:
        """Policy pages, datelines and the demo correction; each added once."""
        for spec in standards.POLICY_PAGES:
            if not PolicyPage.objects.filter(slug=spec["slug"]).exists():
                policy = home.add_child(instance=PolicyPage(**spec))
                policy.save_revision().publish()
        for slug, located in standards.LOCATED.items():
            ArticlePage.objects.filter(slug=slug, located="").update(located=located)
        article = ArticlePage.objects.filter(slug=standards.CORRECTION["article"]).first()
        if article is None or article.corrections.exists():
            return
        # Through a revision, as an editor would, so the admin shows the correction too; the
        # demo's historical publish times are then put back.
        published, updated = article.first_published_at, article.last_published_at
        article.corrections.add(
            Correction(
                corrected_at=datetime.fromisoformat(standards.CORRECTION["corrected_at"]),
                text=standards.CORRECTION["text"],
            )
        )
        article.save_revision().publish()
        ArticlePage.objects.filter(pk=article.pk).update(
            first_published_at=published, last_published_at=updated
        )

    def _ensure_live_blog(self) -> None:
        """The live blog of the demo day, with its entries, published once."""
        spec = live_blog.LIVE_BLOG
        if LiveBlogPage.objects.filter(slug=spec["slug"]).exists():
            return
        section = SectionPage.objects.get(slug=spec["section"])
        hero = NewsImage.objects.filter(file__contains=f"demo-{spec['hero']}").first()
        page = LiveBlogPage(
            title=spec["headline"],
            slug=spec["slug"],
            standfirst=spec["standfirst"],
            located=spec["located"],
            hero_image=hero,
            body=[{"type": "paragraph", "value": _paragraph_html(spec["intro"])}],
        )
        day = spec["first_published"][:10]
        offset = spec["first_published"][19:]
        for item in live_blog.ENTRIES:
            page.entries.add(
                LiveBlogEntry(
                    posted_at=datetime.fromisoformat(f"{day}T{item['at']}:00{offset}"),
                    headline=item["headline"],
                    body=_paragraph_html(item["body"]),
                    author=Author.objects.get(slug=item["author"]),
                )
            )
        section.add_child(instance=page)
        for order, slug in enumerate(spec["authors"]):
            ArticleAuthor.objects.create(
                page=page, author=Author.objects.get(slug=slug), sort_order=order
            )
        page.save_revision().publish()
        last = max(entry.posted_at for entry in page.entries.all())
        LiveBlogPage.objects.filter(pk=page.pk).update(
            first_published_at=datetime.fromisoformat(spec["first_published"]),
            last_published_at=last,
        )

    def _ensure_members_article(self) -> ArticlePage:
        """The members-only briefing, behind a login restriction, with its readers' comments.

        Made once, in one piece: a later run finds it by its slug and leaves it as it is, so an
        editor's changes (its privacy setting included) and readers' comments are kept.
        """
        spec = members.MEMBERS_ARTICLE
        article = ArticlePage.objects.filter(slug=spec["slug"]).first()
        if article is not None:
            return article
        article = self._create_article(
            spec,
            sections={spec["section"]: SectionPage.objects.get(slug=spec["section"])},
            authors={slug: Author.objects.get(slug=slug) for slug in spec["authors"]},
            images={
                spec["hero"]: NewsImage.objects.filter(
                    file__contains=f"demo-{spec['hero']}"
                ).first()
            },
        )
        PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.LOGIN)
        self._create_thread(article, members.MEMBERS_COMMENTS)
        return article

    def _create_article(self, spec, sections, authors, images) -> ArticlePage:
        body = []
        for block_type, value in spec["body"]:
            if block_type == "paragraph":
                body.append(("paragraph", _paragraph_html(value)))
            elif block_type == "image":
                body.append(("image", {"image": images[value].pk, "caption": ""}))
            elif block_type == "pull_quote":
                body.append(("pull_quote", value))
            elif block_type == "block_quote":
                body.append(("block_quote", value))
        article = ArticlePage(
            title=spec["headline"],
            slug=spec["slug"],
            standfirst=spec["standfirst"],
            hero_image=images[spec["hero"]],
        )
        article.body = [
            {"type": kind, "value": value if kind != "image" else value} for kind, value in body
        ]
        sections[spec["section"]].add_child(instance=article)
        for order, slug in enumerate(spec["authors"]):
            ArticleAuthor.objects.create(page=article, author=authors[slug], sort_order=order)
        article.save_revision().publish()
        published = datetime.fromisoformat(spec["first_published"])
        updated = datetime.fromisoformat(spec["last_updated"])
        ArticlePage.objects.filter(pk=article.pk).update(
            first_published_at=published, last_published_at=updated
        )
        article.refresh_from_db()
        return article

    def _create_thread(self, article: ArticlePage, comments: list[dict]) -> None:
        """The article's demo comments, screened as any comment is: one this site's own rules
        hold waits in the queue with its replies beneath it, and one they refuse is left out
        with its replies (and counted in what the command prints)."""
        thread = thread_ensure(page=article)
        start = article.first_published_at

        def post(item: dict, parent_id: int | None) -> None:
            try:
                comment = comment_create(
                    thread=thread,
                    body=item["body"],
                    author_name=item["name"],
                    parent_id=parent_id,
                    created_at=start + timedelta(minutes=item["minutes_after"]),
                )
            except CommentRefused:
                self.refused += _with_replies(item)
                return
            for reply in item.get("replies", []):
                post(reply, comment.pk)

        for item in comments:
            post(item, None)

    def _ensure_member_comment(self, email: str) -> None:
        """The demo reader's comment on a public story, once: its idempotency key makes a second
        run find it rather than post it again."""
        spec = content.MEMBER_COMMENT
        article = ArticlePage.objects.filter(slug=spec["article"]).first()
        user = get_user_model().objects.filter(email__iexact=email).first()
        reader = getattr(user, "reader", None)
        if article is None or reader is None:
            return
        try:
            comment_create(
                thread=thread_ensure(page=article),
                body=spec["body"],
                author_name=reader.display_name,
                user_id=user.pk,
                idempotency_key=MEMBER_COMMENT_KEY,
                created_at=article.first_published_at + timedelta(minutes=spec["minutes_after"]),
            )
        except CommentRefused:
            self.refused += 1

    def _date_demo_accounts(self) -> None:
        """The demo's accounts that comment (the demo reader, the reporter who replies) joined a
        month before their first demo comment, dated with its story: made today, a profile said
        "Member since December 2026" above a comment of March 2022. Only the demo's own comments
        (their idempotency keys) date them, so readers' accounts and comments are left alone."""
        firsts = (
            Comment.objects.filter(
                author__isnull=False,
                idempotency_key__in=(MEMBER_COMMENT_KEY, STAFF_REPLY_KEY),
            )
            .values("author_id")
            .annotate(first=Min("created_at"))
        )
        for row in firsts:
            reader_joined_by(user_id=row["author_id"], when=row["first"] - timedelta(days=30))

    def _ensure_staff_reply(self) -> None:
        """A reporter's reply in the reference thread, once: from an account in Wagtail's
        Editors group (it cannot sign in: it has no password), so it shows the staff badge."""
        spec = content.STAFF_REPLY
        thread = Thread.objects.filter(page__slug=content.REFERENCE_ARTICLE["slug"]).first()
        parent = (
            Comment.objects.filter(thread=thread, body__startswith=spec["reply_to"]).first()
            if thread is not None
            else None
        )
        if parent is None:  # left out by this site's rules, with the thread it answers
            return
        user_model = get_user_model()
        user = user_model.objects.filter(username=spec["username"]).first()
        if user is None:
            user = user_model.objects.create_user(spec["username"], spec["email"])
            user.groups.add(Group.objects.get(name="Editors"))
            reader_create(user=user, display_name=spec["name"])
        try:
            comment_create(
                thread=thread,
                body=spec["body"],
                author_name=user.reader.display_name,
                user_id=user.pk,
                parent_id=parent.pk,
                idempotency_key=STAFF_REPLY_KEY,
                created_at=thread.page.first_published_at
                + timedelta(minutes=spec["minutes_after"]),
                author_is_staff=True,
            )
        except CommentRefused:
            self.refused += 1

    def _ensure_held_comments(self) -> None:
        """Readers' comments that screening holds for a moderator, once each."""
        self._post_as_readers(
            content.HELD_COMMENTS,
            key="demo-held",
            when=lambda article, _number, spec: (
                article.first_published_at + timedelta(minutes=spec["minutes_after"])
            ),
        )

    def _ensure_campaign(self) -> None:
        """A coordinated campaign's comments, posted as readers' are, minutes ago, then one pass
        of campaign detection, which finds them together. Detection is moderation's, run by its
        command's name: newsroom does not import it."""
        now = timezone.now()
        self._post_as_readers(
            content.CAMPAIGN_COMMENTS,
            key="demo-campaign",
            when=lambda _article, number, _spec: now - timedelta(minutes=40 - 7 * number),
        )
        call_command("scan_campaigns", verbosity=0)

    def _post_as_readers(self, specs: list[dict], *, key: str, when) -> None:
        """Post ``specs`` as guests post through the site (screened as readers' comments), once
        each: their idempotency keys, ``key`` and their number, find them on a second run."""
        for number, spec in enumerate(specs, start=1):
            article = ArticlePage.objects.filter(slug=spec["article"]).first()
            if article is None:
                continue
            try:
                comment_create(
                    thread=thread_ensure(page=article),
                    body=spec["body"],
                    author_name=spec["name"],
                    guest_key=spec["guest"],
                    source="reader",
                    idempotency_key=f"{key}-{number}",
                    created_at=when(article, number, spec),
                )
            except CommentRefused:
                self.refused += 1

    def _ensure_long_thread(self, count: int) -> int:
        """Give the long-thread article ``count`` generated comments; return how many were added.

        Comments already there are matched against the generated sequence (name, text and
        parent), so readers' comments in between are kept and skipped, and nothing is added
        twice. Each batch is one transaction: a 10,000-comment thread is 20 commits, not 10,000.
        """
        spec = next(spec for spec in content.RELATED_ARTICLES if spec.get("long_thread"))
        article = ArticlePage.objects.filter(slug=spec["slug"]).first()
        if article is None or count <= 0:
            return 0
        thread = thread_ensure(page=article)
        items = list(content.long_thread_comments(count))
        made, last_at = _generated_so_far(thread.pk, items)
        if len(made) >= count:
            return 0
        start = article.first_published_at
        # A top-up continues after the comments already there (the generator spreads any count
        # over the same three days), so times never run backwards.
        shift = timedelta(0)
        if last_at is not None:
            planned = start + timedelta(minutes=items[len(made) - 1]["minutes_after"])
            shift = max(last_at - planned, timedelta(0))
        before = len(made)
        refused = False
        while len(made) < count and not refused:
            with transaction.atomic():
                for item in items[len(made) : len(made) + LONG_THREAD_BATCH]:
                    try:
                        comment = comment_create(
                            thread=thread,
                            body=item["body"],
                            author_name=item["name"],
                            parent_id=made[item["parent"]] if item["parent"] is not None else None,
                            created_at=start + shift + timedelta(minutes=item["minutes_after"]),
                            source="direct",
                        )
                    except CommentRefused:
                        # The sequence is matched in order on the next run, so it stops here
                        # rather than leave a gap that run would fill with copies.
                        self.refused += count - len(made)
                        refused = True
                        break
                    made.append(comment.pk)
        return len(made) - before

    def _ensure_reactions(self, long_thread: int) -> int:
        """Readers' recommendations on the reference thread and on the first ``long_thread``
        comments of the long one; return how many were added (none once they are there)."""
        added = 0
        reference = Thread.objects.filter(page__slug=content.REFERENCE_ARTICLE["slug"]).first()
        if reference is not None:
            added += reactions.reactions_ensure(
                thread=reference,
                comment_ids=reactions.curated_comment_ids(
                    thread=reference, comments=content.REFERENCE_COMMENTS
                ),
                recommenders=reactions.reference_recommenders(content.REFERENCE_COMMENTS),
            )
        spec = next(spec for spec in content.RELATED_ARTICLES if spec.get("long_thread"))
        thread = Thread.objects.filter(page__slug=spec["slug"]).first()
        if thread is not None and long_thread > 0:
            items = list(content.long_thread_comments(long_thread))
            made, _ = _generated_so_far(thread.pk, items)
            added += reactions.reactions_ensure(
                thread=thread,
                comment_ids=made,
                recommenders=reactions.long_thread_recommenders(items),
            )
            # Its first comment pushed towards the top of "Most reactions" by fresh guests on
            # two networks: the campaign pass lists it as coordinated recommending.
            first = Comment.objects.filter(pk=made[0]).first() if made else None
            if first is not None:
                added += reactions.push_ensure(comment=first)
        return added


@contextmanager
def _kept_address_refused(what_was_not_loaded: str) -> Iterator[None]:
    """A demo page at an address this site's own views answer (a prefix the operator added to
    the URL conf, say) is refused like any page (``newsroom.page_addresses``): said as what the
    operator can do, the transaction it was in rolled back, rather than as a traceback."""
    try:
        yield
    except ValidationError as refused:
        slug_errors = refused.message_dict.get("slug", []) if hasattr(refused, "error_dict") else []
        reasons = [message.removesuffix(CHOOSE_ANOTHER_SLUG) for message in slug_errors]
        if not reasons:
            raise
        raise CommandError(
            f"The demo cannot be loaded on this site: one of its pages would be at an address "
            f"the site's own views answer ({'; '.join(reasons)}), where readers could not "
            f"reach it. The demo's addresses are fixed, so free that address in the site's URL "
            f"conf (broadsheet/urls.py) to load it. {what_was_not_loaded}"
        ) from refused


def _static_files_collected() -> bool:
    """Whether the static files the pages link to can be found: with the site's storage (hashed
    names from a manifest), once ``collectstatic`` has written the manifest."""
    if not isinstance(staticfiles_storage, ManifestFilesMixin):
        return True
    return staticfiles_storage.exists(staticfiles_storage.manifest_name)


def _with_replies(item: dict) -> int:
    """How many comments ``item`` is, its replies and theirs included."""
    return 1 + sum(_with_replies(reply) for reply in item.get("replies", []))


def _generated_so_far(thread_id: int, items: list[dict]) -> tuple[list[int], datetime | None]:
    """Ids of the leading generated ``items`` already in the thread, and the last one's time.

    Walks the thread's guest comments oldest first (one query, a few columns) and matches them to
    the generated sequence in order; anything that does not match is a reader's and is skipped.
    """
    made: list[int] = []
    last_at = None
    rows = (
        Comment.objects.filter(thread_id=thread_id, author_id__isnull=True)
        .order_by("id")
        .values_list("id", "author_name", "body", "parent_id", "created_at")
    )
    for pk, name, body, parent_id, created_at in rows.iterator(chunk_size=2000):
        if len(made) == len(items):
            break
        item = items[len(made)]
        parent = made[item["parent"]] if item["parent"] is not None else None
        if (name, body, parent_id) == (item["name"].strip(), item["body"].strip(), parent):
            made.append(pk)
            last_at = created_at
    return made, last_at


def _paragraph_html(text: str) -> str:
    """Demo paragraphs are plain text; the rich text block stores them as one <p>."""
    from django.utils.html import escape

    return f"<p>{escape(text)}</p>"
