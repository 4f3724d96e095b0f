// A participant's poll page (templates/polls/join.html) while nothing is left to vote on: look again every 15 s
// for the next question or the revealed results. Not once the participant has started to change a vote, nor in a
// hidden tab. Without JavaScript a <noscript> meta refresh does the same.
(function () {
  "use strict";
  var waiting = document.querySelector("[data-reload-seconds]");
  if (!waiting) {
    return;
  }
  var touched = false;
  function touch() {
    touched = true;
  }
  document.addEventListener("input", touch);
  document.addEventListener("change", touch);
  document.addEventListener("focusin", function (event) {
    if (event.target.closest("form")) {
      touch();
    }
  });
  window.setInterval(function () {
    if (!touched && document.visibilityState !== "hidden") {
      window.location.reload();
    }
  }, Number(waiting.getAttribute("data-reload-seconds")) * 1000);
})();
