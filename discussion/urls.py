from django.urls import path

import core.converters  # noqa: F401  (registers <id:...>)
from discussion import ignore_views, own_views, views

app_name = "discussion"

urlpatterns = [
    path("comments/<id:comment_id>/edit/", own_views.comment_edit, name="comment_edit"),
    path("comments/<id:comment_id>/delete/", own_views.comment_delete, name="comment_delete"),
    path(
        "comments/<id:comment_id>/reply-emails/",
        own_views.comment_reply_emails,
        name="comment_reply_emails",
    ),
    path("threads/<id:thread_id>/comments/", views.comments_more, name="comments_more"),
    path("threads/<id:thread_id>/comments/new/", views.comments_new, name="comments_new"),
    path("threads/<id:thread_id>/events/", views.thread_events, name="thread_events"),
    path("comments/<id:comment_id>/replies/", views.replies_more, name="replies_more"),
    path("comments/<id:comment_id>/reply/", views.reply_form, name="reply_form"),
    path("comments/<id:comment_id>/react/", views.comment_react, name="comment_react"),
    path("comments/<id:comment_id>/ignore/", ignore_views.comment_ignore, name="comment_ignore"),
]
