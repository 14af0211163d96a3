// Progressive enhancement for the availability picker (profiles/includes/availability.html):
// without this file the page already shows empty slot rows to fill; with it, "Add another slot" adds one more.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-availability]").forEach(function (group) {
    var button = group.querySelector("[data-add-slot]");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var slots = group.querySelectorAll("[data-slot]");
      if (slots.length >= 28) { button.hidden = true; return; }
      var last = slots[slots.length - 1];
      var copy = last.cloneNode(true);
      var index = slots.length;
      var legend = copy.querySelector("legend"); // the page's own words ("Slot 3" in its language), renumbered
      legend.textContent = legend.textContent.replace(/\d+/, String(index + 1));
      copy.querySelectorAll("select, input").forEach(function (input) {
        input.id = input.id.replace(/_\d+$/, "_" + index);
        input.name = input.name.replace(/_\d+$/, "_" + index);
        input.value = "";
      });
      copy.querySelectorAll("label").forEach(function (label) {
        label.htmlFor = label.htmlFor.replace(/_\d+$/, "_" + index);
      });
      last.after(copy);
      copy.querySelector("select").focus();
    });
  });
});
