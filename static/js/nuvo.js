// Small progressive enhancements: dialogs loaded by htmx, popover menus, copy buttons.
(function () {
  "use strict";

  function modal() {
    return document.getElementById("modal");
  }

  var FIELDS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";

  // Where focus starts in a dialog: the first field in error, else the error summary, else a
  // control the dialog names (a destructive confirmation names Cancel), else the first field.
  function focusInDialog(dialog) {
    var target = dialog.querySelector('[aria-invalid="true"]') ||
      dialog.querySelector("[data-error-summary]") ||
      dialog.querySelector("[data-autofocus]") ||
      dialog.querySelector(FIELDS) ||
      dialog.querySelector("button:not([data-close-dialog]), a[href]");
    // A group of radios is entered at its chosen option.
    if (target && target.type === "radio" && target.form) {
      var chosen = target.form.querySelector('input[type="radio"][name="' + target.name + '"]:checked');
      if (chosen) target = chosen;
    }
    if (target) target.focus();
  }

  // The control that opened the dialog gets focus back when it closes. A menu item is hidden by
  // then, so its menu button stands in; a selector finds the opener again if a swap replaced it.
  var opener = null;

  function openerOf(element) {
    var menu = element.closest("[popover]");
    var button = menu && document.querySelector('[popovertarget="' + menu.id + '"]');
    var chosen = button || element;
    var selector = button ? '[popovertarget="' + menu.id + '"]' : chosen.id ? "#" + chosen.id : null;
    return { element: chosen, selector: selector };
  }

  function returnFocus() {
    if (!opener) return;
    var target = document.contains(opener.element) ? opener.element
      : opener.selector ? document.querySelector(opener.selector) : null;
    opener = null;
    if (target) target.focus();
  }

  // A menu action that swaps the part of the page holding its menu (Test Connection) would leave
  // focus on <body>: it goes back to the menu's button.
  var menuAwaitingFocus = null;

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var dialog = modal();
    var target = event.detail.target;
    if (dialog && !dialog.open && target && target.id === "modal-content") opener = openerOf(elt);
    var menu = elt.closest("[popover]");
    if (menu) {
      menuAwaitingFocus = menu.id;
      if (menu.hidePopover && menu.matches(":popover-open")) menu.hidePopover();
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var dialog = modal();
    if (dialog && event.detail.target && event.detail.target.id === "modal-content" && !dialog.open) {
      dialog.showModal();
      focusInDialog(dialog);
    }
  });

  function focusLost(dialog) {
    var active = document.activeElement;
    if (!active || active === document.body || !document.contains(active)) return true;
    return Boolean(dialog && dialog.open && !dialog.contains(active));
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var dialog = modal();
    if (dialog && dialog.open) {
      var target = event.detail.target;
      var inDialog = target && (!document.contains(target) || dialog.contains(target));
      var config = event.detail.requestConfig;
      var posted = config && config.verb === "post";
      var refused = posted && dialog.querySelector('[aria-invalid="true"], [data-error-summary]');
      if (inDialog && (refused || focusLost(dialog))) focusInDialog(dialog);
      menuAwaitingFocus = null;
      return;
    }
    if (menuAwaitingFocus) {
      var button = document.querySelector('[popovertarget="' + menuAwaitingFocus + '"]');
      menuAwaitingFocus = null;
      if (button && focusLost()) button.focus();
    }
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
      // After the browser's own focus restoration, which may pick a hidden menu item.
      setTimeout(returnFocus, 0);
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
