// Nothing typed is lost at the idle sign-out (closewell/drafts).
//
// - The GOV.UK timeout warning: a modal dialog before the idle sign-out, with "Stay signed in"
//   (which keeps the session) and "Sign out". Focus moves into it, stays in it (a modal <dialog>
//   makes the page behind inert) and goes back where it was; Escape means "Stay signed in".
// - Typing in a form is activity: a keep-alive request, at most once every little while.
// - Forms that post are saved as a draft for this user while they type (debounced) and when they
//   leave a field; after a sign-out and sign-in the page puts the draft back (server side).
// Without JavaScript, a form posted after the sign-out is kept by the server instead.

const body = document.body;
const idleSeconds = Number(body.dataset.sessionIdle || 0);

function csrfToken() {
  const input = document.querySelector('input[name="csrfmiddlewaretoken"]');
  return input ? input.value : "";
}

function post(url, data) {
  return fetch(url, {
    method: "POST",
    body: data || new FormData(),
    credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "fetch" },
  });
}

if (idleSeconds > 0) {
  const warningSeconds = Number(body.dataset.sessionWarning || 120);
  const dialog = document.querySelector("[data-timeout-dialog]");
  const countdown = dialog && dialog.querySelector("[data-timeout-countdown]");
  const live = dialog && dialog.querySelector("[data-timeout-live]");
  // A keep-alive at most this often while someone types (and always well before the warning).
  const pingEvery = Math.max(1, Math.min(60, Math.floor(idleSeconds / 3))) * 1000;
  let deadline = Date.now() + idleSeconds * 1000;
  let lastContact = Date.now();
  let returnFocus = null;
  let signingOut = false;
  let lastSpoken = null;

  // Tabs share the time of the last request (any tab's request keeps the one session).
  const SHARED = "closewell-session-contact";
  const touch = (at = Date.now()) => {
    lastContact = at;
    deadline = at + idleSeconds * 1000;
    try {
      if (Number(window.localStorage.getItem(SHARED) || 0) < at) {
        window.localStorage.setItem(SHARED, String(at));
      }
    } catch (error) {
      // Storage turned off: each tab keeps its own time.
    }
  };
  const sharedContact = () => {
    try {
      return Number(window.localStorage.getItem(SHARED) || 0);
    } catch (error) {
      return 0;
    }
  };
  // This page's own request may not have moved the idle clock (it moves at most every
  // SESSION_REFRESH_SECONDS): count from the earliest it may have.
  touch(Date.now() - Number(body.dataset.sessionRefresh || 0) * 1000);

  const inWords = (seconds) => {
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60);
      return `${minutes} minute${minutes === 1 ? "" : "s"}`;
    }
    return `${seconds} second${seconds === 1 ? "" : "s"}`;
  };

  const keepAlive = async () => {
    lastContact = Date.now();
    try {
      const response = await post(body.dataset.keepAliveUrl);
      if (response.ok) {
        touch();
        return true;
      }
      if (response.status === 401) {
        signOut();
      }
    } catch (error) {
      // Offline for a moment: the next keystroke or the dialog tries again.
    }
    return false;
  };

  // --- Drafts -----------------------------------------------------------------------------------
  // The page's own forms (posting back to this page, where a saved form forgets its draft).
  const forms = Array.from(document.querySelectorAll('main form[method="post" i]')).filter(
    (form) =>
      !form.hasAttribute("data-no-draft") &&
      // Not a signing form: a signature is drawn or scanned by the person signing, never a draft.
      !form.querySelector("canvas, input[type=file]") &&
      new URL(form.action, window.location.href).pathname === window.location.pathname &&
      form.querySelector("textarea, input[type=text], input:not([type])"),
  );
  const pending = new Map();
  const inFlight = new Set();
  // Forms typed in since their last draft: only they are saved (moving focus alone is not typing).
  const dirty = new Set();

  const saveDraft = (form) => {
    clearTimeout(pending.get(form));
    pending.delete(form);
    if (form.dataset.submitting || !dirty.has(form)) {
      return Promise.resolve();
    }
    dirty.delete(form);
    const data = new FormData(form);
    for (const [name, value] of Array.from(data.entries())) {
      if (value instanceof File) {
        data.delete(name);
      }
    }
    data.set("draft_path", window.location.pathname);
    const request = post(body.dataset.draftUrl, data)
      .then((response) => {
        if (response.ok) {
          touch();
        }
      })
      .catch(() => {})
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
    return request;
  };

  const flushDrafts = () =>
    Promise.all([...Array.from(pending.keys()).map((form) => saveDraft(form)), ...Array.from(inFlight)]);

  forms.forEach((form) => {
    form.addEventListener("input", () => {
      dirty.add(form);
      clearTimeout(pending.get(form));
      pending.set(
        form,
        setTimeout(() => saveDraft(form), 1500),
      );
    });
    // Leaving a field (or choosing an option) saves at once what was typed since the last draft.
    form.addEventListener("change", () => saveDraft(form));
    form.addEventListener("focusout", () => {
      if (pending.has(form)) {
        saveDraft(form);
      }
    });
    // A draft saved after the form is submitted would bring back what was just saved: wait for any
    // draft on its way, then submit, and save no more drafts of this form.
    form.addEventListener("submit", (event) => {
      if (form.dataset.submitting) {
        return;
      }
      clearTimeout(pending.get(form));
      pending.delete(form);
      if (inFlight.size) {
        event.preventDefault();
        const submitter = event.submitter;
        Promise.all(Array.from(inFlight)).then(() => {
          form.dataset.submitting = "1";
          form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
        });
        return;
      }
      form.dataset.submitting = "1";
    });
  });

  // Typing anywhere in a form is activity.
  document.addEventListener("input", () => {
    if (!signingOut && Date.now() - lastContact > pingEvery && !(dialog && dialog.open)) {
      keepAlive();
    }
  });

  // --- The warning dialog -------------------------------------------------------------------------
  const speak = (seconds) => {
    if (live) {
      live.textContent = `We will sign you out in ${inWords(seconds)}.`;
    }
    lastSpoken = seconds;
  };

  const openDialog = (remaining) => {
    if (!dialog || dialog.open) {
      return;
    }
    returnFocus = document.activeElement;
    countdown.textContent = inWords(remaining);
    dialog.showModal();
    dialog.querySelector("#timeout-heading").focus();
    speak(remaining);
  };

  const closeDialog = () => {
    if (dialog && dialog.open) {
      dialog.close();
    }
    if (returnFocus && typeof returnFocus.focus === "function" && document.contains(returnFocus)) {
      returnFocus.focus();
    }
    returnFocus = null;
  };

  const staySignedIn = async () => {
    if (await keepAlive()) {
      closeDialog();
    }
  };

  async function signOut() {
    if (signingOut) {
      return;
    }
    signingOut = true;
    await flushDrafts();
    try {
      await post(body.dataset.logoutUrl);
    } catch (error) {
      // Signed out already, or offline: the server's session ends on its own.
    }
    const next = encodeURIComponent(window.location.pathname + window.location.search);
    window.location.assign(`${body.dataset.loginUrl}?next=${next}&signed_out=idle`);
  }

  if (dialog) {
    // Focus stays in the dialog: Tab and Shift+Tab go round its buttons (as well as the modal
    // <dialog> making the page behind inert).
    const buttons = () => Array.from(dialog.querySelectorAll("button"));
    dialog.addEventListener("keydown", (event) => {
      if (event.key !== "Tab") {
        return;
      }
      const list = buttons();
      const at = list.indexOf(document.activeElement);
      const next = event.shiftKey ? (at <= 0 ? list.length - 1 : at - 1) : at === list.length - 1 ? 0 : at + 1;
      event.preventDefault();
      list[next].focus();
    });
    document.addEventListener("focusin", (event) => {
      if (dialog.open && !dialog.contains(event.target)) {
        buttons()[0].focus();
      }
    });
    dialog.querySelector("[data-timeout-stay]").addEventListener("click", staySignedIn);
    // Escape closes a modal dialog: here it means "Stay signed in".
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      staySignedIn();
    });
  }

  setInterval(() => {
    if (signingOut) {
      return;
    }
    const shared = sharedContact();
    if (shared > lastContact) {
      touch(shared);
    }
    const remaining = Math.ceil((deadline - Date.now()) / 1000);
    if (remaining <= 0) {
      closeDialog();
      signOut();
    } else if (remaining <= warningSeconds) {
      if (!dialog || !dialog.open) {
        openDialog(remaining);
      } else {
        countdown.textContent = inWords(remaining);
        // Announced now and then, not every second.
        if (remaining === 60 || remaining === 30 || remaining === 10 || lastSpoken - remaining >= 60) {
          speak(remaining);
        }
      }
    } else if (dialog && dialog.open) {
      closeDialog();
    }
  }, 1000);
}
