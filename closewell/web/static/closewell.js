// Starts GOV.UK Frontend's components. Loaded as a module: browsers too old for modules get the
// plain pages, which work without JavaScript.
import { initAll } from "./vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Conditional questions: a radio with data-reveal="ID" shows the part with that id only while it is
// checked. (GOV.UK Frontend's conditional reveal sets aria-expanded on radios, which ARIA does not
// allow.) Without JavaScript every part shows.
function syncReveals() {
  document.querySelectorAll("input[data-reveal]").forEach((radio) => {
    const part = document.getElementById(radio.dataset.reveal);
    if (part) {
      part.hidden = !radio.checked;
    }
  });
}
document.querySelectorAll("input[data-reveal]").forEach((radio) => {
  radio.addEventListener("change", syncReveals);
});
window.addEventListener("pageshow", syncReveals);
syncReveals();
