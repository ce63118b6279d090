// Mynaguard console: the pages work without this script; it only prevents double submissions
// (a second tap on "approve" while the first is on its way) by disabling a form's buttons once sent.
"use strict";
document.addEventListener("submit", function (event) {
  var form = event.target;
  window.setTimeout(function () {
    var buttons = form.querySelectorAll("button");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = true;
    }
  }, 0);
});
