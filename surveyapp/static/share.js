// Copy buttons on the sharing page: a button with data-copy="<input id>" copies that input's value.
// Hidden without JavaScript (the link can still be selected and copied by hand).
"use strict";
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  var input = document.getElementById(button.getAttribute("data-copy"));
  var label = button.textContent;
  if (!input) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var done = function () {
      button.textContent = button.getAttribute("data-copied");
      setTimeout(function () { button.textContent = label; }, 2000);
    };
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () {
        if (document.execCommand("copy")) { done(); }
      });
    } else if (document.execCommand("copy")) {
      done();
    }
  });
});
