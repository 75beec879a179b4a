"""Schemathesis against /api/v1/openapi.json, in-process through the WSGI app, with a worker's
token: no response is a server error, and every response (status, content type, body) is the one the
schema documents. Bounded to a few examples an operation, so it runs in well under two minutes."""

import pytest
import schemathesis
from django.core.exceptions import PermissionDenied
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.db.models import Q
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from closewell.audit.models import Action, AuditEvent
from closewell.closures import services as closures
from closewell.closures.models import ClosureRecord, Status
from closewell.closures.tests.conftest import deal_with_comments
from closewell.core.errors import DomainError
from config.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def keep_connection():
    """Calling the WSGI app directly would close the test's database connection after each request
    (and so its transaction); Django's test client disconnects the same signals."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def auth(keep_connection, case, client_for, complete_record):  # noqa: F811 (the scenario's fixture)
    """A worker's token, on a case with a record in progress, so reads find something."""
    client = client_for(case.worker)
    return {"Authorization": client._credentials["HTTP_AUTHORIZATION"]}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_matches_its_schema(case, auth):
    case.call_and_validate(headers=auth, checks=CHECKS)


# --- The stateful phase: operations chained through the links schemathesis infers from the schema
# (a record listed → its sections written → submitted → returned or authorised), as a manager whose
# team has a worker's record returned for amendment. Besides the checks above, it asserts the four
# eyes: nobody authorises a record whose content they wrote, edited or submitted. A manager editing
# a returned record and then submitting and authorising it is a chain of five calls; the examples
# below find it when the rule is missing (a section is saved as a client that read the record first
# would, with its version and no change, so that saves are not all refused as stale).
STATEFUL_EXAMPLES = 60
# The Closure Record's operations: the workflow whose order matters (the others are reads, tested above).
RECORD_WORKFLOW = schema.include(path_regex=r"^/api/v1/closure-records/")


@schemathesis.check
def four_eyes(ctx, response, case):
    """An authorised record was not written, edited or submitted by whoever authorised it."""
    if case.method.upper() != "POST" or not case.path.endswith("/authorise/") or response.status_code != 200:
        return
    body = response.json()
    authoriser = body["authorised_by"]["id"]
    touched = AuditEvent.objects.filter(
        object_type="closures.ClosureRecord", object_id=str(body["id"]), actor_id=authoriser
    ).filter(
        Q(action__in=[Action.CREATE, Action.UPDATE])
        | Q(action=Action.TRANSITION, after__status=Status.SUBMITTED)
    )
    if body["author"]["id"] == authoriser or touched.exists():
        raise AssertionError(
            f"Four eyes broken: user {authoriser} authorised record {body['id']}, whose content they "
            f"wrote, edited or submitted: {[e.summary for e in touched]}"
        )


@pytest.fixture
def returned_to_the_worker(keep_connection, case, complete_record):  # noqa: F811
    """The worker's complete record, submitted and returned by the team's manager."""
    record = closures.closure_submit(actor=case.worker, record=complete_record)
    record = closures.closure_return(actor=case.manager, record=record, comments=[("reason", "Say why now.")])
    deal_with_comments(record, case.worker)
    return record


def test_api_stateful_links_keep_the_rules(case, client_for, returned_to_the_worker):  # noqa: F811
    manager = client_for(case.manager)
    headers = {"Authorization": manager._credentials["HTTP_AUTHORIZATION"]}

    class Workflow(RECORD_WORKFLOW.as_state_machine()):
        """Each scenario starts from the same database (a savepoint rolled back after it), so that a
        scenario replayed while shrinking meets the same responses."""

        def setup(self):
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def before_call(self, case):
            if case.method.upper() == "PUT" and "/sections/" in case.path and isinstance(case.body, dict):
                pk = case.path_parameters.get("id")
                current = ClosureRecord.objects.filter(pk=pk).values_list("version", flat=True).first()
                if current is not None and isinstance(pk, int):
                    # A client reads the record first: its version, and a save of the section as it
                    # is. This phase is about the order of operations; their fields are fuzzed by
                    # the phase above and by closewell/security/tests/test_properties.py.
                    case.body["version"] = current
                    case.body["data"] = {}

        def validate_response(self, response, case, **kwargs):
            case.validate_response(response, checks=[*CHECKS, four_eyes])

    enforced = four_eyes_enforced(case, returned_to_the_worker)
    try:
        Workflow.run(
            settings=settings(
                max_examples=STATEFUL_EXAMPLES,
                stateful_step_count=12,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
        )
    except FailureGroup as found:
        if enforced or any("four_eyes" not in str(failure) for failure in found.exceptions):
            raise
        pytest.xfail("Four eyes not yet enforced by the product (issue 14, finding 1); found by this phase")


def four_eyes_enforced(case, record) -> bool:  # noqa: F811
    """Whether the product refuses a manager who edited and submitted a record its authorisation,
    tried and rolled back. Until it does (issue 14, finding 1, on its own branch) the phase's
    four-eyes finding is expected; from then on it fails the test."""
    try:
        with transaction.atomic():
            record = closures.closure_update(
                actor=case.manager, record=record, section="reason", version=record.version, data={}
            )
            record = closures.closure_submit(actor=case.manager, record=record)
            closures.closure_authorise(actor=case.manager, record=record)
            raise _RolledBack
    except _RolledBack:
        return False
    except (DomainError, PermissionDenied):
        return True


class _RolledBack(Exception):
    pass
