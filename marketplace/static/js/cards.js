// Results pages: keep the reader's place and focus when htmx changes part of the page.
// Every action works without this file (links and forms); htmx only makes them act in place.
(function () {
  var wanted = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var source = event.detail.elt.closest("[data-focus-after-swap]");
    wanted = source ? source.getAttribute("data-focus-after-swap") : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!wanted) { return; }
    var target = null;
    if (wanted === "new-page") {
      var starts = document.querySelectorAll("[data-page-start]");
      var start = starts[starts.length - 1];
      target = start && start.querySelector(".card-link");
    } else {
      var box = document.querySelector(wanted);
      target = box && (box.matches("a, button, input, textarea, select") ? box :
        box.querySelector("[role=status], .messages, .error-summary, textarea, input:not([type=hidden]), button, a"));
      if (target && !target.matches("a, button, input, textarea, select")) { target.setAttribute("tabindex", "-1"); }
    }
    wanted = null;
    if (target) { target.focus({preventScroll: false}); }
  });
})();
