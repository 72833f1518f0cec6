import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.template.loader import render_to_string
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

from core.middleware import RETRY_AFTER_SECONDS

# The fields of the reader's forms that hold words they typed: a comment, reply or edit's body,
# a report's or an appeal's text, a new display name. Never a password: only these are handed
# back.
TYPED_FIELDS = ("body", "text", "display_name")

DATABASE_UNREACHABLE_DETAIL = (
    "The site cannot reach its database for a moment, and nothing was changed. Please try again "
    "in a minute."
)


def typed_text(request: HttpRequest) -> str:
    """The words the reader typed in the form ``request`` posted (TYPED_FIELDS), or ''."""
    if request.method != "POST":
        return ""
    try:
        return next((t for f in TYPED_FIELDS if (t := request.POST.get(f, ""))), "")
    except Exception:  # a body that cannot be read as a form: nothing to hand back
        return ""


def unavailable(request: HttpRequest, detail: str) -> HttpResponse:
    """The site's 503 page: ``detail`` says why, and a form's typed text is handed back to copy.
    Drawn from the template alone, with no context processor: what failed may be the database
    they read."""
    html = render_to_string("503.html", {"detail": detail, "typed": typed_text(request)})
    answer = HttpResponse(html, status=503)
    answer["Retry-After"] = str(RETRY_AFTER_SECONDS)
    answer["Cache-Control"] = "no-store"
    return answer


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, except when no database connection could be had (PostgreSQL stopped,
    at its max_connections, or out of reach: core.postgresql): the site's 503 page, saying so,
    with a Retry-After, as soon as the connection failed."""
    from core.postgresql.base import database_unreachable

    if database_unreachable(sys.exc_info()[1]):
        return unavailable(request, DATABASE_UNREACHABLE_DETAIL)
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain a refused form and hand back whatever the reader typed, so nothing is lost.

    The posted text is shown escaped in a read-only box to copy; nothing is saved.
    """
    typed = typed_text(request)
    html = render_to_string(
        "core/403_csrf.html", {"typed": typed, "back": request.path}, request=request
    )
    response = HttpResponse(html, status=403)
    # Tells the page's script (core/static/core/site.js) that the token, not the reader, was
    # refused, so it can renew the token from the cookie and ask for the form to be sent again.
    response["X-Refused"] = "csrf"
    return response


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 page, except for a form too big to read (``RequestDataTooBig``: a body over
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``, such as a pasted file in the comment box): a 413 saying so,
    with the comment's limit and the way back to the text, which the reader's browser still has.

    The site read none of it, so it cannot give the text back as a refused comment's page does.
    Under ``/api/`` the API's own refusals answer (``api.middleware.JsonRefusals``).
    """
    if isinstance(exception, RequestDataTooBig) and not request.path_info.startswith("/api/"):
        # As Django's 400 view draws its page: the template alone, since the middleware that
        # fills a request's context may not have run.
        html = loader.get_template("413.html").render(
            {
                "site_name": settings.WAGTAIL_SITE_NAME,
                "comment_max_length": settings.COMMENT_MAX_LENGTH,
            }
        )
        return HttpResponse(html, status=413)
    return defaults.bad_request(request, exception)


def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for where a document names no icon (a feed, JSON, an
    image): the site's icon, as the pages link it."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("core/favicon.svg"))
