"""Who may see and change what: the one place case-level access is decided.

Every view, command and (later) the API asks these functions; nothing else filters cases by user.
"""

from django.db.models import Q, QuerySet

from .models import Role, User


def team_ids_for(user: User) -> list[int] | None:
    """The teams whose cases a user works on; None means every team (read-only roles)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.role == Role.SOCIAL_WORKER:
        return [user.team_id] if user.team_id else []
    if user.role == Role.TEAM_MANAGER:
        return list(user.managed_teams.values_list("pk", flat=True))
    if user.role == Role.DATA_OFFICER:
        return None
    return []


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


def can_view_case(user: User, episode) -> bool:
    teams = team_ids_for(user)
    return teams is None or episode.team_id in teams


def can_edit_case(user: User, episode) -> bool:
    """Workers and managers of the episode's team record on it while it is not closed.

    CIN rule 8565: no activity is recorded after an episode is closed.
    """
    if episode.is_closed:
        return False
    if user.role not in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER):
        return False
    return episode.team_id in (team_ids_for(user) or [])


def can_search_children(user: User) -> bool:
    return user.is_authenticated and user.role != Role.ADMINISTRATOR


def my_cases_filter(user: User) -> Q:
    """Episodes on a user's own list: allocated to them (worker) or in their teams (manager)."""
    if user.role == Role.SOCIAL_WORKER:
        return Q(worker=user)
    return Q(team_id__in=team_ids_for(user) or [])


def can_write_record(user: User, record) -> bool:
    """The worker and managers of the episode's team edit a record while it is a draft or returned
    (an addendum is written after the episode has closed, so the case's own rule does not apply)."""
    return (
        record.is_editable
        and user.role in (Role.SOCIAL_WORKER, Role.TEAM_MANAGER)
        and record.episode.team_id in (team_ids_for(user) or [])
    )


def can_review_record(user: User, record) -> bool:
    """Only a manager of the episode's team returns or authorises, and never the record's author
    (four eyes): the case is closed on a second person's judgement."""
    return (
        user.role == Role.TEAM_MANAGER
        and record.episode.team_id in (team_ids_for(user) or [])
        and record.author_id != user.pk
    )


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


def can_authorise_record(user: User, record) -> bool:
    """A manager of the episode's team who may review the record and put none of its content in."""
    return can_review_record(user, record) and four_eyes_refusal(user, record) is None


def can_export_census(user: User) -> bool:
    """The census return holds every child in the council: only the data officer downloads it."""
    return user.is_authenticated and user.is_active and user.role == Role.DATA_OFFICER


def can_view_census_quality(user: User) -> bool:
    """Data officers see every child's census problems; team managers those of their teams."""
    return user.is_authenticated and user.is_active and user.role in (Role.DATA_OFFICER, Role.TEAM_MANAGER)


def can_view_reports(user: User) -> bool:
    """Reports on closures: data officers for every team, team managers for the teams they manage."""
    return user.is_authenticated and user.is_active and user.role in (Role.DATA_OFFICER, Role.TEAM_MANAGER)


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


# What the administrator role may do in the admin: people and teams (never delete a user: deactivate
# them, so the audit trail keeps who did what), the council's advice words, unlocking accounts
# locked by failed sign-ins, asking for a lost authenticator app to be removed, approving another
# administrator's changes, and seeing who did what kind of thing when in the audit trail. A role,
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
