"""Data quality: the census errors and queries DfE's validator would raise, found before the return.

The rules are census/rules.py's (one function per DfE rule, the same ones a Closure Record is
checked against when it is submitted and authorised); here they run over every child of the return.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .rules import rules_at
from .writer import ChildRecord


@dataclass(frozen=True)
class CensusProblem:
    """A census error or query for one child, with where to put it right."""

    code: str
    message: str
    child_pk: int | None
    la_child_id: str
    child_name: str
    episode_pk: int | None = None
    team_id: int | None = None

    @property
    def is_query(self) -> bool:
        """A query (code ending Q) may be explained to DfE; an error must be fixed."""
        return self.code.endswith("Q")


def episode_problems(child: ChildRecord, episode, year: int) -> list[tuple[str, str]]:
    """(code, message) for each breach of a rule about one episode."""
    return [
        (rule.code, message) for rule in rules_at("episode") for message in rule.check(child, episode, year)
    ]


def child_problems(child: ChildRecord, year: int) -> list[tuple[str, str]]:
    """(code, message) for each breach of a rule about the child's own details."""
    return [(rule.code, message) for rule in rules_at("child") for message in rule.check(child, year)]


def check_child(child: ChildRecord, year: int) -> list[CensusProblem]:
    """Every problem with one child's census record, child-level first, then episode by episode,
    then those across the child's episodes."""

    def problem(code, message, episode=None):
        return CensusProblem(
            code=code,
            message=message,
            child_pk=child.pk,
            la_child_id=child.la_child_id,
            child_name=child.name,
            episode_pk=episode.pk if episode else None,
            team_id=episode.team_id if episode else None,
        )

    found = [problem(code, message) for code, message in child_problems(child, year)]
    for episode in child.episodes:
        found.extend(
            problem(code, message, episode) for code, message in episode_problems(child, episode, year)
        )
    for rule in rules_at("case"):
        found.extend(problem(rule.code, message, episode) for message, episode in rule.check(child, year))
    return found


def check_children(
    children: Iterable[ChildRecord], year: int
) -> Iterator[tuple[ChildRecord, list[CensusProblem]]]:
    """Each child that has a problem, with its problems."""
    for child in children:
        found = check_child(child, year)
        if found:
            yield child, found
