from django.urls import path

import core.converters  # noqa: F401  (registers <id:...>)
from discussion import views

app_name = "discussion"

urlpatterns = [
    path("threads/<id:thread_id>/comments/", views.comments_more, name="comments_more"),
    path("comments/<id:comment_id>/replies/", views.replies_more, name="replies_more"),
    path("comments/<id:comment_id>/reply/", views.reply_form, name="reply_form"),
]
