"""Run the writing advice over a labelled set of passages and report how well it does."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from closewell.advice import engine, evaluation
from closewell.advice.bench import default_lexicon


class Command(BaseCommand):
    help = (
        "Run the writing advice over labelled Closure-Record passages (default: the set shipped in "
        "closewell/advice/data/labelled) and report per-kind recall and the false-positive rate."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(evaluation.LABELLED), help="A YAML file or a folder of them."
        )
        parser.add_argument(
            "--council-lists",
            action="store_true",
            help="Use the council's word lists from the database instead of the shipped defaults.",
        )
        parser.add_argument("--verbose-misses", action="store_true", help="List every miss and false alarm.")
        parser.add_argument(
            "--check",
            action="store_true",
            help=f"Fail unless recall is at least {evaluation.RECALL_TARGET:.0%} for every kind and "
            f"false positives at most {evaluation.FALSE_POSITIVE_TARGET:.0%}.",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(f"No labelled passages at {path}")
        try:
            passages = evaluation.load(path)
        except (ValueError, KeyError) as error:
            raise CommandError(f"Cannot read the labelled passages: {error}") from error
        if options["council_lists"]:
            from closewell.advice.selectors import lexicon

            words = lexicon()
        else:
            words = default_lexicon()
        report = evaluation.evaluate(passages, words, engine.Targets())
        out = self.stdout
        good = sum(1 for p in passages if not p.expect)
        out.write(f"{len(passages)} passages ({good} that should get no advice) from {path}")
        out.write("")
        out.write(f"{'Kind':<16}{'Recall':>10}{'':>4}Caught")
        for kind, (hit, total) in report.recall.items():
            flag = "" if hit / total >= evaluation.RECALL_TARGET else "  below target"
            out.write(f"{kind:<16}{hit / total:>10.0%}{'':>4}{hit} of {total}{flag}")
        out.write("")
        fp = report.false_positives
        out.write(
            f"False positives: {len(fp)} of {len(passages)} passages ({report.false_positive_rate:.1%}) "
            "got advice they should not have"
        )
        if options["verbose_misses"] or fp:
            for outcome in fp:
                out.write(f"  {outcome.passage.id}: also got {', '.join(sorted(outcome.unexpected))}")
        if options["verbose_misses"]:
            for outcome in report.outcomes:
                if outcome.missed:
                    out.write(f"  {outcome.passage.id}: missed {', '.join(sorted(outcome.missed))}")
        out.write("")
        if report.meets_targets:
            out.write(self.style.SUCCESS("Targets met."))
        else:
            message = (
                f"Targets not met (recall at least {evaluation.RECALL_TARGET:.0%} in each kind, "
                f"false positives at most {evaluation.FALSE_POSITIVE_TARGET:.0%})."
            )
            if options["check"]:
                raise CommandError(message)
            out.write(self.style.WARNING(message))
