// The "Menu" disclosure of the top bar on narrow screens (WAI-ARIA disclosure pattern: a button
// that shows and hides a group of links, not a role=menu). Without this script the links stay
// in the page, wrapped onto several lines.
(function () {
  "use strict";

  function setOpen(toggle, open) {
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    if (menu) menu.classList.toggle("is-open", open);
  }

  function setUp() {
    document.querySelectorAll("[data-menu-toggle]").forEach(function (toggle) {
      var bar = toggle.closest(".topbar");
      if (bar) bar.classList.add("has-menu-toggle");
      toggle.addEventListener("click", function () {
        setOpen(toggle, toggle.getAttribute("aria-expanded") !== "true");
      });
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll('[data-menu-toggle][aria-expanded="true"]').forEach(function (toggle) {
      var menu = document.getElementById(toggle.getAttribute("aria-controls"));
      if (menu && menu.contains(document.activeElement)) {
        setOpen(toggle, false);
        toggle.focus();
      }
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
