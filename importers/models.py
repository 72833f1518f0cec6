"""An import a superuser uploaded in the Wagtail admin, run by the task worker."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models


def upload_storage() -> FileSystemStorage:
    """Uploaded exports wait in BROADSHEET_VAR_DIR/imports, which nothing serves (an export holds
    readers' addresses), until their import has run; then they are deleted."""
    return FileSystemStorage(location=settings.VAR_DIR / "imports")


# Each platform as it spells its own name: "WordPress", which capfirst made "Wordpress".
PLATFORM_NAMES = {"disqus": "Disqus", "wordpress": "WordPress", "broadsheet": "Broadsheet"}


class ImportRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the task worker"
        CHECKING = "checking", "Checking the file"
        IMPORTING = "importing", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Stopped"

    platform = models.CharField(max_length=20)
    file = models.FileField(storage=upload_storage, upload_to="%Y/%m/", max_length=255)
    file_name = models.CharField(max_length=255, help_text="The name the file was uploaded with.")
    size = models.BigIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    read_bytes = models.BigIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    report = models.TextField(blank=True)
    problem = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.platform_name} import of {self.file_name}"

    @property
    def platform_name(self) -> str:
        """The platform's name as it spells it (an unknown one as stored)."""
        return PLATFORM_NAMES.get(self.platform, self.platform)

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
