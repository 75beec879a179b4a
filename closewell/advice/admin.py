"""The council edits its advice word lists here: jargon, field words and field phrases."""

from django.contrib import admin

from .models import AdviceWord


@admin.register(AdviceWord)
class AdviceWordAdmin(admin.ModelAdmin):
    list_display = ["term", "plain", "kind", "match_case", "active"]
    list_editable = ["active"]
    list_filter = ["kind", "active"]
    search_fields = ["term", "plain"]
    ordering = ["kind", "term"]
