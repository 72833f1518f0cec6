from django.urls import path

from accounts import views

urlpatterns = [
    path("sso/", views.sso, name="sso"),
    path("notifications/", views.notifications, name="reader_notifications"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
