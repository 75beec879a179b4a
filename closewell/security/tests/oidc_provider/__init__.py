"""A real OpenID provider for the single sign-on tests: a tiny Django project on django-oauth-toolkit,
started on loopback by the tests (closewell/security/tests/conftest.py), with its own SQLite database.
Its users' Django groups are sent as the `groups` claim; a user in the group "mfa" signs in with
`amr` ["pwd", "mfa"] (the provider "checked a second factor"). Test-only: never installed in Closewell."""
