// A respondent's page that answers a POST (errors, another language): make the browser's history entry this
// page's own address, so that Back and reload fetch it again instead of asking to resend the form; then move
// the focus to the error summary, if there is one. Without JavaScript the pages work as before.
(function () {
  "use strict";
  var form = document.querySelector("form[data-url]");
  if (form && window.history && history.replaceState) {
    history.replaceState(null, "", form.getAttribute("data-url"));
  }
  var summary = document.getElementById("errors");
  if (summary) {
    summary.focus();
  }
})();
