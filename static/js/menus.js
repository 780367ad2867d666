// Menu buttons (WAI-ARIA Authoring Practices, "Menu Button"): a button with popovertarget opens a
// role="menu" popover. Without this script the popover still opens and its items are plain tab
// stops; with it, the menu takes focus, arrows and Home/End move through it, Escape and Tab close it.
(function () {
  "use strict";

  var openOnLast = {};

  function menuOf(button) {
    var menu = document.getElementById(button.getAttribute("popovertarget"));
    return menu && menu.getAttribute("role") === "menu" ? menu : null;
  }

  function buttonOf(menu) {
    return document.querySelector('[popovertarget="' + menu.id + '"]');
  }

  function items(menu) {
    return Array.prototype.slice.call(menu.querySelectorAll('[role="menuitem"]'));
  }

  function setUp(root) {
    root.querySelectorAll("[popovertarget]").forEach(function (button) {
      var menu = menuOf(button);
      if (!menu) return;
      button.setAttribute("aria-haspopup", "menu");
      button.setAttribute("aria-controls", menu.id);
      button.setAttribute("aria-expanded", menu.matches(":popover-open") ? "true" : "false");
      items(menu).forEach(function (item) { item.tabIndex = -1; });
    });
  }

  function focusItem(menu, index) {
    var list = items(menu);
    if (!list.length) return;
    list[(index + list.length) % list.length].focus();
  }

  function open(button, onLast) {
    var menu = menuOf(button);
    if (!menu) return;
    openOnLast[menu.id] = onLast;
    if (menu.matches(":popover-open")) focusItem(menu, onLast ? -1 : 0);
    else menu.showPopover();
  }

  function close(menu, returnFocus) {
    if (menu.matches(":popover-open")) menu.hidePopover();
    var button = buttonOf(menu);
    if (returnFocus && button) button.focus();
  }

  // Typing a letter moves to the next item that starts with it.
  function itemStartingWith(menu, letter) {
    var list = items(menu);
    var start = list.indexOf(document.activeElement);
    for (var step = 1; step <= list.length; step++) {
      var candidate = list[(start + step) % list.length];
      if (candidate.textContent.trim().toLowerCase().indexOf(letter) === 0) return candidate;
    }
    return null;
  }

  document.addEventListener("keydown", function (event) {
    var button = event.target.closest && event.target.closest("[popovertarget]");
    if (button && menuOf(button)) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        open(button, event.key === "ArrowUp");
      }
      return;
    }
    var menu = event.target.closest && event.target.closest('[role="menu"][popover]');
    if (!menu) return;
    var list = items(menu);
    var current = list.indexOf(document.activeElement);
    var moves = { ArrowDown: current + 1, ArrowUp: current - 1, Home: 0, End: list.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      focusItem(menu, moves[event.key]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close(menu, true);
    } else if (event.key === " " && event.target.matches('a[role="menuitem"]')) {
      event.preventDefault();
      event.target.click();
    } else if (event.key === "Tab") {
      // Focus goes back to the button first, so the browser's Tab moves on from there.
      close(menu, true);
    } else if (event.key.length === 1 && /\S/.test(event.key) && !event.ctrlKey && !event.metaKey && !event.altKey) {
      var match = itemStartingWith(menu, event.key.toLowerCase());
      if (match) match.focus();
    }
  });

  document.addEventListener("toggle", function (event) {
    var menu = event.target;
    if (!menu.matches || !menu.matches('[role="menu"][popover]')) return;
    var button = buttonOf(menu);
    var opened = event.newState === "open";
    if (button) button.setAttribute("aria-expanded", opened ? "true" : "false");
    if (opened) {
      focusItem(menu, openOnLast[menu.id] ? -1 : 0);
      openOnLast[menu.id] = false;
    }
  }, true);

  // Choosing an item closes the menu; the item's own action (a link, a form, htmx) runs first.
  document.addEventListener("click", function (event) {
    var item = event.target.closest && event.target.closest('[role="menu"][popover] [role="menuitem"]');
    if (!item || item.getAttribute("aria-disabled") === "true") return;
    var menu = item.closest("[popover]");
    setTimeout(function () { if (menu.matches(":popover-open")) menu.hidePopover(); }, 0);
  });

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:afterSettle", function () { setUp(document); });
})();
