"""``{% absolute_url 'newsroom:site_feed_rss' %}``: ``{% url %}`` made absolute from SITE_BASE_URL.

For the links in a page's ``<head>`` that machines follow away from the page (feed and ninjs
alternates, the canonical address): they are absolute like every link in the feeds, sitemaps
and structured data (``newsroom.links``).
"""

from __future__ import annotations

from django import template
from django.urls import reverse

from newsroom import links

register = template.Library()


@register.simple_tag
def absolute_url(view_name: str, **kwargs: object) -> str:
    return links.absolute(reverse(view_name, kwargs=kwargs or None))
