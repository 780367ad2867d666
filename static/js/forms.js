// A form being sent says so and cannot be sent twice: its submit buttons turn "Sending…" and
// disabled until the answer arrives. The server refuses a second post of a create form anyway
// (a one-time token); this keeps people from trying. No inline script: a CSP forbids it.
(function () {
  "use strict";

  var SENDING = "Sending…";

  function submitButtons(form) {
    var inside = Array.prototype.slice.call(
      form.querySelectorAll('button:not([type]), button[type="submit"], input[type="submit"]')
    );
    var outside = form.id
      ? Array.prototype.slice.call(document.querySelectorAll('[type="submit"][form="' + form.id + '"]'))
      : [];
    return inside.concat(outside);
  }

  // A button's label may hold markup (a visually hidden name), so it is kept and put back whole.
  function saveLabel(button) {
    if (button.dataset.idleLabel !== undefined) return;
    button.dataset.idleLabel = button.tagName === "INPUT" ? button.value : button.innerHTML;
  }

  function restoreLabel(button) {
    if (button.dataset.idleLabel === undefined) return;
    if (button.tagName === "INPUT") button.value = button.dataset.idleLabel;
    else button.innerHTML = button.dataset.idleLabel;
    delete button.dataset.idleLabel;
  }

  function markBusy(form) {
    form.setAttribute("aria-busy", "true");
    form.dataset.sending = "1";
    submitButtons(form).forEach(function (button) {
      saveLabel(button);
      if (button.tagName === "INPUT") button.value = SENDING;
      else button.textContent = SENDING;
      button.setAttribute("aria-disabled", "true");
    });
    // Disabled only after the browser has read the form, so the clicked button's name and value
    // are still sent with it.
    setTimeout(function () {
      if (!form.dataset.sending) return;
      submitButtons(form).forEach(function (button) { button.disabled = true; });
    }, 0);
  }

  function markIdle(form) {
    form.removeAttribute("aria-busy");
    delete form.dataset.sending;
    submitButtons(form).forEach(function (button) {
      restoreLabel(button);
      button.removeAttribute("aria-disabled");
      button.disabled = false;
    });
  }

  function isPost(form) {
    return (form.getAttribute("method") || "").toLowerCase() === "post" || form.hasAttribute("hx-post");
  }

  // On the window, so every other submit handler (a confirm, htmx) has had its say first.
  window.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !isPost(form)) return;
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    // Cancelled (a declined confirm), or htmx sends it: htmx's own events below cover that.
    if (event.defaultPrevented) return;
    markBusy(form);
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    if (form instanceof HTMLFormElement && isPost(form)) {
      if (form.dataset.sending) event.preventDefault();
      else markBusy(form);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form instanceof HTMLFormElement && document.contains(form)) markIdle(form);
  });

  // Back to a page kept in the browser's cache: its forms are usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sending]").forEach(markIdle);
  });

  // After a refused post: on a page, the error summary takes focus; in a dialog, the first
  // field in error does (the summary still lists every error).
  function focusErrors(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (!summary) return;
    var inDialog = summary.closest("dialog");
    var field = inDialog && inDialog.querySelector(".has-error input, .has-error select, .has-error textarea");
    (field || summary).focus();
  }
  document.addEventListener("DOMContentLoaded", function () { focusErrors(document); });
  document.addEventListener("htmx:afterSwap", function () {
    var dialog = document.getElementById("modal");
    if (dialog && dialog.open) setTimeout(function () { focusErrors(dialog); }, 0);
  });
})();
