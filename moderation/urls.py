from django.urls import path

import core.converters  # noqa: F401  (registers <id:...>)
from moderation import views

app_name = "moderation"

urlpatterns = [
    path("comments/<id:comment_id>/report/", views.report, name="report"),
    path("comments/<id:comment_id>/why/", views.statement, name="statement"),
    path("ban/", views.ban, name="ban"),
]
