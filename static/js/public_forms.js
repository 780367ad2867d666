// Forms in blocks and forms with errors, without inline script (the CSP forbids it):
// - an error summary's link focuses its field (and opens a closed "Change" disclosure first);
// - [data-reveal-when="name=value"] shows only while that radio is chosen;
// - a formset's "Add another" copies its <template> (the empty form) and "Remove" takes a block
//   away again. Without script the blocks show, and "Add another" posts for one more block.
(function () {
  "use strict";

  // GOV.UK's error summary: focus the field, with its label or legend in view above it.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) return;
    // A group of checkboxes (the region picker) is linked by its wrapper: focus its first box.
    var field = target.matches("input, select, textarea, button")
      ? target
      : target.querySelector("input:not([type=hidden]):not([type=search]), select, textarea") || target;
    event.preventDefault();
    var disclosure = field.closest("details");
    if (disclosure) disclosure.open = true;
    var legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
    var label = document.querySelector("label[for='" + field.id + "']") || legend;
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });

  // On load, blocks with errors or a kept file stay in view even without the answer (the server
  // counts filled-in blocks as a Yes when the question was skipped).
  function reveal(container, onLoad) {
    var rule = container.getAttribute("data-reveal-when").split("=");
    var chosen = document.querySelector("input[name='" + rule[0] + "']:checked");
    var answered = chosen && chosen.value === rule[1];
    var pending = onLoad && !chosen && container.querySelector(".has-error, .kept-file");
    container.hidden = !answered && !pending;
  }

  function revealAll(onLoad) {
    document.querySelectorAll("[data-reveal-when]").forEach(function (container) {
      reveal(container, onLoad);
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.type === "radio") revealAll(false);
  });

  function blocksOf(formset) {
    return formset.querySelectorAll("[data-formset-blocks] > [data-formset-block]");
  }

  function totalInput(formset) {
    return formset.querySelector("input[name='" + formset.dataset.formset + "-TOTAL_FORMS']");
  }

  // Blocks are numbered 0..n-1 again after a removal: a formset reads TOTAL_FORMS of them.
  function renumber(formset) {
    var prefix = formset.dataset.formset;
    var pattern = new RegExp("^(id_)?" + prefix + "-(\\d+|__prefix__)-");
    var blocks = blocksOf(formset);
    blocks.forEach(function (block, index) {
      block.querySelectorAll("[name], [id], label[for]").forEach(function (element) {
        ["name", "id", "for", "aria-describedby", "aria-controls", "aria-labelledby"].forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value) element.setAttribute(attribute, value.split(" ").map(function (part) {
            return part.replace(pattern, function (match, id) { return (id || "") + prefix + "-" + index + "-"; });
          }).join(" "));
        });
      });
      var number = block.querySelector("[data-formset-number]");
      if (number) number.textContent = String(index + 1);
    });
    totalInput(formset).value = String(blocks.length);
    var add = formset.querySelector("[data-formset-add]");
    if (add) add.hidden = blocks.length >= Number(formset.dataset.formsetMax);
  }

  function addBlock(formset) {
    var template = formset.querySelector("template[data-formset-template]");
    var block = template.content.firstElementChild.cloneNode(true);
    formset.querySelector("[data-formset-blocks]").appendChild(block);
    renumber(formset);
    // Widgets with script of their own (the region picker) set up blocks added after load.
    block.dispatchEvent(new CustomEvent("nuvo:block-added", { bubbles: true }));
    var first = block.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }

  function removeBlock(formset, block) {
    var blocks = Array.prototype.slice.call(blocksOf(formset));
    var previous = blocks[blocks.indexOf(block) - 1];
    block.remove();
    renumber(formset);
    var add = formset.querySelector("[data-formset-add]");
    var target = add && !add.hidden ? add : previous && previous.querySelector("input:not([type=hidden]), select, textarea");
    if (target) target.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-formset-add], [data-formset-remove]");
    if (!button) return;
    var formset = button.closest("[data-formset]");
    if (!formset) return;
    event.preventDefault();
    if (button.hasAttribute("data-formset-add")) addBlock(formset);
    else removeBlock(formset, button.closest("[data-formset-block]"));
  });

  function enhance() {
    revealAll(true);
    document.querySelectorAll("[data-formset]").forEach(function (formset) {
      // A plain button now: Enter in a field sends the form, it does not add a block.
      var add = formset.querySelector("[data-formset-add]");
      if (add) add.type = "button";
      formset.querySelectorAll("[data-formset-remove]").forEach(function (remove) { remove.hidden = false; });
      renumber(formset);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", enhance);
  else enhance();
})();
