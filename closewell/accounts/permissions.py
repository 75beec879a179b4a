"""Who may see and change what: the one place access is decided.

Ask an object, never the role: `user_permissions(user)` (pages and lists of a role),
`case_permissions(user, episode)`, `child_permissions(user, child)` and
`record_permissions(user, record)`. Views, templates, the API, selectors and services all ask them;
nothing else compares a user's role, team or a record's state to decide access, and nothing else
filters cases by user (scope_children, scope_episodes).
"""

from functools import cached_property

from django.db.models import Q, QuerySet

from .models import Role, Team, User


def _managed_teams(user: User) -> list[Team]:
    """A manager's teams, by name, read once per user object, which is once per request (request.user),
    as Django caches a user's permissions (`_perm_cache`): a page asks several permission objects, and
    the case lists show the same teams as choices."""
    cached = getattr(user, "_managed_teams", None)
    if cached is None:
        cached = user._managed_teams = list(user.managed_teams.all())
    return cached


def team_ids_for(user: User) -> list[int] | None:
    """The teams whose cases a user works on; None means every team (read-only roles)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.role == Role.SOCIAL_WORKER:
        return [user.team_id] if user.team_id else []
    if user.role == Role.TEAM_MANAGER:
        return [team.pk for team in _managed_teams(user)]
    if user.role == Role.DATA_OFFICER:
        return None
    return []


def _active_role(user) -> str | None:
    """The user's role while they may sign in; None for anonymous and deactivated users."""
    if not user.is_authenticated or not user.is_active:
        return None
    return user.role


def scope_children(user: User, children: QuerySet) -> QuerySet:
    """Children a user may read: any with an episode in one of the user's teams."""
    teams = team_ids_for(user)
    if teams is None:
        return children
    return children.filter(episodes__team_id__in=teams).distinct()


def scope_episodes(user: User, episodes: QuerySet) -> QuerySet:
    teams = team_ids_for(user)
    if teams is None:
        return episodes
    return episodes.filter(team_id__in=teams)


def my_cases_filter(user: User) -> Q:
    """Episodes on a user's own list: allocated to them (worker) or in their teams (manager)."""
    if user.role == Role.SOCIAL_WORKER:
        return Q(worker=user)
    return Q(team_id__in=team_ids_for(user) or [])


# --- What a user may do anywhere: the pages and lists of their role ---------------------------------


