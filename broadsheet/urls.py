from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

import core.converters  # noqa: F401  (registers <id:...>)
from accounts import views as accounts_views
from api import embed, unknown
from api.views import api as read_api
from core import views as core_views
from core.media import serve_media
from discussion import views as discussion_views
from moderation import views as moderation_views
from newsroom import documents, page_passwords

# A form too big to read is a 413 that says so, not the bare 400 page (core.views.bad_request).
handler400 = core_views.bad_request
# A database that refused a connection is the 503 page that says so, not the 500 page.
handler500 = core_views.server_error
# allauth's throttles answer with this: while Redis does not answer, the site's 503 page.
handler429 = accounts_views.too_many_requests

urlpatterns = [
    # The read API (docs/api.md) first: Django tries the patterns in order, and its uncached page
    # is the hottest request that resolves here. newsroom's ninjs view shares the /api/v1/
    # prefix below.
    path("api/v1/", read_api.urls),
    # Staff sign in on the site's own sign-in page (allauth: its throttle, verified addresses
    # only); Wagtail's form at this address would sign in any account, unthrottled.
    path("admin/login/", accounts_views.admin_sign_in, name="admin_sign_in"),
    path("admin/", include(wagtailadmin_urls)),
    # A private collection's password form for its documents, with the limit on guesses per
    # address that a private page's has, in front of Wagtail's view (newsroom.page_passwords).
    path(
        "documents/authenticate_with_password/<int:restriction_id>/",
        page_passwords.authenticate_document_with_password,
        name="document_password",
    ),
    # A document as it is stored, with no Content-Encoding guessed from its name, in front of
    # Wagtail's view at its address and under its name (newsroom.documents).
    re_path(r"^documents/(\d+)/(.*)$", documents.serve, name="wagtaildocs_serve"),
    path("documents/", include(wagtaildocs_urls)),
    path("discussion/", include("discussion.urls")),
    path("moderation/", include("moderation.urls")),
    path("transparency/", moderation_views.transparency, name="transparency"),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("readers/", include("discussion.reader_urls")),
    path("c/<id:comment_id>/", discussion_views.comment_permalink, name="comment_permalink"),
    # An article's comments in another site's page (api.embed, docs/embed.md).
    path("embed/articles/<id:article_id>/", embed.article_comments, name="embed_comments"),
    path("embed/articles/<str:raw_id>/", embed.article_comments_of_no_id),
    path("favicon.ico", core_views.favicon, name="favicon"),
]

# Uploaded images, each with nosniff and a sandbox, and never a document: those are Wagtail's
# /documents/<id>/<name> above, which checks a private collection's password (core.media).
if settings.SERVE_MEDIA:
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve_media, name="media")]

# Feeds, sitemaps, robots.txt, ninjs and search (newsroom/urls.py, docs/formats.md).
urlpatterns += [path("", include("newsroom.urls"))]

# Every other address under the API's prefix: a JSON 404 whatever the method, before Wagtail's
# page view (below) takes it (api.unknown).
urlpatterns += [path("api/v1/<path:rest>", unknown.no_such_address)]
# The API's own address without its slash: JSON too, a read sent on to /api/v1/ and any other
# method a 405, where APPEND_SLASH redirected every method with an HTML 301 (api.unknown).
urlpatterns += [path("api/v1", unknown.root_without_slash)]
# /api with no version, or with one there is not: a JSON 404 naming /api/v1/ as the API's root,
# where APPEND_SLASH sent /api with an HTML 301 to Wagtail's HTML 404 (api.unknown). After the
# two above, so it has only what is outside /api/v1/.
urlpatterns += [
    path("api", unknown.no_version),
    path("api/", unknown.no_version),
    path("api/<path:rest>", unknown.no_version),
]

# Wagtail's front-end sign-in form (Django's LoginView) would, like its admin one, sign in any
# account unthrottled and unverified; nothing links to it (WAGTAIL_FRONTEND_LOGIN_URL), and its
# address leads to the site's sign-in page, keeping ?next=.
urlpatterns += [
    path(
        "_util/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="frontend_sign_in",
    )
]

# A private page's password form, at Wagtail's own address, with a limit on guesses per address
# in front of Wagtail's view (newsroom.page_passwords).
urlpatterns += [
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        page_passwords.authenticate_with_password,
        name="page_password",
    )
]

urlpatterns += [path("", include(wagtail_urls))]
