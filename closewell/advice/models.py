"""The council's word lists for writing advice: jargon with plain alternatives, labels with what to
write instead, and the field's words and phrases that the spell checker must know."""

from django.db import models
from django.db.models import Q

from closewell.core.models import TimeStampedModel


class WordKind(models.TextChoices):
    JARGON = "jargon", "Jargon or acronym (flagged, with a plain alternative)"
    FIELD_WORD = "field_word", "Word of the field (the spell checker accepts it)"
    FIELD_PHRASE = "field_phrase", "Phrase of the field (a word a letter out is flagged)"
    LABEL = "label", "Label or blaming word (flagged, with what to write instead)"


class AdviceWord(TimeStampedModel):
    kind = models.CharField(max_length=12, choices=WordKind.choices)
    term = models.CharField(max_length=100)
    plain = models.CharField(
        "plain alternative",
        max_length=300,
        blank=True,
        help_text=(
            "For jargon and labels: what to write instead, in words a family would use. For a label, "
            "“/” in the term gives alternatives for one word (“supervised/direct contact”), and each word "
            "also matches its usual endings (refuse: refused, refusing)."
        ),
    )
    match_case = models.BooleanField(
        default=False,
        help_text="Flag the term only when written exactly like this (for acronyms such as CIN, s47).",
    )
    active = models.BooleanField(default=True, help_text="Untick to stop using a word without deleting it.")

    class Meta:
        ordering = ["kind", "term"]
        verbose_name = "word or phrase"
        verbose_name_plural = "words and phrases"
        constraints = [
            models.UniqueConstraint(fields=["kind", "term"], name="advice_word_once"),
            models.CheckConstraint(
                name="advice_jargon_has_plain",
                condition=~Q(kind__in=["jargon", "label"]) | ~Q(plain=""),
                violation_error_message="Give jargon or a label a plain alternative: what to write instead.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.plain}" if self.plain else self.term
