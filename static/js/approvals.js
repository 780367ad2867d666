// The Approve dialog's inline warning (a limit above the requested one needs a reason), and
// focus for a destructive confirmation: its Cancel button carries `autofocus`.
(function () {
  "use strict";

  function warnAboveRequested(input) {
    var form = input.form;
    var warning = form && form.querySelector("[data-limit-warning]");
    if (!warning) return;
    var requested = parseFloat(warning.dataset.requested);
    var typed = parseFloat(input.value);
    var above = !isNaN(typed) && !isNaN(requested) && typed > requested;
    var message = above ? warning.dataset.message : "";
    // Only a change is announced; retyping the same side of the line stays quiet.
    if (warning.textContent !== message) warning.textContent = message;
  }

  function checkAll(root) {
    root.querySelectorAll("[data-approved-limit]").forEach(warnAboveRequested);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-approved-limit]")) {
      warnAboveRequested(event.target);
    }
  });
  document.addEventListener("DOMContentLoaded", function () { checkAll(document); });
  // An outerHTML swap leaves event.detail.target detached, so look in the document.
  document.addEventListener("htmx:afterSwap", function () {
    checkAll(document);
    var chosen = document.querySelector("dialog[open] [autofocus]");
    if (chosen) chosen.focus();
  });
})();
