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


@register.filter
def for_section(by_section: dict, key: str):
    """One section's entry of a dict keyed by section (the return loop on the review page)."""
    return (by_section or {}).get(key)


@register.filter
def comment_boxes(form, key: str) -> list:
    """The comment boxes the return form has beside one section's card."""
    return form.boxes(key) if hasattr(form, "boxes") else []


@register.filter
def comment_typed(form, key: str) -> bool:
    """Whether anything is typed in a section's comment boxes (its "Add a comment" shows open)."""
    return form.has_text(key) if hasattr(form, "has_text") else False
