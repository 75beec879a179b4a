"""import_extract(): read an SSD extract, check every row, then write it to the case register at once.

The import is keyed by the source system's ids (Child.la_child_id is the SSD person id; every other
row keeps "table:id" in `source_id`), so running it twice changes nothing and a later extract updates
only what changed. Every row is checked before anything is written. An error (what would make the
register or the CIN census wrong), or a refusal by the database, leaves the register exactly as it was
(one transaction); a warning says what was mapped, defaulted or skipped, and the rest is imported. The
import never deletes: rows missing from a later extract, and everything entered in Closewell, are left
alone. docs/import.md says what is read, derived, warned about and refused.
"""

import codecs
import csv
import datetime as dt
import time
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models, transaction
from django.utils import timezone

from closewell.accounts.models import Role, Team, User
from closewell.audit.models import Action
from closewell.audit.services import log_event
from closewell.cases.codes import Sex, UPNUnknown
from closewell.cases.models import (
    Assessment,
    AssessmentType,
    Child,
    ChildPerson,
    Contact,
    ContactType,
    Episode,
    EpisodeStatus,
    LookedAfterPeriod,
    Person,
    Plan,
    PlanType,
    Relationship,
    Section47,
    WorkKind,
)
from closewell.core.dates import age_on, birthday

from .mapping import (
    DATE_RULES,
    IMPORTED,
    NEEDED,
    NOT_IMPORTED,
    READERS,
    REQUIRED,
    WARNING,
    BadValue,
    Row,
    closewell_pk,
    file_names,
)
from .models import ImportRun

SQLITE_CACHE_KIB = -512 * 1024  # negative: KiB, so 512 MiB at most, allocated only as used
CHUNK = 900  # ids per IN (...) query: SQLite allows 999 parameters
BATCH = 2000
IMPORT_USERNAME = "ssd-import"
NO_TEAM = "Team not recorded in the extract"
MAX_ID = 80  # an SSD id, so that "table:id" fits the 100 characters of a source_id
VISIT_NOTE = "Statutory visit recorded in the case system; imported from the SSD extract."
ID_COLUMNS = {
    "department": "dept_team_id",
    "professionals": "prof_professional_id",
    "person": "pers_person_id",
    "cin_episodes": "cine_referral_id",
    "cin_assessments": "cina_assessment_id",
    "cin_plans": "cinp_cin_plan_id",
    "cp_plans": "cppl_cp_plan_id",
    "s47_enquiry": "s47e_s47_enquiry_id",
    "cin_visits": "cinv_cin_visit_id",
    "cp_visits": "cppv_cp_visit_id",
    "cla_episodes": "clae_cla_episode_id",
}


def _silent(iterable=None, **kwargs):
    """The default progress bar: none. The command passes tqdm."""
    return _Null() if iterable is None else iterable


class _Null:
    def update(self, n=1):
        pass

    def close(self):
        pass


def insert_rows(model, rows: list[dict], bar=None) -> None:
    """INSERT rows ({attname: value}) with one executemany a batch. bulk_create() builds a model
    instance per row and prepares every value through the ORM, which for a million rows costs
    minutes; here defaults and timestamps are filled in, only dates, times and JSON are converted
    for the database, and the rest is sent as it is. No model logic is skipped: the importer's
    models have none beyond their fields, and the database's constraints still apply."""
    if not rows:
        return
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the thread-local proxy, per value
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    # (attname, field, the timestamp as stored when the field is auto_now(_add), convert?)
    plan = [
        (
            f.attname,
            f,
            f.get_db_prep_save(now, db)
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            else None,
            isinstance(f, models.DateField | models.JSONField),  # DateTimeField is a DateField
        )
        for f in fields
    ]
    quote = db.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608 (names from the model; values are parameters)
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    with db.cursor() as cursor:
        for part in chunks(rows, BATCH):
            values = []
            for row in part:
                out = []
                for attname, field, stamp, convert in plan:
                    if stamp is not None:
                        out.append(stamp)
                        continue
                    value = row[attname] if attname in row else field.get_default()
                    out.append(field.get_db_prep_save(value, db) if convert and value is not None else value)
                values.append(out)
            cursor.executemany(sql, values)
            if bar is not None:
                bar.update(len(part))


@contextmanager
def _large_sqlite_cache():
    """On SQLite, a page cache large enough that a big import's transaction is not spilled to disk
    (each spill syncs the journal) until it commits; the connection's own setting comes back after."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        previous = cursor.execute("PRAGMA cache_size").fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with a byte order mark",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1 (ISO 8859-1)",
}


@dataclass
class Sniffed:
    """What one pass over a file's bytes found: its encoding, about how many rows, any NUL byte."""

    encoding: str
    rows: int
    nul: bool

    @property
    def label(self) -> str:
        return ENCODING_LABELS.get(self.encoding, self.encoding)


def sniff(path: Path, stated: str | None = None) -> Sniffed:
    """The file's encoding: the one stated, else a byte order mark's, else UTF-8 if every byte reads
    as UTF-8, else Windows-1252 (what Excel and SQL Server write on English Windows), else Latin-1
    (which reads any byte). Counted in the same pass: the rows, for the progress bar, and NUL bytes."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if stated:
        encoding = stated
    elif head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        encoding = "utf-16"
    else:
        encoding = None
    decoders = [] if encoding else [codecs.getincrementaldecoder(e)() for e in ("utf-8", "cp1252")]
    failed = [False] * len(decoders)
    lines, nul = 0, False
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            lines += block.count(b"\n")
            nul = nul or b"\x00" in block
            for i, decoder in enumerate(decoders):
                if not failed[i]:
                    try:
                        decoder.decode(block)
                    except UnicodeDecodeError:
                        failed[i] = True
    if encoding is None:
        for i, decoder in enumerate(decoders):
            if not failed[i]:
                try:
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    failed[i] = True
        encoding = "utf-8" if not failed[0] else "cp1252" if not failed[1] else "latin-1"
    if encoding == "utf-16":
        nul = False  # every other byte of UTF-16 is a NUL; the text itself is checked no further
    return Sniffed(encoding, max(lines - 1, 0), nul)


def _undecodable_line(path: Path, encoding: str) -> int | None:
    """The first line of a file that does not decode (the text reader fails a block at a time)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                decoder.decode(raw)
            except UnicodeDecodeError:
                return number
    return None


