// Small progressive enhancements: dialogs loaded by htmx, popover menus, copy buttons.
(function () {
  "use strict";

  function modal() {
    return document.getElementById("modal");
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var dialog = modal();
    if (dialog && event.detail.target && event.detail.target.id === "modal-content" && !dialog.open) {
      dialog.showModal();
      var first = dialog.querySelector("input:not([type=hidden]), select, textarea, button:not([data-close-dialog])");
      if (first) first.focus();
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var menu = event.detail.elt.closest("[popover]");
    if (menu && menu.hidePopover) menu.hidePopover();
  });

  document.addEventListener("click", function (event) {
    var closer = event.target.closest("[data-close-dialog]");
    if (closer && closer.closest("dialog")) {
      event.preventDefault();
      closer.closest("dialog").close();
    }
    var copy = event.target.closest("[data-copy]");
    if (copy && navigator.clipboard) {
      navigator.clipboard.writeText(copy.dataset.copy).then(function () {
        var label = copy.textContent;
        copy.textContent = "Copied";
        setTimeout(function () { copy.textContent = label; }, 1500);
      });
    }
  });

  document.addEventListener("close", function (event) {
    if (event.target.id === "modal") {
      document.getElementById("modal-content").innerHTML = "";
    }
  }, true);

  // Place a popover menu under the button that opened it.
  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (!menu.matches || !menu.matches("[popover]") || event.newState !== "open") return;
    var opener = document.querySelector('[popovertarget="' + menu.id + '"]');
    if (!opener) return;
    var rect = opener.getBoundingClientRect();
    menu.style.position = "fixed";
    menu.style.margin = "0";
    menu.style.top = rect.bottom + 4 + "px";
    menu.style.left = Math.max(8, rect.right - menu.offsetWidth) + "px";
  }, true);

  // Tabs (WAI-ARIA tabs pattern): without this script every panel simply shows, one after another.
  function setUpTabs(root) {
    root.querySelectorAll("[data-tabs]").forEach(function (tabs) {
      var buttons = Array.prototype.slice.call(tabs.querySelectorAll('[role="tab"]'));
      if (!buttons.length || tabs.dataset.ready) return;
      tabs.dataset.ready = "1";
      function select(chosen, focus) {
        buttons.forEach(function (button) {
          var on = button === chosen;
          button.setAttribute("aria-selected", on ? "true" : "false");
          button.tabIndex = on ? 0 : -1;
          document.getElementById(button.getAttribute("aria-controls")).hidden = !on;
        });
        if (focus) chosen.focus();
      }
      buttons.forEach(function (button, index) {
        button.addEventListener("click", function () { select(button, false); });
        button.addEventListener("keydown", function (event) {
          var next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: buttons.length - 1 }[event.key];
          if (next === undefined) return;
          event.preventDefault();
          select(buttons[(next + buttons.length) % buttons.length], true);
        });
      });
      select(buttons[0], false);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { setUpTabs(document); });
  document.addEventListener("htmx:afterSwap", function (event) { setUpTabs(event.detail.target); });

  document.addEventListener("submit", function (event) {
    var message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  });
})();
