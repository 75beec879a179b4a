"""The Closure Record scenario (a domestic-abuse case ready to close), shared with closures' tests."""

from closewell.closures.tests.conftest import case, complete_record, people  # noqa: F401
