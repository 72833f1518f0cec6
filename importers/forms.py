"""The admin's upload form for an import."""

from __future__ import annotations

from django import forms
from django.conf import settings

PLATFORMS = [
    ("disqus", "Disqus (the XML file of Admin > Moderate > Export)"),
    ("wordpress", "WordPress (the WXR file of Tools > Export)"),
    ("broadsheet", "Broadsheet (another site's Export comments file)"),
]


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
