// A multiple choice with an exclusive option ("none of these"): its options' box carries
// `data-exclusive="<option code>"` (templates/items/checks.html). Ticking that option unticks the others, and
// ticking another unticks it, so the respondent never meets the server's refusal of both (which stays).
(function () {
  "use strict";
  document.querySelectorAll("[data-exclusive]").forEach(function (box) {
    var code = box.getAttribute("data-exclusive");
    box.addEventListener("change", function (event) {
      var ticked = event.target;
      if (ticked.type !== "checkbox" || !ticked.checked) {
        return;
      }
      box.querySelectorAll("input[type=checkbox]").forEach(function (other) {
        if (other !== ticked && (ticked.value === code || other.value === code)) {
          other.checked = false;
          other.dispatchEvent(new Event("change", {bubbles: true}));
        }
      });
    });
  });
})();
