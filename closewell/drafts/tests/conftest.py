"""The page tests' scenario (two teams, every role, Amelia Hartley's open case), shared."""

from closewell.web.tests.conftest import as_user, web  # noqa: F401 (fixtures)
