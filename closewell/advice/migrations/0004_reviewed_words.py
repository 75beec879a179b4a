"""The reviewed default word lists: labels and blaming words (with what to write instead), plainer
alternatives for some jargon, "signposted" treated as jargon, "intergenerational" accepted, more
field phrases. A word the council has already changed is left as the council has it."""

from django.db import migrations

from closewell.advice.defaults import default_words

# (kind, term, the old default plain alternative): updated only while still the old default.
OLD_PLAIN = {
    ("jargon", "CIN plan"): "child in need plan (a plan to support the family)",
    ("jargon", "s47"): "an enquiry by social workers and police into whether the child was at risk of harm "
    "(section 47 enquiry)",
    ("jargon", "S47"): "an enquiry by social workers and police into whether the child was at risk of harm "
    "(section 47 enquiry)",
    ("jargon", "ICPC"): "the first child protection conference (a meeting about keeping the child safe)",
    ("jargon", "RCPC"): "child protection review meeting",
    ("jargon", "LAC"): "looked after (in care)",
    ("jargon", "CLA"): "child looked after (in care)",
    ("jargon", "PLO"): "the pre-proceedings process (a formal warning before the council may go to court)",
    ("jargon", "IRO"): "the independent reviewing officer (who chairs reviews of the child's care)",
    ("jargon", "TAF"): "Team Around the Family meeting",
    ("jargon", "EHA"): "early help assessment",
    ("jargon", "IDVA"): "domestic abuse adviser (independent domestic violence adviser)",
    ("jargon", "MARAC"): "meeting of agencies about people at high risk of domestic abuse (MARAC)",
    ("jargon", "MASH"): "the team that receives and checks referrals (MASH)",
    ("jargon", "LADO"): "the officer who handles concerns about adults who work with children (LADO)",
    ("jargon", "PR"): "parental responsibility",
    ("jargon", "SGO"): "special guardianship order",
    ("jargon", "CAO"): "child arrangements order",
    ("jargon", "EHCP"): "education, health and care plan",
    ("jargon", "PEP"): "personal education plan",
}
# No longer defaults in this kind: removed while still as shipped.
REMOVED = {
    ("jargon", "disguised compliance"): "seeming to go along with the plan without really changing",
    ("field_word", "signposted"): "",
    ("field_word", "signposting"): "",
}


def review(apps, schema_editor):
    AdviceWord = apps.get_model("advice", "AdviceWord")
    for (kind, term), plain in REMOVED.items():
        AdviceWord.objects.filter(kind=kind, term=term, plain=plain).delete()
    existing = set(AdviceWord.objects.values_list("kind", "term"))
    rows = default_words()
    for row in rows:
        old = OLD_PLAIN.get((row["kind"], row["term"]))
        if old is not None:
            AdviceWord.objects.filter(kind=row["kind"], term=row["term"], plain=old).update(plain=row["plain"])
    AdviceWord.objects.bulk_create(
        AdviceWord(**row) for row in rows if (row["kind"], row["term"]) not in existing
    )


def unreview(apps, schema_editor):
    AdviceWord = apps.get_model("advice", "AdviceWord")
    AdviceWord.objects.filter(kind="label").delete()
    for (kind, term), plain in OLD_PLAIN.items():
        AdviceWord.objects.filter(kind=kind, term=term).update(plain=plain)
    for (kind, term), plain in REMOVED.items():
        AdviceWord.objects.get_or_create(kind=kind, term=term, defaults={"plain": plain})


class Migration(migrations.Migration):
    dependencies = [("advice", "0003_label_words")]

    operations = [migrations.RunPython(review, unreview)]
