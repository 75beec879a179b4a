"""The sections a record's content shows, for _content.html: pure, no query (sections.shown)."""

from django import template

from closewell.closures import sections

register = template.Library()


@register.filter
def sections_shown(content: dict) -> list[dict]:
    """Each section in the content, in order: its key, its one title, its card template and part."""
    return [
        {
            "key": spec.key,
            "title": spec.title,
            "card": spec.card,
            "part": part,
            "rows": spec.shown_rows(part) if spec.card == sections.DEFAULT_CARD else [],
        }
        for spec, part in sections.shown(content or {})
    ]
