// Shows only the questions asked of the category chosen on the registration form.
// Without this script every question is shown; the server keeps only the answers it asks.
(function () {
  "use strict";
  var select = document.getElementById("category");
  if (!select) { return; }
  function show() {
    var chosen = select.value;
    document.querySelectorAll(".question[data-categories]").forEach(function (box) {
      var asked = box.getAttribute("data-categories").split(" ").filter(Boolean);
      box.hidden = asked.length > 0 && asked.indexOf(chosen) < 0;
    });
  }
  select.addEventListener("change", show);
  show();
})();
