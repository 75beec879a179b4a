"""The one versioned-edit flow of the pages: a case form or a Closure Record section, shown, saved,
refused, or saved from a stale page.

A rule's refusal (DomainError, ValidationError) shows on its field with everything typed kept. A
stale save (DomainError on "version": someone saved since the page was opened) shows what is saved
now (web/_saved_now.html) beside the user's text, and moves the form to the current version so that
saving again replaces what is saved.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from closewell.core.errors import DomainError

from .forms import VersionedForm


@dataclass
class Edit:
    """What the page shows: the form, and what is saved now after a stale save. `saved_object`
    is what the service returned once the save went through."""

    form: VersionedForm
    saved: list[tuple[str, str]] | None = None
    saved_object: object = None
    done: bool = field(default=False)


def versioned_edit(
    request,
    *,
    make_form: Callable[..., VersionedForm],
    initial: dict,
    save: Callable[[VersionedForm], object],
    current: Callable[[], dict] | None = None,
    versions: Callable[[], dict[str, str]] | None = None,
) -> Edit:
    """GET: the form at `initial`. POST: validate, then `save(form)` (one service call).

    make_form(data=..., initial=...) builds the form; current() reads the values saved now (with
    their "version"), for a stale save; without it a stale save is only refused. versions(), called
    after current(), gives every hidden version field as it is now where a form has more than one
    (the review section: the record's and each planned action's)."""
    if request.method != "POST":
        return Edit(form=make_form(initial=initial))
    form = make_form(data=request.POST)
    if not form.is_valid():
        return Edit(form=form)
    try:
        saved_object = save(form)
    except DomainError as error:
        saved = None
        if error.field == "version" and current is not None:
            now = current()
            saved = form.saved_values(now)
            data = request.POST.copy()
            data.update(versions() if versions else {"version": str(now["version"])})
            form = make_form(data=data)
            form.is_valid()
        form.add_domain_error(error)
        return Edit(form=form, saved=saved)
    except ValidationError as error:
        form.add_domain_error(error)
        return Edit(form=form)
    return Edit(form=form, saved_object=saved_object, done=True)
