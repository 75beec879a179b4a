// A background job's page follows its progress without a reload: every few seconds the page is
// fetched again and its status part (#job-status, aria-live) replaced when it changed, until the job
// ends or ten minutes pass (so an open tab does not keep a session alive for ever). Without scripts,
// the page's Refresh link does the same.
const region = document.getElementById("job-status");
const LIMIT_MS = 10 * 60 * 1000;

if (region && region.dataset.jobRefresh) {
  const every = (Number(region.dataset.jobRefresh) || 3) * 1000;
  const started = Date.now();
  const poll = async () => {
    try {
      const response = await fetch(window.location.href, { credentials: "same-origin" });
      if (response.ok) {
        const fresh = new DOMParser()
          .parseFromString(await response.text(), "text/html")
          .getElementById("job-status");
        if (fresh) {
          if (fresh.innerHTML !== region.innerHTML) region.innerHTML = fresh.innerHTML;
          if (!fresh.dataset.jobRefresh) {
            delete region.dataset.jobRefresh; // finished: nothing more to follow
            return;
          }
        }
      }
    } catch {
      // The network dropped for a moment: try again at the next turn.
    }
    if (Date.now() - started < LIMIT_MS) window.setTimeout(poll, every);
  };
  window.setTimeout(poll, every);
}
