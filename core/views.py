from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Explain a refused form and hand back whatever the reader typed, so nothing is lost.

    The posted text is shown escaped in a read-only box to copy; nothing is saved.
    """
    typed = request.POST.get("body", "") if request.method == "POST" else ""
    html = render_to_string(
        "core/403_csrf.html", {"typed": typed, "back": request.path}, request=request
    )
    response = HttpResponse(html, status=403)
    # Tells the page's script (core/static/core/site.js) that the token, not the reader, was
    # refused, so it can renew the token from the cookie and ask for the form to be sent again.
    response["X-Refused"] = "csrf"
    return response


def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, which browsers ask for where a document names no icon (a feed, JSON, an
    image): the site's icon, as the pages link it."""
    from django.http import HttpResponsePermanentRedirect
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("core/favicon.svg"))
