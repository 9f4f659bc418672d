// GOV.UK Frontend's components enhance pages that already work without JavaScript.
import { initAll } from '/govuk/govuk-frontend.min.js';
initAll();