def _fold(text: str) -> str:
    """A name as compared for identity: case, accents and spacing aside."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def _same(new, old) -> bool:
    """Equal as the register means it: a list of codes (disabilities, assessment factors) is a set,
    so the same codes in another order are no change."""
    if isinstance(new, list) and isinstance(old, list):
        return sorted(map(str, new)) == sorted(map(str, old))
    return new == old


def chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass
class Entry:
    """A row that was read: where it came from and its clean values."""

    file: str
    line: int
    values: dict
    ok: bool
    skipped: bool = False  # a warning said so: not imported, the rest is


@dataclass
class Result:
    ok: bool
    dry_run: bool
    problems: list[BadValue] = field(default_factory=list)  # errors: any one and nothing is imported
    warnings: list[BadValue] = field(default_factory=list)  # imported, with what was skipped or mapped
    encodings: dict[str, str] = field(default_factory=dict)  # file name: the encoding it was read in
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    skipped: dict[str, str] = field(default_factory=dict)
    rows_read: int = 0
    seconds: float = 0.0
    run: ImportRun | None = None

    @property
    def rows_per_second(self) -> float:
        return self.rows_read / self.seconds if self.seconds else 0.0

    @property
    def changed(self) -> int:
        return sum(c["created"] + c["updated"] for c in self.counts.values())


class Rollback(Exception):
    """Raised inside the transaction to undo a dry run."""


def import_extract(
    path,
    *,
    actor=None,
    dry_run: bool = False,
    progress: Callable = _silent,
    encoding: str | None = None,
) -> Result:
    """Import the SSD extract in folder `path`. Nothing is written if any row has an error; rows
    with a warning are skipped or mapped as the warning says and the rest is imported. A dry run
    does the whole import in a transaction and rolls it back, so its counts are exact. `encoding`
    states the files' encoding; without it each file's is detected (sniff())."""
    return Importer(Path(path), actor=actor, progress=progress, encoding=encoding).run(dry_run=dry_run)


def write_report(problems: list[BadValue], path) -> Path:
    """The import report as CSV (level, file, line, column, reason): errors first, then warnings."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    ordered = sorted(problems, key=lambda p: p.level == WARNING)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["level", "file", "line", "column", "reason"])
        for p in ordered:
            writer.writerow([p.level, p.file, p.line, p.column, _safe_cell(p.reason)])
    return path


def _safe_cell(text: str) -> str:
    """A report cell that a spreadsheet will not run as a formula (values from the extract are quoted
    in reasons), with no NUL."""
    text = text.replace("\x00", "\\0")
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


