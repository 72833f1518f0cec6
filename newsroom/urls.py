"""Addresses for author pages, feeds, sitemaps, robots.txt, ninjs and search (docs/formats.md)."""

from django.urls import path
from django.views.generic import RedirectView

import core.converters  # noqa: F401  (registers <id:...> and <page_slug:...>)
from newsroom import feeds, views

app_name = "newsroom"

urlpatterns = [
    # Every feed of the site, on one page for people (the footer's "All feeds").
    path("feeds/", views.feeds_index, name="feeds"),
    path("feeds/rss/", feeds.ArticleFeed(), name="site_feed_rss"),
    path("feeds/atom/", feeds.SiteAtomFeed(), name="site_feed_atom"),
    # Where feed readers and people used to WordPress and Ghost look for a site's feed.
    path("feed/", RedirectView.as_view(pattern_name="newsroom:site_feed_rss", permanent=True)),
    path("feeds/rss/section/<page_slug:slug>/", feeds.SectionFeed(), name="section_feed_rss"),
    path("feeds/atom/section/<page_slug:slug>/", feeds.SectionAtomFeed(), name="section_feed_atom"),
    path("authors/<slug:slug>/", views.author_page, name="author"),
    path("feeds/rss/author/<slug:slug>/", feeds.AuthorFeed(), name="author_feed_rss"),
    path("feeds/atom/author/<slug:slug>/", feeds.AuthorAtomFeed(), name="author_feed_atom"),
    path("feeds/comments/<id:article_id>/", feeds.CommentsFeed(), name="comments_feed"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("sitemap-news.xml", views.news_sitemap, name="news_sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("api/v1/ninjs/articles/<id:article_id>.json", views.ninjs_article, name="ninjs_article"),
    path("search/", views.search, name="search"),
    path("live/<id:article_id>/entries/", views.live_entries, name="live_entries"),
]
