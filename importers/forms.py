"""The admin's upload form for an import."""

from __future__ import annotations

from django import forms
from django.conf import settings

from importers.models import PLATFORM_NAMES
from importers.peek import HEAD_BYTES, declares_a_doctype, export_platform, is_archive

PLATFORMS = [
    ("disqus", "Disqus (the XML file of Admin > Moderate > Export)"),
    ("wordpress", "WordPress (the WXR file of Tools > Export)"),
    ("broadsheet", "Broadsheet (another site's Export comments file)"),
]

# A browser never keeps a chosen file when a form comes back, so each refusal says so.
_AGAIN = "then choose the file again"


class ImportUploadForm(forms.Form):
    platform = forms.ChoiceField(
        label="Where the comments come from", choices=PLATFORMS, widget=forms.RadioSelect
    )
    file = forms.FileField(label="The export file", allow_empty_file=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        cap = settings.IMPORT_MAX_MB * 1024 * 1024
        if upload.size > cap:
            raise forms.ValidationError(
                f"This file is {upload.size:,} bytes; the import limit is {cap:,} "
                f"(IMPORT_MAX_MB={settings.IMPORT_MAX_MB})."
            )
        return upload

    def clean(self):
        """Refuse a file of another platform than the one chosen, or of none, here at the upload
        (not when the task worker reaches it): its first bytes say which it is."""
        cleaned = super().clean()
        upload, chosen = cleaned.get("file"), cleaned.get("platform")
        if upload is None or chosen is None:
            return cleaned
        upload.seek(0)
        head = upload.read(HEAD_BYTES)
        upload.seek(0)
        found = export_platform(head)
        if found is None:
            self.add_error("file", _not_an_export(head))
        elif found != chosen:
            self.add_error(
                "platform",
                f"This file looks like a {PLATFORM_NAMES[found]} export, not a "
                f"{PLATFORM_NAMES[chosen]} one: choose {PLATFORM_NAMES[found]}, {_AGAIN}.",
            )
        return cleaned


def _not_an_export(head: bytes) -> str:
    if is_archive(head):
        return (
            "This file is compressed (a .gz or .zip archive): unpack it and upload the export "
            "file inside."
        )
    if declares_a_doctype(head):
        return (
            "This file declares a DOCTYPE, which no Disqus or WordPress export has, so it was "
            "not read: its entities could make it grow without end as it is read. Choose the "
            "file the old platform's export made, as it made it."
        )
    return (
        "This file is not a comment export: a Disqus or WordPress export is XML (starting "
        "<disqus> or WordPress's <rss>), a Broadsheet export is JSON Lines (starting with its "
        '"broadsheet-comments" line). Choose the file the old platform\'s export made.'
    )
