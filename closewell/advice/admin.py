"""The council edits its advice word lists here: jargon, field words and field phrases."""

from django import forms
from django.contrib import admin

from .models import AdviceWord


class WordRowForm(forms.ModelForm):
    """A row of the list, where each word is switched on or off: its checkbox is named after its
    word ("Use “ICPC”"), so that a screen reader says which of a hundred boxes it is on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["active"].widget.attrs["aria-label"] = f"Use “{self.instance.term}”"


@admin.register(AdviceWord)
class AdviceWordAdmin(admin.ModelAdmin):
    list_display = ["term", "plain", "kind", "match_case", "active"]
    list_editable = ["active"]
    list_filter = ["kind", "active"]
    search_fields = ["term", "plain"]
    ordering = ["kind", "term"]

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=WordRowForm, **kwargs)