class UserPermissions:
    """What a user may do that is not about one case: which lists, pages and reports they reach.

    Every page, the navigation (as `access` in every template) and the API ask this object; nothing
    else compares a user's role."""

    def __init__(self, user):
        self.user = user
        self.role = _active_role(user)

    @cached_property
    def team_ids(self) -> list[int] | None:
        return team_ids_for(self.user)

    @property
    def writes_records(self) -> bool:
        """Workers and managers hold cases and write Closure Records."""
        return self.role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)

    can_list_own_cases = writes_records
    can_write_records = writes_records

    @property
    def can_authorise_records(self) -> bool:
        """Team managers authorise (and return) their teams' Closure Records: their queue."""
        return self.role == Role.TEAM_MANAGER

    @property
    def can_list_team_cases(self) -> bool:
        return self.role in (Role.TEAM_MANAGER, Role.DATA_OFFICER)

    def team_choices(self) -> list[Team]:
        """The teams a user may filter the team's case list by: a manager's own, every one for the
        data officer, none for others."""
        if self.role == Role.TEAM_MANAGER:
            return _managed_teams(self.user)
        if self.role == Role.DATA_OFFICER:
            return list(Team.objects.all())
        return []

    @property
    def can_search(self) -> bool:
        """Everyone who reads cases searches them; the administrator never reads children's records,
        nor does a Family Help lead practitioner (only the handovers of the children handed to them)."""
        return self.user.is_authenticated and self.user.role not in (
            Role.ADMINISTRATOR,
            Role.LEAD_PRACTITIONER,
        )

    @property
    def can_use_admin(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    @property
    def sees_every_team(self) -> bool:
        """Read-only roles see every team's cases (the census and reports cover the council)."""
        return self.role == Role.DATA_OFFICER

    @property
    def can_view_overview(self) -> bool:
        """The council's figures at a glance (the census return's size, closures, links to the census,
        reports and search): the data officer's start page."""
        return self.role == Role.DATA_OFFICER

    @property
    def can_export_census(self) -> bool:
        """The census return holds every child in the council: only the data officer downloads it."""
        return self.role == Role.DATA_OFFICER

    @property
    def can_view_census_quality(self) -> bool:
        """Data officers see every child's census problems; team managers those of their teams."""
        return self.role in (Role.DATA_OFFICER, Role.TEAM_MANAGER)

    @property
    def can_view_reports(self) -> bool:
        """Reports on closures: data officers for every team, team managers for the teams they manage."""
        return self.role in (Role.DATA_OFFICER, Role.TEAM_MANAGER)

    @property
    def can_import_ssd(self) -> bool:
        """The data officer brings the council's case-system extract (SSD) in from a page; the import
        writes only the register's census facts, never a Closure Record, and is audited as one run."""
        return self.role == Role.DATA_OFFICER

    @property
    def can_start_jobs(self) -> bool:
        """The exports and imports that run in the background (closewell.jobs): the data officer's."""
        return self.can_export_census or self.can_import_ssd

    # --- Family Help ---------------------------------------------------------------------------------

    @property
    def is_lead_practitioner(self) -> bool:
        """A Family Help lead practitioner (who may work for a school, health or a charity) sees the
        handovers of the children handed to them, and nothing else of Closewell's."""
        return self.role == Role.LEAD_PRACTITIONER

    can_list_handed_over = is_lead_practitioner

    @property
    def can_list_team_handovers(self) -> bool:
        """A team manager sees the handovers their teams made, the overdue ones first."""
        return self.role == Role.TEAM_MANAGER

    def may_reach(self, match) -> bool:
        """May this user reach the URL resolved as `match` at all? A lead practitioner reaches their
        handovers (pages and API), signing in and out, two-factor and the drafts of their own forms;
        any other URL answers 404 for them, as if it did not exist (familyhelp.middleware for the
        pages, api.authentication.ReachesView for the API)."""
        if not self.is_lead_practitioner:
            return True
        if match is None:
            return False
        return match.namespace in LEAD_PRACTITIONER_NAMESPACES or match.view_name in LEAD_PRACTITIONER_URLS


# What a lead practitioner may reach: UserPermissions.may_reach.
LEAD_PRACTITIONER_NAMESPACES = frozenset({"drafts"})
LEAD_PRACTITIONER_URLS = frozenset(
    {
        "home",
        "login",
        "logout",
        "accessibility",
        "favicon",
        "healthz",
        "two_factor_setup",
        "two_factor_verify",
        "familyhelp:mine",
        "familyhelp:handover",
        "api:schema",
        "api:handovers",
        "api:handover",
        "api:handover-acknowledge",
    }
)


def user_permissions(user) -> UserPermissions:
    return UserPermissions(user)


class JobPermissions:
    """What a user may do with one export or import run in the background (closewell.jobs.Job)."""

    def __init__(self, user, job):
        self.user, self.job = user, job

    @property
    def can_view(self) -> bool:
        """Its progress, outcome and file are for the person who started it, while they still hold the
        role that may start it (a census return holds every child's identifiers)."""
        return self.job.requested_by_id == self.user.pk and UserPermissions(self.user).can_start_jobs

    @property
    def can_download(self) -> bool:
        return self.can_view and bool(self.job.file) and self.job.status == "done"


def job_permissions(user, job) -> JobPermissions:
    return JobPermissions(user, job)


# --- One case (an episode) and one child ------------------------------------------------------------

CLOSED_CASE_REFUSAL = (
    "This case is closed: nothing more can be recorded on it once its Closure Record is authorised."
)


class CasePermissions:
    """What a user may do on one episode of a child's case."""

    def __init__(self, user, episode):
        self.user, self.episode = user, episode
        self.site = UserPermissions(user)

    @cached_property
    def in_team(self) -> bool:
        """The episode is with one of the user's teams (a worker's team, a manager's teams)."""
        return self.episode.team_id in (self.site.team_ids or [])

    @property
    def can_view(self) -> bool:
        return self.site.team_ids is None or self.in_team

    @property
    def can_edit(self) -> bool:
        """Workers and managers of the episode's team record on it while it is not closed.

        CIN rule 8565: no activity is recorded after an episode is closed."""
        return not self.episode.is_closed and self.site.writes_records and self.in_team

    @property
    def edit_refusal(self) -> str:
        """Why can_edit is no, in words for the 403 page ("" when it is yes, or for a role that never
        records, whose 403 page says so itself)."""
        if self.can_edit or not (self.site.writes_records and self.in_team):
            return ""
        return CLOSED_CASE_REFUSAL

    @property
    def can_start_closure(self) -> bool:
        """The Closure Record is started by those who record on the open case."""
        return self.can_edit


def case_permissions(user, episode) -> CasePermissions:
    return CasePermissions(user, episode)


class ChildPermissions:
    """What a user may do with a child's case as a whole."""

    def __init__(self, user, child):
        self.user, self.child = user, child
        self.site = UserPermissions(user)

    @cached_property
    def can_see_who_viewed(self) -> bool:
        """A team manager of a team the child has an episode with sees who read the case: reading a
        child's record is audited so that someone answerable can check who looked, and why."""
        if self.site.role != Role.TEAM_MANAGER:
            return False
        teams = set(self.site.team_ids or [])
        if "episodes" in getattr(self.child, "_prefetched_objects_cache", {}):  # the case page read them
            return any(episode.team_id in teams for episode in self.child.episodes.all())
        return self.child.episodes.filter(team_id__in=teams).exists()


def child_permissions(user, child) -> ChildPermissions:
    """One answer per user and child object: a page asks it in several places (the case page's
    navigation and its list of who viewed the case)."""
    asked = child.__dict__.setdefault("_permissions_for", {})
    if user.pk not in asked:
        asked[user.pk] = ChildPermissions(user, child)
    return asked[user.pk]


# --- Separation of duties (four eyes) ---------------------------------------------------------------

FOUR_EYES_MESSAGE = (
    "You cannot authorise this record because you {what} it. Another team manager who has not "
    "changed it must authorise it. You can still return it for amendment."
)


def four_eyes_refusal(user: User, record) -> str | None:
    """Why `user` may not authorise `record` on separation of duties, or None.

    Nobody authorises a record whose content they wrote, edited or submitted, its signatures and the
    planned actions its review section shows included; the notes are kept across a return, so a
    manager who returns a record, rewrites it and submits it again still cannot authorise it."""
    if record.author_id == user.pk:
        return FOUR_EYES_MESSAGE.format(what="wrote")
    if "contributions" in getattr(record, "_prefetched_objects_cache", {}):  # a queue, read at once
        kinds = {c.kind for c in record.contributions.all() if c.user_id == user.pk}
    else:
        kinds = set(record.contributions.filter(user_id=user.pk).values_list("kind", flat=True))
    if not kinds:
        return None
    words = {
        "wrote": "wrote",
        "edited": "changed",
        "signatures": "recorded a signature on",
        "submitted": "submitted",
    }
    done = [words[k] for k in ("wrote", "edited", "signatures", "submitted") if k in kinds]
    what = done[0] if len(done) == 1 else ", ".join(done[:-1]) + " and " + done[-1]
    return FOUR_EYES_MESSAGE.format(what=what)


# --- One Closure Record ------------------------------------------------------------------------------

# closures.models.LIVE, spelt out here: the accounts app sits below the closures app.
LIVE_STATUSES = ("draft", "submitted", "returned")
SUBMITTED = "submitted"


class RecordPermissions:
    """What a user may do to one Closure Record, in its present state. Pages show a button when the
    answer is yes; the services refuse (PermissionDenied) when it is no. Rules that say who may
    approve (separation of duties) belong in `is_reviewer` / `can_authorise` here."""

    def __init__(self, user, record):
        self.user, self.record = user, record
        self.site = UserPermissions(user)
        self.case = CasePermissions(user, record.episode)

    @property
    def can_view(self) -> bool:
        return self.case.can_view

    @property
    def works_on_case(self) -> bool:
        """A worker or manager of the episode's team (an addendum is written after the episode has
        closed, so the case's own "not closed" rule does not apply to the record)."""
        return self.site.writes_records and self.case.in_team

    @property
    def can_edit(self) -> bool:
        """The worker and managers of the episode's team edit a record while it is a draft or returned."""
        return self.record.is_editable and self.works_on_case

    can_submit = can_edit
    # The worker answers a manager's comments while the record is returned (or a draft again).
    can_answer_comments = can_edit

    @property
    def is_reviewer(self) -> bool:
        """Only a manager of the episode's team reviews a record, and never its author (four eyes):
        the case is closed on a second person's judgement."""
        return (
            self.site.role == Role.TEAM_MANAGER
            and self.case.in_team
            and self.record.author_id != self.user.pk
        )

    @property
    def can_return(self) -> bool:
        return self.is_reviewer and self.record.status == SUBMITTED

    @cached_property
    def four_eyes_refusal(self) -> str | None:
        """Why this user may not authorise the record on separation of duties (they wrote, changed,
        signed for or submitted it), or None. Returning it for amendment is still theirs to do."""
        return four_eyes_refusal(self.user, self.record)

    @property
    def can_authorise(self) -> bool:
        return self.is_reviewer and self.record.status == SUBMITTED and self.four_eyes_refusal is None

    @property
    def can_withdraw(self) -> bool:
        """A record still in progress is withdrawn by those who may write it or review it."""
        return self.record.status in LIVE_STATUSES and (self.can_edit or self.is_reviewer)

    @property
    def can_start_addendum(self) -> bool:
        """A correction to an authorised record (never to an addendum), by the team's workers and
        managers, while no other addendum to it is in progress (addendum_start refuses a second)."""
        return (
            self.record.is_authorised
            and not self.record.addendum_to_id
            and self.works_on_case
            and not self.record.addenda.filter(status__in=LIVE_STATUSES).exists()
        )

    @property
    def can_see_history(self) -> bool:
        """Who did what to a record, and who read it: for the team's managers."""
        return self.site.role == Role.TEAM_MANAGER and self.case.in_team

    @property
    def can_handle_documents(self) -> bool:
        """The worker and the managers of the episode's team take signatures and give out copies: they
        know the family and who must not see what. Read-only roles see the register through the record."""
        return self.works_on_case


def record_permissions(user, record) -> RecordPermissions:
    return RecordPermissions(user, record)


# --- One handover to Family Help ---------------------------------------------------------------------

AUTHORISED = "authorised"


class HandoverPermissions:
    """What a user may do with one handover to Family Help (familyhelp.models.Handover).

    The case's own people read it with the record (record_permissions); the lead practitioner it names
    reads it once the record is authorised (the case has closed into Family Help), and then only the
    handover: what the family agreed to share, never the rest of the record or the case."""

    def __init__(self, user, handover):
        self.user, self.handover = user, handover
        self.site = UserPermissions(user)
        self.record = RecordPermissions(user, handover.record)

    @cached_property
    def is_its_lead_practitioner(self) -> bool:
        return (
            self.site.is_lead_practitioner
            and self.handover.lead_practitioner_id == self.user.pk
            and self.handover.record.status == AUTHORISED
        )

    @property
    def can_view(self) -> bool:
        return self.is_its_lead_practitioner or self.record.can_view

    @property
    def can_acknowledge(self) -> bool:
        """Only the lead practitioner named accepts it or says why they cannot, once."""
        return self.is_its_lead_practitioner and self.handover.acknowledgement == "waiting"

    @property
    def sees_what_was_shared(self) -> bool:
        """The summary, the outstanding actions and the signs to watch for: the case's people always;
        the lead practitioner only when the family agreed to share them."""
        if self.record.can_view:
            return True
        return self.is_its_lead_practitioner and self.handover.consent_given is True

    @property
    def can_see_record(self) -> bool:
        """The Closure Record itself: the case's people, never the lead practitioner."""
        return self.record.can_view


def handover_permissions(user, handover) -> HandoverPermissions:
    return HandoverPermissions(user, handover)


def scope_handovers(user: User, handovers: QuerySet) -> QuerySet:
    """Handovers a user may read: the lead practitioner's own once authorised; the teams' for the
    case's people; every one for read-only roles; none for others."""
    site = UserPermissions(user)
    if site.is_lead_practitioner:
        return handovers.filter(lead_practitioner=user, record__status=AUTHORISED)
    teams = site.team_ids
    if teams is None:
        return handovers
    return handovers.filter(record__episode__team_id__in=teams)


class CopyPermissions:
    """What a user may do with one copy of a Closure Record given out."""

    def __init__(self, user, copy, record_access: "RecordPermissions | None" = None):
        self.user, self.copy = user, copy
        self.record = record_access or RecordPermissions(user, copy.record)

    @property
    def can_release(self) -> bool:
        """A copy that needs a release (for someone who has harmed a member of the family, or with a
        withholding overridden) is released by a team manager of the child's team who did not ask for
        it (separation of duties: a second person checks what leaves our hands)."""
        return (
            self.record.site.role == Role.TEAM_MANAGER
            and self.copy.release_status == "awaiting"
            and self.record.case.in_team
            and self.copy.given_by_id != self.user.pk
        )


def copy_permissions(user, copy, record_access: RecordPermissions | None = None) -> CopyPermissions:
    """`record_access`: the copy's record's permission object, when the caller has it already."""
    return CopyPermissions(user, copy, record_access)


# --- The same answers as functions, for code that asks one question ---------------------------------


def can_view_case(user: User, episode) -> bool:
    return CasePermissions(user, episode).can_view


def can_edit_case(user: User, episode) -> bool:
    return CasePermissions(user, episode).can_edit


def can_search_children(user: User) -> bool:
    return UserPermissions(user).can_search


def can_review_record(user: User, record) -> bool:
    """May return (review) the record: a manager of its team who is not its author."""
    return RecordPermissions(user, record).is_reviewer


def can_authorise_record(user: User, record) -> bool:
    """May authorise the submitted record now, the four-eyes rule included."""
    return RecordPermissions(user, record).can_authorise


# --- The administrator role in the Django admin ------------------------------------------------------


def enrolment_code_refusal(issuer: User, user: User) -> str | None:
    """Why `issuer` may not give `user` a code to set up an authenticator app, or None.

    An administrator, for someone else, who has no authenticator app now (a lost one is removed
    first, with a second administrator's approval). And never the administrator who set the user's
    present password (a new account's, or one asked for): one person would then hold both factors."""
    if not _is_administrator(issuer):
        return "Only an administrator issues enrolment codes."
    if issuer.pk == user.pk:
        return "You cannot issue an enrolment code for yourself: ask another administrator."
    if user.totpdevice_set.filter(confirmed=True).exists():
        return (
            f"{user.username} already has an authenticator app. If it is lost, ask for it to be removed "
            "first (another administrator approves), then issue the code."
        )
    password = User.objects.filter(pk=user.pk).values_list("password", flat=True).first() or ""
    if password and user.changes_asked.filter(requested_by=issuer, payload__password=password).exists():
        return (
            f"You set {user.username}'s present password, so another administrator must issue their "
            "enrolment code: no one person holds both a password and the means to enrol a device."
        )
    return None


def user_change_refusal(user: User, change) -> str | None:
    """Why `user` may not approve a change to someone's access, or None: only an active
    administrator who neither asked for it nor is the person it changes (two administrators)."""
    if not _is_administrator(user):
        return "Only an administrator approves a change to someone's access."
    if change.requested_by_id == user.pk:
        return "You asked for this change: another administrator must approve it."
    if change.user_id == user.pk:
        return "This change is to your own account: another administrator must approve it."
    return None


def group_mapping_refusal(user: User, mapping) -> str | None:
    """Why `user` may not approve a sign-in group's access (single sign-on), or None: an active
    administrator who did not ask for it and was not, at their own last sign-in, in the group (the
    mapping would change their own access)."""
    if not _is_administrator(user):
        return "Only an administrator approves a sign-in group's access."
    if mapping.requested_by_id == user.pk:
        return "You asked for this mapping: another administrator must approve it."
    identity = getattr(user, "external_identity", None)
    own = {group.casefold() for group in (identity.groups if identity else [])}
    if mapping.group.strip().casefold() in own:
        return (
            "You are in this group, so the mapping changes your own access: another administrator "
            "must approve it."
        )
    return None


# What the administrator role may do in the admin: people and teams (never delete a user: deactivate
# them, so the audit trail keeps who did what), the council's advice words, unlocking accounts
# locked by failed sign-ins, asking for a lost authenticator app to be removed, approving another
# administrator's changes, asking for and approving sign-in groups' access (single sign-on), and seeing
# who did what kind of thing when in the audit trail. A role,
# team, password or authenticator change waits for a second administrator (accounts.services).
# No child's record, and nothing of a child's in the audit trail, is in the admin.
ADMINISTRATOR_PERMISSIONS = frozenset(
    {
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_team",
        "accounts.add_team",
        "accounts.change_team",
        "accounts.view_userchange",
        "advice.view_adviceword",
        "advice.add_adviceword",
        "advice.change_adviceword",
        "advice.delete_adviceword",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "audit.view_auditevent",
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "security.view_groupmapping",
        "security.add_groupmapping",
        "security.change_groupmapping",
        # Emails that could not be sent (to whom, about what, the server's error; never the body): the
        # change permission is the "send again" action, nothing is edited.
        "outbox.view_failedemail",
        "outbox.change_failedemail",
    }
)


class RoleBackend:
    """Authorisation backend (AUTHENTICATION_BACKENDS): the administrator role's admin permissions
    come from the role, not from permissions ticked on each account. Authenticates no one."""

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return None

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return _is_administrator(user_obj) and perm in ADMINISTRATOR_PERMISSIONS

    def has_module_perms(self, user_obj, app_label) -> bool:
        return _is_administrator(user_obj) and any(
            perm.startswith(f"{app_label}.") for perm in ADMINISTRATOR_PERMISSIONS
        )


def _is_administrator(user) -> bool:
    return user.is_active and getattr(user, "role", None) == Role.ADMINISTRATOR
