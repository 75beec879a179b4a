"""The draft of the page being shown, for its forms: set by DraftMiddleware for one request."""

import contextvars

CURRENT_DRAFT: contextvars.ContextVar = contextvars.ContextVar("closewell_draft", default=None)


def current_draft():
    """The posted data of the user's draft of the page being shown, or None."""
    return CURRENT_DRAFT.get()
