"""The forms that start background work: an SSD extract to import (the census uses its year form)."""

from django import forms

from closewell.web.forms import GovukForm

MAX_UPLOAD_BYTES = 500 * 1024 * 1024


class SsdImportForm(GovukForm):
    extract = forms.FileField(
        label="The extract, as a zip file",
        help_text="A .zip of the extract's CSV files (ssd_person.csv, ssd_cin_episodes.csv and the others), "
        "smaller than 500 MB.",
        widget=forms.FileInput(attrs={"class": "govuk-file-upload", "accept": ".zip,application/zip"}),
        error_messages={"required": "Choose the extract's zip file", "empty": "The chosen file is empty"},
    )
    dry_run = forms.BooleanField(
        label="Check the extract only: import nothing",
        help_text="The report then says what an import would do, and every error and warning.",
        required=False,
    )

    def clean_extract(self):
        upload = self.cleaned_data["extract"]
        if not upload.name.lower().endswith(".zip"):
            raise forms.ValidationError("The chosen file must be a .zip file")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The chosen file must be smaller than 500 MB")
        return upload