class Importer:
    def __init__(self, path: Path, *, actor=None, progress: Callable = _silent, encoding: str | None = None):
        self.path = path
        self.actor = actor
        self.progress = progress
        self.encoding = encoding
        self.problems: list[BadValue] = []
        self.warnings: list[BadValue] = []
        self.encodings: dict[str, str] = {}
        self.team_moves: list[dict] = []
        self.entries: dict[str, list[Entry]] = {}
        self.files: dict[str, str] = {}
        self.counts: dict[str, dict[str, int]] = {}
        self.rows_read = 0
        self._seen_ids: dict[str, dict[str, int]] = {}
        self.now = timezone.now()
        self.today = timezone.localdate()

    # ------------------------------------------------------------------ run
    def run(self, *, dry_run: bool) -> Result:
        started = time.monotonic()
        result = Result(ok=False, dry_run=dry_run, skipped=self._skipped_tables())
        self.read()
        if self.entries.get("person") is not None or not self.problems:
            self.check()
        if not self.problems:
            try:
                with transaction.atomic(), _large_sqlite_cache():
                    self.write()
                    if dry_run:
                        raise Rollback
                    result.run = self._record_run(started)
            except Rollback:
                pass
            except (DatabaseError, ValidationError) as error:
                self.problems.append(
                    BadValue("", 0, "", f"The database refused the import, so nothing was imported: {error}")
                )
        result.ok = not self.problems
        result.problems = self.problems
        result.warnings = self.warnings
        result.encodings = self.encodings
        result.counts = self.counts
        result.rows_read = self.rows_read
        result.seconds = time.monotonic() - started
        return result

    def _skipped_tables(self) -> dict[str, str]:
        return {
            name: reason
            for table, reason in NOT_IMPORTED.items()
            for name in file_names(table)
            if (self.path / name).exists()
        }

    def _record_run(self, started: float) -> ImportRun:
        """One audit event per run naming its counts (not one per row: an extract has millions)."""
        run = ImportRun.objects.create(
            started_at=self.now,
            finished_at=timezone.now(),
            source=str(self.path)[:500],
            actor=self.actor,
            rows_read=self.rows_read,
            counts=self.counts,
        )
        summary = ", ".join(
            f"{label}: {c['created']} new, {c['updated']} changed" for label, c in self.counts.items()
        )
        where = f"{self.path.name} ({len(self.warnings)} warnings)"
        log_event(
            actor=self.actor,
            action=Action.CREATE,
            obj=run,
            summary=f"Imported the SSD extract from {where}. {summary}",
            after={
                "source": str(self.path),
                "rows_read": self.rows_read,
                "counts": self.counts,
                "warnings": len(self.warnings),
                # Children who came into another team's view, as the report said.
                "team_moves": self.team_moves,
            },
        )
        return run

    # ------------------------------------------------------------------ read
    def read(self) -> None:
        """Read every table's file: each value checked on its own, each id once per file."""
        for table in IMPORTED:
            found = next((self.path / n for n in file_names(table) if (self.path / n).exists()), None)
            if found is None:
                if table in REQUIRED:
                    self.problems.append(BadValue(file_names(table)[0], 0, "", "The file is missing."))
                continue
            self.files[table] = found.name
            self.entries[table] = self._read_file(table, found)

    def _read_file(self, table: str, path: Path) -> list[Entry]:
        """Every row of one file. Nothing in a file (its encoding, a NUL byte, broken quoting) raises:
        each is a line of the report naming the file and the line."""
        name = path.name
        entries: list[Entry] = []
        try:
            sniffed = sniff(path, self.encoding)
        except LookupError:
            self.problems.append(BadValue(name, 0, "", f"“{self.encoding}” is not an encoding Python knows."))
            return entries
        except OSError as error:
            self.problems.append(BadValue(name, 0, "", f"The file cannot be read: {error.strerror}."))
            return entries
        self.encodings[name] = sniffed.label
        if not self.encoding and sniffed.encoding in ("cp1252", "latin-1"):
            self.warnings.append(
                BadValue(
                    name, _undecodable_line(path, "utf-8") or 0, "",
                    f"The file is not UTF-8 (this is its first line that is not): it was read as "
                    f"{sniffed.label}. Check that names with accents read correctly, or state the encoding "
                    "(import_ssd --encoding).",
                    WARNING,
                )
            )  # fmt: skip
        bar = self.progress(total=sniffed.rows, desc=f"Reading {name}", unit="rows")
        line = 1
        try:
            with path.open(newline="", encoding=sniffed.encoding) as handle:
                reader = csv.DictReader(handle)
                if reader.fieldnames is None:  # an empty file: the table has no rows
                    if table in REQUIRED:
                        self.problems.append(BadValue(name, 0, "", "The file is empty."))
                    else:
                        self.warnings.append(
                            BadValue(name, 0, "", "The file is empty: nothing is read from it.", WARNING)
                        )
                    return entries
                # Column names as the specification writes them, whatever case or spaces an export adds.
                reader.fieldnames = header = [
                    (c or "").strip().lstrip("\ufeff").lower() for c in reader.fieldnames
                ]
                missing = [c for c in NEEDED[table] if c not in header]
                if missing:
                    for column in missing:
                        self.problems.append(BadValue(name, 1, column, "The column is missing."))
                    return entries
                for values in reader:
                    line = reader.line_num
                    entries.append(self._read_row(table, name, line, values, sniffed.nul))
                    if len(entries) % 5000 == 0:
                        bar.update(5000)
                bar.update(len(entries) % 5000)
        except UnicodeDecodeError as error:
            self.problems.append(
                BadValue(
                    name, _undecodable_line(path, sniffed.encoding) or line + 1, "",
                    f"The file is not {sniffed.label} here (byte {error.object[error.start:error.end]!r}): "
                    "state the file's encoding (import_ssd --encoding) or save it as UTF-8.",
                )
            )  # fmt: skip
        except csv.Error as error:
            self.problems.append(
                BadValue(name, line + 1, "", f"This line cannot be read as CSV ({error}): check its quotes.")
            )
        finally:
            bar.close()
        return entries

    def _read_row(self, table: str, name: str, line: int, values: dict, nul: bool) -> Entry:
        if "NULL" in values.values() or "null" in values.values():  # SQL Server's and Oracle's blank
            values = {k: "" if v in ("NULL", "null") else v for k, v in values.items()}
        if nul:
            for column, value in values.items():
                if value and "\x00" in value:
                    self.problems.append(
                        BadValue(
                            name, line, column or "", "The value has a NUL character (byte 0): remove it."
                        )
                    )
                    values[column] = value.replace("\x00", "")
        row = Row(name, line, values, self.problems, self.warnings)
        clean = READERS[table](row)
        id_column = ID_COLUMNS.get(table)
        if id_column and len(clean.get("id") or "") > MAX_ID:
            row.error(id_column, f"Longer than {MAX_ID} characters: an id this long cannot be kept.")
        if id_column and clean.get("id"):
            seen = self._seen_ids.setdefault(table, {})
            first = seen.setdefault(clean["id"], line)
            if first != line:
                row.error(id_column, f"“{clean['id']}” appears twice: also on line {first}.")
        self.rows_read += 1
        return Entry(name, line, clean, row.ok)

    def _rows(self, table: str) -> list[Entry]:
        return self.entries.get(table, [])

    def _error(self, entry: Entry, column: str, reason: str) -> None:
        self.problems.append(BadValue(entry.file, entry.line, column, reason))
        entry.ok = False

    def _warn(self, entry: Entry, column: str, reason: str, *, skip: bool = False) -> None:
        """A warning on a row; `skip`: the row is left out of the import, the rest goes ahead."""
        self.warnings.append(BadValue(entry.file, entry.line, column, reason, WARNING))
        entry.skipped = entry.skipped or skip

    # ------------------------------------------------------------------ check
    def check(self) -> None:
        """The checks that need other rows or the register: every reference resolves, children meet
        the child's rules and are who the register says they are, dates are possible, one open
        episode per child; rows without a referral id are placed on the child's episode open on
        their date; what cannot be placed is skipped with a warning."""
        self._check_dates()
        self._check_people()
        self._check_episodes()
        self._check_episode_parts()
        self._check_conferences()
        self._check_visits()
        self._check_ids_stay_with_their_child()
        for table, entries in self.entries.items():
            self.entries[table] = [e for e in entries if not e.skipped]

    def _check_dates(self) -> None:
        """No date in the future (a birth, a referral, an enquiry…), and no death before birth.
        Kept in this one function so that it can move to a shared date-rules module."""
        for table, key, column, what, level in DATE_RULES:
            for entry in self._rows(table):
                day = entry.values.get(key)
                if isinstance(day, dt.datetime):
                    day = day.date()
                if day is None or day <= self.today:
                    continue
                reason = f"The {what} ({day:%d %B %Y}) is in the future."
                if level == WARNING:
                    self._warn(entry, column, f"{reason} The row is not imported.", skip=True)
                else:
                    self._error(entry, column, f"{reason} Correct it in the case system.")

    def _load_existing_children(self, ids: list[str]) -> dict[str, dict]:
        found = {}
        for part in chunks(ids):
            for row in Child.objects.filter(la_child_id__in=part).values(
                "la_child_id",
                "pk",
                "first_name",
                "last_name",
                "date_of_birth",
                "expected_date_of_birth",
                "sex",
            ):
                found[row["la_child_id"]] = row
        return found

    def _check_people(self) -> None:
        self.teams = {e.values["id"]: e.values["name"] for e in self._rows("department") if e.ok}
        self.known_teams = set(self.teams) | set(Team.objects.values_list("name", flat=True))
        self.professionals = {e.values["id"]: e.values for e in self._rows("professionals") if e.ok}
        self.persons = {e.values["id"]: e for e in self._rows("person") if e.values["id"]}
        child_ids = {
            e.values["person"]
            for table in ("cin_episodes", "cla_episodes", "care_leavers")
            for e in self._rows(table)
            if e.values.get("person")
        }
        referenced = set(child_ids) | {
            e.values[k]
            for table, k in (("disability", "person"), ("linked_identifiers", "person"), ("mother", "child"))
            for e in self._rows(table)
            if e.values.get(k)
        }
        found = self._load_existing_children(sorted(referenced | set(self.persons)))
        self.existing_children = {k: row["pk"] for k, row in found.items()}
        self.child_ids = {p for p in child_ids | set(self.existing_children)}
        self.known_people = set(self.persons) | set(self.existing_children)
        for entry in self._rows("person"):
            if entry.values["id"] in self.child_ids:
                self._check_child(entry, found.get(entry.values["id"]))
            else:
                self._default_names(entry, "Name not recorded", "")
        # Rows about a person who is in neither the extract nor the register (an SSD extract's person
        # table may leave out parents, or children outside its scope) cannot be placed: skipped.
        for table, key, column in (
            ("disability", "person", "disa_person_id"),
            ("linked_identifiers", "person", "link_person_id"),
            ("family", "person", "fami_person_id"),
            ("mother", "mother", "moth_person_id"),
            ("mother", "child", "moth_childs_person_id"),
            ("cla_episodes", "person", "clae_person_id"),
            ("care_leavers", "person", "clea_person_id"),
        ):
            for entry in self._rows(table):
                value = entry.values.get(key)
                if value and value not in self.known_people:
                    reason = f"No person “{value}” in ssd_person or the register: the row is not imported."
                    self._warn(entry, column, reason, skip=True)

    def _default_names(self, entry: Entry, first: str, last: str) -> None:
        """The SSD does not require names: a person without one is recorded as not named, and said so."""
        v = entry.values
        for key, column, default in (
            ("first_name", "pers_forename", first),
            ("last_name", "pers_surname", last),
        ):
            if not v[key]:
                v[key] = default or "Not recorded"
                self._warn(entry, column, f"No name in the extract: recorded as “{v[key]}”.")

    def _check_child(self, entry: Entry, existing: dict | None) -> None:
        """A child's census facts, and that a child already in the register is the same child."""
        v = entry.values
        if existing is not None:
            # What the extract leaves blank, the register keeps (the SSD does not require names).
            for key in ("first_name", "last_name", "sex", "date_of_birth", "expected_date_of_birth"):
                v[key] = v[key] or existing[key] or v[key]
        unborn = not v["date_of_birth"] and bool(v["expected_date_of_birth"])
        if not (v["date_of_birth"] or v["expected_date_of_birth"]):
            self._error(entry, "pers_dob", "A child needs a date of birth or an expected date of birth.")
        if unborn and v["sex"] != Sex.UNKNOWN:
            if v["sex"]:
                self._warn(
                    entry,
                    "pers_sex",
                    f"An unborn child's sex is recorded as U, not {v['sex']} (CIN rule 8750).",
                )
            v["sex"] = Sex.UNKNOWN
        elif not v["sex"]:
            v["sex"] = Sex.UNKNOWN
            self._warn(entry, "pers_sex", "No sex in the extract: recorded as U (not known).")
        if v["date_of_death"] and v["date_of_birth"] and v["date_of_death"] < v["date_of_birth"]:
            self._error(entry, "pers_death_date", "The date of death is before the date of birth.")
        self._default_names(entry, "Unborn" if unborn else "Name not recorded", "")
        if existing is not None:
            self._check_identity(entry, existing)

    def _check_identity(self, entry: Entry, old: dict) -> None:
        """An extract's person id is trusted to be the register's child only while the child stays
        recognisably the same: of the name (forename or surname), date of birth and sex, no two may
        change at once. Such a row is refused (nothing is imported) and the report names what
        differs; one change (a new surname, a corrected birth date) is imported and reported."""
        v = entry.values

        def same(a, b):
            return _fold(a) == _fold(b)

        differs = []
        if not same(v["first_name"], old["first_name"]) or not same(v["last_name"], old["last_name"]):
            differs.append(
                f"name ({old['first_name']} {old['last_name']} → {v['first_name']} {v['last_name']})"
            )
        born_before, born_now = old["date_of_birth"], v["date_of_birth"]
        if born_before and born_now and born_before != born_now:
            differs.append(f"date of birth ({born_before:%d/%m/%Y} → {born_now:%d/%m/%Y})")
        if old["sex"] in ("M", "F") and v["sex"] in ("M", "F") and old["sex"] != v["sex"]:
            differs.append(f"sex ({old['sex']} → {v['sex']})")
        if len(differs) >= 2:
            self._error(
                entry,
                "pers_person_id",
                f"Person “{v['id']}” is a child in the register, but their {' and '.join(differs)} "
                "differ: this looks like another child under the same id. Nothing is imported; check the "
                "id in the case system, or correct the child in Closewell first if this is the same child.",
            )
        elif differs:
            self._warn(
                entry, "pers_person_id", f"Child “{v['id']}”: the {differs[0]} changes in the register."
            )

    def _team(self, team_id: str) -> str | None:
        """A team's name from its SSD department id (or a team already named so in Closewell)."""
        return self.teams.get(team_id) or (team_id if team_id in self.known_teams else None)

    def _check_episodes(self) -> None:
        self.episodes = {e.values["id"]: e for e in self._rows("cin_episodes") if e.values["id"]}
        self.existing_episodes = self._load_existing_episodes()
        for entry in self._rows("cin_episodes"):
            v = entry.values
            if v["person"] and v["person"] not in self.known_people:
                self._error(
                    entry, "cine_person_id", f"No person “{v['person']}” in ssd_person or the register."
                )
            old = self.existing_episodes.get(v["id"])
            if old and v["person"] and old["child__la_child_id"] != v["person"]:
                self._error(
                    entry,
                    "cine_referral_id",
                    f"Referral “{v['id']}” is in the register for child “{old['child__la_child_id']}”, not "
                    f"“{v['person']}”: an id is never moved to another child. Check the ids in the case "
                    "system.",
                )
        self.spans = self._episode_spans()
        # The worker allocated now: the open involvement that started last (else the last to end).
        allocation: dict[str, tuple] = {}
        for entry in self._rows("involvements"):
            v = entry.values
            if not entry.ok:
                continue
            if not v["referral"]:
                v["referral"] = self._place(
                    entry, v.get("person"), v["start"], "invo_referral_id", "involvement"
                )
                if not v["referral"]:
                    continue
            elif v["referral"] not in self.episodes and v["referral"] not in self.existing_episodes:
                self._error(entry, "invo_referral_id", f"No referral “{v['referral']}” in ssd_cin_episodes.")
                continue
            # The allocation is not census data: an unknown worker or team is left out, with a warning.
            if v["worker"] and v["worker"] not in self.professionals and not self._user_exists(v["worker"]):
                self._warn(entry, "invo_professional_id", f"No professional “{v['worker']}”: not allocated.")
                v["worker"] = ""
            if v["team"] and self._team(v["team"]) is None:
                self._warn(
                    entry, "invo_professional_team", f"No team “{v['team']}” in ssd_department: not used."
                )
                v["team"] = ""
            rank = (v["end"] is None, v["start"] or dt.date.min, v["end"] or dt.date.min, entry.line)
            if v["referral"] not in allocation or rank > allocation[v["referral"]][0]:
                allocation[v["referral"]] = (rank, v["worker"], v["team"])
        open_by_child: dict[str, Entry] = {}
        for entry in self._rows("cin_episodes"):
            v = entry.values
            _, worker, team = allocation.get(v["id"], (None, "", ""))
            v["team"], v["worker"] = team or v["team"], worker or v["worker"]
            if not v["team"] or self._team(v["team"]) is None:
                given = (
                    f"No team “{v['team']}” in ssd_department"
                    if v["team"]
                    else "No team on the referral or an involvement"
                )
                v["team"] = NO_TEAM
                self.known_teams.add(NO_TEAM)
                self._warn(
                    entry, "cine_referral_team",
                    f"{given}: recorded in the team “{NO_TEAM}”, which only those who read every team's "
                    "cases see until it is moved.",
                )  # fmt: skip
            if v["worker"] and v["worker"] not in self.professionals and not self._user_exists(v["worker"]):
                self._warn(
                    entry, "cine_referral_worker_id", f"No professional “{v['worker']}”: not allocated."
                )
                v["worker"] = ""
            if not v["closure_date"] and v["person"]:
                other = open_by_child.setdefault(v["person"], entry)
                if other is not entry:
                    self._error(
                        entry,
                        "cine_close_date",
                        f"The child already has an open episode (line {other.line}): one at a time "
                        "(CIN rules 8815, 8816, 8820).",
                    )
        self._check_team_moves()

    def _check_team_moves(self) -> None:
        """A child already in the register who comes into another team's view (an episode in a team
        that none of their episodes is in) is reported, naming the child and both teams."""
        children = sorted({e.values["person"] for e in self.episodes.values()} & set(self.existing_children))
        held: dict[str, set[str]] = defaultdict(set)
        for part in chunks(children):
            for child, team in Episode.objects.filter(child__la_child_id__in=part).values_list(
                "child__la_child_id", "team__name"
            ):
                held[child].add(team)
        reported = set()
        self.team_moves = []
        for entry in self.episodes.values():
            v = entry.values
            teams = held.get(v["person"])
            name = self._team(v["team"]) if v["team"] else None
            if not teams or not name or name in teams or (v["person"], name) in reported:
                continue
            reported.add((v["person"], name))
            old = self.existing_episodes.get(v["id"])
            moved = f" (referral “{v['id']}” moves from “{old['team__name']}”)" if old else ""
            self.team_moves.append({"child": v["person"], "team": name, "held_by": sorted(teams)})
            self._warn(
                entry,
                "cine_referral_team",
                f"Child “{v['person']}” comes into the view of team “{name}”{moved}: the register holds them "
                f"in {', '.join(f'“{t}”' for t in sorted(teams))}. Check this is the right child.",
            )

    def _user_exists(self, username: str) -> bool:
        if not hasattr(self, "_usernames"):
            self._usernames = set(User.objects.values_list("username", flat=True))
        return username in self._usernames

    def _load_existing_episodes(self) -> dict[str, dict]:
        """The register's episodes an extract can name: those imported (by their referral id) and
        those made in Closewell that the extract names by their export id ("closewell-<pk>")."""
        columns = ("pk", "source_id", "child__la_child_id", "referral_date", "closure_date", "team__name")
        rows = Episode.objects.filter(source_id__startswith="cin_episodes:").values(*columns)
        found = {r["source_id"].removeprefix("cin_episodes:"): r for r in rows}
        named = {
            pk
            for table, entries in self.entries.items()
            for e in entries
            for ref in (e.values.get("referral"), e.values.get("id") if table == "cin_episodes" else None)
            if ref and (pk := closewell_pk(ref)) is not None
        }
        for part in chunks(sorted(named)):
            for r in Episode.objects.filter(pk__in=part, source_id="").values(*columns):
                found[f"closewell-{r['pk']}"] = r
        return found

    def _episode_spans(self) -> dict[str, list[tuple]]:
        """Each child's episodes as (referral date, closure date, referral id), latest first."""
        spans = defaultdict(list)
        for ref, row in self.existing_episodes.items():
            if ref not in self.episodes:
                spans[row["child__la_child_id"]].append((row["referral_date"], row["closure_date"], ref))
        for ref, entry in self.episodes.items():
            v = entry.values
            if v["referral_date"]:
                spans[v["person"]].append((v["referral_date"], v["closure_date"], ref))
        for items in spans.values():
            items.sort(reverse=True)
        return spans

    def _episode_on(self, person: str, day: dt.date) -> str | None:
        """The referral id of the child's episode open on `day`: exactly one, else None."""
        found = [
            r for start, end, r in self.spans.get(person, ()) if start <= day and (not end or day <= end)
        ]
        return found[0] if len(found) == 1 else None

    def _place(self, entry: Entry, person: str | None, day, column: str, what: str) -> str | None:
        """A row with no referral id goes on its child's episode open on its date; if there is none
        (or more than one), it is skipped with a warning."""
        if isinstance(day, dt.datetime):
            day = day.date()
        if person and day:
            ref = self._episode_on(person, day)
            if ref:
                return ref
            reason = f"No referral id, and no one episode of child “{person}” is open on {day:%d %B %Y}"
        else:
            reason = "No referral id, and no person id and date to place it by"
        self._warn(entry, column, f"{reason}: the {what} is not imported.", skip=True)
        return None

    def _check_episode_parts(self) -> None:
        def known(referral):
            return referral in self.episodes or referral in self.existing_episodes

        for table, column, date_key, what in (
            ("cin_assessments", "cina_referral_id", "start_date", "assessment"),
            ("cin_plans", "cinp_referral_id", "start_date", "CIN plan"),
            ("cp_plans", "cppl_referral_id", "start_date", "child protection plan"),
            ("s47_enquiry", "s47e_referral_id", "start_date", "section 47 enquiry"),
        ):
            for entry in self._rows(table):
                v = entry.values
                if not v["referral"]:
                    v["referral"] = self._place(entry, v.get("person"), v[date_key], column, what)
                elif not known(v["referral"]):
                    self._error(entry, column, f"No referral “{v['referral']}” in ssd_cin_episodes.")
        assessments = {e.values["id"] for e in self._rows("cin_assessments") if not e.skipped}
        skipped = {e.values["id"] for e in self._rows("cin_assessments") if e.skipped}
        for entry in self._rows("assessment_factors"):
            ref = entry.values["assessment"]
            if ref in skipped:
                self._warn(
                    entry,
                    "cinf_assessment_id",
                    f"Assessment “{ref}” is not imported, so neither are its factors.",
                    skip=True,
                )
            elif ref and ref not in assessments:
                self._error(entry, "cinf_assessment_id", f"No assessment “{ref}” in ssd_cin_assessments.")

    def _check_conferences(self) -> None:
        """Each initial conference goes with its section 47 enquiry (by icpc_s47_enquiry_id, else the
        one enquiry of its child or referral that started on or before it and has no conference);
        then each enquiry's ICPCnotRequired is derived from all the extract says of it."""
        s47s = {e.values["id"]: e for e in self._rows("s47_enquiry") if not e.skipped}
        self.conferences: dict[str, dict] = {}
        unplaced = []
        for entry in self._rows("initial_cp_conference"):
            v = entry.values
            if not v["s47"]:
                unplaced.append(entry)
                continue
            s47 = s47s.get(v["s47"])
            if s47 is None:
                self._error(entry, "icpc_s47_enquiry_id", f"No enquiry “{v['s47']}” in ssd_s47_enquiry.")
                continue
            self._attach_conference(entry, s47)
        by_key: dict[tuple, list[Entry]] = defaultdict(list)
        if unplaced:
            for s47 in s47s.values():
                by_key["referral", s47.values["referral"]].append(s47)
                by_key["person", s47.values.get("person") or self._child_of(s47.values["referral"])].append(
                    s47
                )
        for entry in unplaced:
            v = entry.values
            day = v["icpc_date"] or v["icpc_target_date"]
            key = ("referral", v["referral"]) if v["referral"] else ("person", v["person"])
            fits = [
                s for s in by_key.get(key, []) if key[1]
                and s.values["id"] not in self.conferences
                and (day is None or s.values["start_date"] is None or s.values["start_date"] <= day)
            ]  # fmt: skip
            if len(fits) == 1:
                self._warn(
                    entry, "icpc_s47_enquiry_id",
                    f"No enquiry id: placed on enquiry “{fits[0].values['id']}”, the one enquiry of this "
                    "child that started before the conference and has no other.",
                )  # fmt: skip
                self._attach_conference(entry, fits[0])
            else:
                self._warn(
                    entry, "icpc_s47_enquiry_id",
                    "No enquiry id, and no one enquiry of this child to place it on: the conference is not "
                    "imported.", skip=True,
                )  # fmt: skip
        for s47 in s47s.values():
            v = s47.values
            conference = self.conferences.get(v["id"])
            held = (conference or {}).get("icpc_date")
            # A conference row (a target date, say) says a conference follows when the outcome is silent.
            coming = v["conference"] if v["conference"] is not None else (True if conference else None)
            # ICPCnotRequired: no conference was held and none is coming, because the enquiry ended
            # with no further action, or its outcome says no conference, or it ended with none.
            v["icpc_not_required"] = not held and (
                v["nfa"] or coming is False or (v["end_date"] is not None and coming is not True)
            )
            if coming is True and v["end_date"] and not held and not v["nfa"]:
                self._warn(
                    s47, "s47e_s47_outcome_json",
                    "The enquiry ended in a conference, but ssd_initial_cp_conference has no date for it: "
                    "the census shows the conference as not yet held.",
                )  # fmt: skip

    def _attach_conference(self, entry: Entry, s47: Entry) -> None:
        v = entry.values
        if v["icpc_date"] and s47.values["start_date"] and v["icpc_date"] < s47.values["start_date"]:
            self._error(entry, "icpc_icpc_date", "The conference is before the enquiry started.")
            return
        if s47.values["id"] in self.conferences:
            self._warn(
                entry, "icpc_s47_enquiry_id",
                f"Enquiry “{s47.values['id']}” has a conference already: this one is not imported.",
                skip=True,
            )  # fmt: skip
            return
        self.conferences[s47.values["id"]] = v

    def _child_of(self, referral: str | None) -> str | None:
        if referral in self.episodes:
            return self.episodes[referral].values["person"]
        row = self.existing_episodes.get(referral)
        return row["child__la_child_id"] if row else None

    def _check_ids_stay_with_their_child(self) -> None:
        """An assessment, plan, enquiry or visit already in the register stays with its child: an
        extract that gives its id to another child's episode is refused at that row (ids reused or
        mixed up in the case system would otherwise move one child's history into another's)."""
        for table, model, id_column in (
            ("cin_assessments", Assessment, "cina_assessment_id"),
            ("cin_plans", Plan, "cinp_cin_plan_id"),
            ("cp_plans", Plan, "cppl_cp_plan_id"),
            ("s47_enquiry", Section47, "s47e_s47_enquiry_id"),
            ("cin_visits", Contact, "cinv_cin_visit_id"),
            ("cp_visits", Contact, "cppv_cp_visit_id"),
        ):
            entries = {f"{table}:{e.values['id']}": e for e in self._rows(table) if not e.skipped}
            held = {}
            for part in chunks(list(entries)):
                held.update(
                    model.objects.filter(source_id__in=part).values_list(
                        "source_id", "episode__child__la_child_id"
                    )
                )
            for key, child in held.items():
                entry = entries[key]
                now = self._child_of(entry.values.get("referral"))
                if now and now != child:
                    self._error(
                        entry,
                        id_column,
                        f"“{entry.values['id']}” is in the register for child “{child}”, not “{now}”: an "
                        "id is never moved to another child. Check the ids in the case system.",
                    )

    def _check_visits(self) -> None:
        """SSD visits name the child, not the referral: each belongs to the episode open that day.
        A visit on a day no episode of the child is open is skipped with a warning."""
        cp_plans = {e.values["id"]: e.values["referral"] for e in self._rows("cp_plans") if not e.skipped}
        for table, prefix in (("cin_visits", "cinv"), ("cp_visits", "cppv")):
            for entry in self._rows(table):
                v = entry.values
                if v["person"] and v["person"] not in self.known_people:
                    self._warn(
                        entry,
                        f"{prefix}_person_id",
                        f"No person “{v['person']}” in ssd_person or the register: the visit is not "
                        "imported.",
                        skip=True,
                    )
                    continue
                if not v["occurred_at"] or entry.skipped:
                    continue
                day = v["occurred_at"].date()
                v["referral"] = cp_plans.get(v.get("plan") or "") or self._episode_on(v["person"], day)
                if v["referral"] is None:
                    column = f"{prefix}_{table.removesuffix('_visits')}_visit_date"
                    self._warn(
                        entry, column,
                        f"No episode of child “{v['person']}” is open on {day:%d %B %Y}: the visit is not "
                        "imported.",
                        skip=True,
                    )  # fmt: skip

    # ------------------------------------------------------------------ write
    def write(self) -> None:
        """Write in dependency order, each model in bulk: what is new is created, what differs from
        the register is updated, the rest is counted as unchanged."""
        self.team_pks = self._write_teams()
        self.user_pks = self._write_users()
        self.child_pks = self._write_children()
        self.person_pks = self._write_people()
        self._write_links()
        self.episode_pks = self._write_episodes()
        self._write_assessments()
        self.plan_pks = self._write_plans()
        self._write_section47s()
        self._write_contacts()
        self._write_looked_after()
        self._link_re_referrals()

    def _count(self, label: str, created: int = 0, updated: int = 0, unchanged: int = 0) -> None:
        c = self.counts.setdefault(label, {"created": 0, "updated": 0, "unchanged": 0})
        c["created"] += created
        c["updated"] += updated
        c["unchanged"] += unchanged

    def _sync(
        self,
        label: str,
        model,
        key: str,
        desired: dict[str, dict],
        *,
        fields: list[str],
        on_create: Callable[[str, dict], dict] | None = None,
        keep: Callable[[dict], list[str]] | None = None,
    ) -> dict[str, int]:
        """Bring `model` rows keyed by `key` to `desired` {key: {field: value}}: bulk-create the new,
        bulk-update only the rows that differ. `keep(existing)` names fields the register keeps for a
        row (for example an episode closed in Closewell keeps its closure). Returns {key: pk}."""
        existing: dict[str, dict] = {}
        keys = list(desired)
        for part in chunks(keys):
            for row in model.objects.filter(**{f"{key}__in": part}).values("pk", key, *fields):
                existing[row[key]] = row
        if key == "source_id":
            existing.update(self._made_here(model, [k for k in keys if k not in existing], fields))
        new, changed = [], []
        for k, values in desired.items():
            row = existing.get(k)
            if row is None:
                new.append({key: k, **values, **(on_create(k, values) if on_create else {})})
                continue
            kept = set(keep(row)) if keep else set()
            merged = {f: (row[f] if f in kept else values.get(f, row[f])) for f in fields}
            if any(not _same(merged[f], row[f]) for f in fields):
                changed.append(model(pk=row["pk"], updated_at=self.now, **merged))
        bar = self.progress(total=len(new) + len(changed), desc=f"Writing {label}", unit="rows")
        insert_rows(model, new, bar)
        for part in chunks(changed, 500):
            model.objects.bulk_update(part, [*fields, "updated_at"])
            bar.update(len(part))
        bar.close()
        self._count(label, len(new), len(changed), len(desired) - len(new) - len(changed))
        pks = {k: row["pk"] for k, row in existing.items()}
        for part in chunks([row[key] for row in new]):
            pks.update(model.objects.filter(**{f"{key}__in": part}).values_list(key, "pk"))
        return pks

    @staticmethod
    def _made_here(model, keys: list[str], fields: list[str]) -> dict[str, dict]:
        """Rows made in Closewell, named in the extract by the id an export gave them
        ("table:closewell-<pk>"): the same rows, so an import of an export changes nothing."""
        by_pk = {pk: k for k in keys if (pk := closewell_pk(k.partition(":")[2])) is not None}
        found = {}
        for part in chunks(list(by_pk)):
            for row in model.objects.filter(pk__in=part, source_id="").values("pk", "source_id", *fields):
                found[by_pk[row["pk"]]] = row
        return found

    def _write_teams(self) -> dict[str, int]:
        names = {
            self._team(e.values["team"])
            for e in self._rows("cin_episodes")
            if e.values["team"] and self._team(e.values["team"])
        }
        by_name = self._sync("teams", Team, "name", {n: {} for n in sorted(names)}, fields=[])
        return {
            team_id: by_name[name] for team_id in self.teams if (name := self.teams[team_id]) in by_name
        } | {name: pk for name, pk in by_name.items()}

    def _username(self, professional_id: str) -> str:
        prof = self.professionals.get(professional_id)
        return ((prof and prof["staff_id"]) or professional_id)[:150]

    def _write_users(self) -> dict[str, int]:
        """Allocated workers become users, matched by username (the staff id). A new user is created
        inactive with no password: the import never gives anyone a login."""
        wanted: dict[str, dict] = {}
        for entry in self._rows("cin_episodes"):
            v = entry.values
            if v["worker"]:
                username = self._username(v["worker"])
                if username not in wanted:
                    prof = self.professionals.get(v["worker"]) or {"name": ""}
                    first, _, last = prof["name"].partition(" ")
                    wanted[username] = {
                        "first_name": first[:150],
                        "last_name": last[:150],
                        "team_id": self.team_pks[self._team(v["team"])],
                    }
        existing = set()
        for part in chunks(list(wanted)):
            existing.update(User.objects.filter(username__in=part).values_list("username", flat=True))
        new = []
        for username, values in wanted.items():
            if username not in existing:
                user = User(username=username, role=Role.SOCIAL_WORKER, is_active=False, **values)
                user.set_unusable_password()
                new.append(user)
        User.objects.bulk_create(new, batch_size=BATCH)
        self._count("users", created=len(new), unchanged=len(wanted) - len(new))
        pks = {}
        for part in chunks(list(wanted)):
            pks.update(User.objects.filter(username__in=part).values_list("username", "pk"))
        return {prof_id: pks[self._username(prof_id)] for prof_id in {*self.professionals, *pks}
                if self._username(prof_id) in pks}  # fmt: skip

    def _write_children(self) -> dict[str, int]:
        disabilities = defaultdict(set)
        for e in self._rows("disability"):
            disabilities[e.values["person"]].add(e.values["code"])
        upns = {
            e.values["person"]: e.values["upn"] for e in self._rows("linked_identifiers") if e.values["upn"]
        }
        leavers = {e.values["person"]: e.values["status"] for e in self._rows("care_leavers")}
        existing = {}
        for part in chunks([p for p in self.child_ids if p in self.persons]):
            for row in Child.objects.filter(la_child_id__in=part).values(
                "la_child_id", "upn", "upn_unknown", "disabilities"
            ):
                existing[row["la_child_id"]] = row
        desired = {}
        for person_id in sorted(self.child_ids):
            entry = self.persons.get(person_id)
            if entry is None:
                continue  # in the register already, not in this extract
            v = entry.values
            upn = upns.get(person_id, "")
            unknown = "" if upn else v["upn_unknown"]
            if not upn and not unknown:
                # Neither given: keep what the register has; else "sources do not hold the UPN".
                old = existing.get(person_id)
                upn, unknown = (old["upn"], old["upn_unknown"]) if old else ("", UPNUnknown.UN5)
            codes = disabilities.get(person_id)
            # No disability rows: what the register has (the extract leaves it blank); for a child new
            # to the register, NONE when born, and blank when unborn (DfE's guide).
            old = existing.get(person_id)
            default = old["disabilities"] if old else ["NONE"] if v["date_of_birth"] else []
            desired[person_id] = {
                "first_name": v["first_name"],
                "last_name": v["last_name"],
                "sex": v["sex"],
                "ethnicity": v["ethnicity"],
                "date_of_birth": v["date_of_birth"],
                "expected_date_of_birth": v["expected_date_of_birth"],
                "date_of_death": v["date_of_death"],
                "upn": upn,
                "upn_unknown": unknown,
                "disabilities": sorted(codes) if codes else default,
                "care_leaver_status": leavers.get(person_id, ""),
            }
        pks = self._sync(
            "children", Child, "la_child_id", desired, fields=list(next(iter(desired.values()), {}))
        )
        return {**self.existing_children, **pks}

    def _family_links(self) -> dict[tuple[str, str], str]:
        """(child, person) → relationship: mothers from ssd_mother; other members of a child's family
        (ssd_family) as siblings when under 18, else as other family members. Never guessed further:
        the worker records fathers, carers and parental responsibility in Closewell."""
        links: dict[tuple[str, str], str] = {}
        members = defaultdict(set)
        for e in self._rows("family"):
            members[e.values["family"]].add(e.values["person"])
        today = self.now.date()
        for people in members.values():
            children = [p for p in people if p in self.child_ids]
            for person in people - set(children):
                dob = self.persons[person].values["date_of_birth"] if person in self.persons else None
                kind = Relationship.SIBLING if dob and age_on(dob, today) < 18 else Relationship.OTHER_FAMILY
                for child in children:
                    links[(child, person)] = kind
        for e in self._rows("mother"):
            mother, child = e.values["mother"], e.values["child"]
            if child in self.child_ids and mother not in self.child_ids:
                links[(child, mother)] = Relationship.MOTHER
        return links

    def _write_people(self) -> dict[str, int]:
        self.links = self._family_links()
        people = sorted({person for _, person in self.links if person in self.persons})
        desired = {
            f"person:{p}": {
                "first_name": self.persons[p].values["first_name"],
                "last_name": self.persons[p].values["last_name"],
            }
            for p in people
        }
        pks = self._sync("people", Person, "source_id", desired, fields=["first_name", "last_name"])
        return {k.removeprefix("person:"): pk for k, pk in pks.items()}

    def _write_links(self) -> None:
        """Family links are created when missing and never changed: a worker's correction in
        Closewell (a relationship, parental responsibility) stands."""
        pairs = {
            (self.child_pks[c], self.person_pks[p]): kind
            for (c, p), kind in self.links.items()
            if c in self.child_pks and p in self.person_pks
        }
        existing = set()
        for part in chunks(sorted({person for _, person in pairs})):
            existing.update(
                ChildPerson.objects.filter(person_id__in=part).values_list("child_id", "person_id")
            )
        new = [
            {"child_id": c, "person_id": p, "relationship": kind}
            for (c, p), kind in pairs.items()
            if (c, p) not in existing
        ]
        insert_rows(ChildPerson, new)
        self._count("family links", created=len(new), unchanged=len(pairs) - len(new))

    def _write_episodes(self) -> dict[str, int]:
        desired = {}
        for ref, entry in self.episodes.items():
            v = entry.values
            closed = v["closure_date"] is not None
            desired[f"cin_episodes:{ref}"] = {
                "child_id": self.child_pks[v["person"]],
                "referral_date": v["referral_date"],
                "referral_source": v["referral_source"],
                "primary_need": v["primary_need"],
                "referral_nfa": v["referral_nfa"],
                "team_id": self.team_pks[self._team(v["team"])],
                "worker_id": self.user_pks.get(v["worker"]) if v["worker"] else None,
                "status": EpisodeStatus.CLOSED if closed else EpisodeStatus.OPEN,
                "closure_date": v["closure_date"],
                "closed_at": timezone.make_aware(dt.datetime.combine(v["closure_date"], dt.time()))
                if closed
                else None,
                "reason_for_closure": v["reason_for_closure"],
            }
        closure = ["status", "closure_date", "closed_at", "reason_for_closure"]

        def keep(row):
            # Closewell decides closure: an episode closing or closed here keeps its status.
            return closure if row["status"] != EpisodeStatus.OPEN else []

        pks = self._sync(
            "episodes",
            Episode,
            "source_id",
            desired,
            fields=list(next(iter(desired.values()), {})),
            keep=keep,
        )
        found = {k.removeprefix("cin_episodes:"): pk for k, pk in pks.items()}
        return {**{ref: row["pk"] for ref, row in self.existing_episodes.items()}, **found}

    def _write_assessments(self) -> None:
        factors = {e.values["assessment"]: e.values["factors"] for e in self._rows("assessment_factors")}
        desired = {
            f"cin_assessments:{e.values['id']}": {
                "episode_id": self.episode_pks[e.values["referral"]],
                "start_date": e.values["start_date"],
                "authorisation_date": e.values["authorisation_date"],
                "factors": factors.get(e.values["id"], []),
            }
            for e in self._rows("cin_assessments")
        }
        self._sync(
            "assessments",
            Assessment,
            "source_id",
            desired,
            fields=["episode_id", "start_date", "authorisation_date", "factors"],
            on_create=lambda k, v: {"kind": AssessmentType.SINGLE},
        )

    def _write_plans(self) -> dict[str, int]:
        desired = {}
        for e in self._rows("cin_plans"):
            desired[f"cin_plans:{e.values['id']}"] = {
                "episode_id": self.episode_pks[e.values["referral"]],
                "kind": PlanType.CIN,
                "start_date": e.values["start_date"],
                "end_date": e.values["end_date"],
                "initial_category": "",
                "latest_category": "",
            }
        for e in self._rows("cp_plans"):
            desired[f"cp_plans:{e.values['id']}"] = {
                "episode_id": self.episode_pks[e.values["referral"]],
                "kind": PlanType.CP,
                "start_date": e.values["start_date"],
                "end_date": e.values["end_date"],
                "initial_category": e.values["initial_category"],
                "latest_category": e.values["latest_category"],
            }
        fields = ["episode_id", "kind", "start_date", "end_date", "initial_category", "latest_category"]
        return self._sync("plans", Plan, "source_id", desired, fields=fields)

    def _write_section47s(self) -> None:
        desired = {}
        for e in self._rows("s47_enquiry"):
            conference = self.conferences.get(e.values["id"], {})
            desired[f"s47_enquiry:{e.values['id']}"] = {
                "episode_id": self.episode_pks[e.values["referral"]],
                "start_date": e.values["start_date"],
                "icpc_target_date": conference.get("icpc_target_date"),
                "icpc_date": conference.get("icpc_date"),
                "icpc_not_required": e.values["icpc_not_required"],
            }
        fields = ["episode_id", "start_date", "icpc_target_date", "icpc_date", "icpc_not_required"]
        self._sync("section 47 enquiries", Section47, "source_id", desired, fields=fields)

    def _import_user(self) -> User:
        """Who a visit is recorded by when its episode has no allocated worker: a user that cannot
        sign in, named so that readers see the visit came from the case system."""
        user, _ = User.objects.get_or_create(
            username=IMPORT_USERNAME,
            defaults={
                "first_name": "Imported from",
                "last_name": "the case system",
                "role": Role.ADMINISTRATOR,
                "is_active": False,
                "password": "!",
            },
        )
        return user

    def _write_contacts(self) -> None:
        """Statutory visits (CIN and CP) become home visits on the episode open that day. The note
        and worker are set when a visit is first imported; a worker's edits to them stand."""
        workers = dict(
            Episode.objects.filter(source_id__startswith="cin_episodes:").values_list("pk", "worker_id")
        )
        fallback = None
        desired = {}
        for table in ("cin_visits", "cp_visits"):
            for e in self._rows(table):
                v = e.values
                occurred = v["occurred_at"]
                desired[f"{table}:{v['id']}"] = {
                    "episode_id": self.episode_pks[v["referral"]],
                    "occurred_at": timezone.make_aware(occurred) if timezone.is_naive(occurred) else occurred,
                    "child_seen": v["child_seen"],
                    "child_seen_alone": v["child_seen_alone"],
                }

        def on_create(key, values):
            nonlocal fallback
            worker = workers.get(values["episode_id"])
            if worker is None:
                fallback = fallback or self._import_user()
                worker = fallback.pk
            return {
                "kind": ContactType.HOME_VISIT,
                "work": WorkKind.DIRECT,
                "note": VISIT_NOTE,
                "worker_id": worker,
            }

        self._sync(
            "contacts",
            Contact,
            "source_id",
            desired,
            fields=["episode_id", "occurred_at", "child_seen", "child_seen_alone"],
            on_create=on_create,
        )

    def _write_looked_after(self) -> None:
        desired = {
            f"cla_episodes:{e.values['id']}": {
                "child_id": self.child_pks[e.values["person"]],
                "start_date": e.values["start_date"],
                "end_date": e.values["end_date"],
            }
            for e in self._rows("cla_episodes")
        }
        fields = ["child_id", "start_date", "end_date"]
        self._sync("looked-after periods", LookedAfterPeriod, "source_id", desired, fields=fields)

    def _link_re_referrals(self) -> None:
        """Each imported episode's previous closed episode, and whether it is a re-referral (referred
        within 12 months of that closure), as episode_open() decides for an episode opened here."""
        children = sorted({self.child_pks[e.values["person"]] for e in self.episodes.values()})
        changed = []
        for part in chunks(children):
            by_child = defaultdict(list)
            for row in (
                Episode.objects.filter(child_id__in=part)
                .order_by("referral_date", "pk")
                .values(
                    "pk",
                    "child_id",
                    "referral_date",
                    "closure_date",
                    "source_id",
                    "previous_episode_id",
                    "is_re_referral",
                )  # fmt: skip
            ):
                by_child[row["child_id"]].append(row)
            for rows in by_child.values():
                for row in rows:
                    if not row["source_id"]:
                        continue
                    closed = [
                        r for r in rows
                        if r is not row and r["closure_date"] and r["closure_date"] <= row["referral_date"]
                    ]  # fmt: skip
                    previous = max(closed, key=lambda r: (r["closure_date"], r["pk"]), default=None)
                    prev_id = previous["pk"] if previous else None
                    again = bool(previous and row["referral_date"] < birthday(previous["closure_date"], 1))
                    if (prev_id, again) != (row["previous_episode_id"], row["is_re_referral"]):
                        changed.append(
                            Episode(pk=row["pk"], previous_episode_id=prev_id, is_re_referral=again)
                        )
        Episode.objects.bulk_update(changed, ["previous_episode_id", "is_re_referral"], batch_size=500)
        self._count("re-referral links", updated=len(changed))


def summary_lines(result: Result) -> list[str]:
    """What an import did, a line per model, for the terminal."""
    verb = "would be" if result.dry_run else "were"
    lines = [
        f"{label}: {c['created']} new, {c['updated']} changed, {c['unchanged']} unchanged"
        for label, c in result.counts.items()
    ]
    lines.append(
        f"{result.rows_read} rows read in {result.seconds:.1f}s ({result.rows_per_second:.0f} rows/s); "
        f"{result.changed} rows {verb} written."
    )
    lines.extend(f"Not imported: {name} ({reason})" for name, reason in result.skipped.items())
    return lines
