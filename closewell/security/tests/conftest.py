"""The security tests' scenario: the documents tests' authorised Closure Record (the Closure Record
tests' domestic-abuse case, signed and authorised), with a copy given and an administrator."""

from closewell.documents.tests.conftest import (  # noqa: F401 (fixtures)
    authorised,
    case,
    complete_record,
    people,
    signed_record,
)
