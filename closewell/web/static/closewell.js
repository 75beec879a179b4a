// Starts GOV.UK Frontend's components. Loaded as a module: browsers too old for modules get the
// plain pages, which work without JavaScript.
import { initAll } from "./vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
