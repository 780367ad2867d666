// Region pickers (nuvo/widgets.py RegionPicker). The grouped checkboxes work without script;
// this adds a filter box whose count of matches is announced, a "Chosen" line with a Remove
// button per region, and arrow keys between the checkboxes still shown. A checkbox hidden by the
// filter keeps its state and is still sent with the form. No inline script: a CSP forbids it.
(function () {
  "use strict";

  var ANNOUNCE_DELAY_MS = 250; // one announcement once typing pauses, not one per keystroke

  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function regionOptions(picker) {
    return Array.prototype.slice.call(picker.querySelectorAll("[data-region-option]"));
  }

  function checkboxOf(option) {
    return option.querySelector('input[type="checkbox"]');
  }

  function nameOf(option) {
    return option.querySelector("[data-region-name]").textContent.trim();
  }

  function filterInput(picker) {
    return picker.querySelector("[data-region-filter] input");
  }

  function shownCheckboxes(picker) {
    return regionOptions(picker)
      .filter(function (option) { return !option.hidden; })
      .map(checkboxOf);
  }

  // A name containing what was typed ("tex", "carolina"), or a code starting with it ("tx").
  function matches(option, query) {
    if (!query) return true;
    return folded(nameOf(option)).indexOf(query) !== -1 ||
      checkboxOf(option).value.toLowerCase().indexOf(query) === 0;
  }

  function applyFilter(picker) {
    var query = folded(filterInput(picker).value);
    var options = regionOptions(picker);
    var shown = 0;
    options.forEach(function (option) {
      option.hidden = !matches(option, query);
      if (!option.hidden) shown += 1;
    });
    picker.querySelectorAll("[data-region-group]").forEach(function (group) {
      group.hidden = !group.querySelector("[data-region-option]:not([hidden])");
    });
    picker.querySelector("[data-region-none]").hidden = shown > 0;
    var count = picker.querySelector("[data-region-count]");
    clearTimeout(picker.regionCountTimer);
    picker.regionCountTimer = setTimeout(function () {
      count.textContent = shown + " of " + options.length + " shown";
    }, ANNOUNCE_DELAY_MS);
  }

  function chip(option) {
    var item = document.createElement("li");
    var name = document.createElement("span");
    name.textContent = nameOf(option);
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "region-chip-remove";
    remove.dataset.regionRemove = checkboxOf(option).id;
    var mark = document.createElement("span");
    mark.setAttribute("aria-hidden", "true");
    mark.textContent = "×";
    var label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = "Remove " + nameOf(option);
    remove.append(mark, label);
    item.append(name, remove);
    return item;
  }

  function showChosen(picker) {
    var chosen = regionOptions(picker).filter(function (option) { return checkboxOf(option).checked; });
    var chips = picker.querySelector("[data-region-chips]");
    chips.replaceChildren.apply(chips, chosen.map(chip));
    chips.hidden = chosen.length === 0;
    picker.querySelector("[data-region-chosen-none]").hidden = chosen.length > 0;
  }

  function setUp() {
    document.querySelectorAll("[data-region-picker]:not([data-region-ready])").forEach(function (picker) {
      picker.dataset.regionReady = "1";
      picker.querySelector("[data-region-filter]").hidden = false;
      picker.querySelector("[data-region-chosen]").hidden = false;
      showChosen(picker);
    });
  }

  function readyPicker(element) {
    return element instanceof Element ? element.closest("[data-region-picker][data-region-ready]") : null;
  }

  // Removing a chip unticks its region; focus moves to the chip now in its place, or the one
  // before, or back to the filter when none is left, so it is never lost on the page.
  function removeChosen(button, picker) {
    var buttons = Array.prototype.slice.call(picker.querySelectorAll("[data-region-remove]"));
    var position = buttons.indexOf(button);
    var checkbox = document.getElementById(button.dataset.regionRemove);
    checkbox.checked = false;
    checkbox.dispatchEvent(new Event("change", { bubbles: true }));
    var left = picker.querySelectorAll("[data-region-remove]");
    var next = left[Math.min(position, left.length - 1)];
    (next || filterInput(picker)).focus();
  }

  function moveAmongCheckboxes(event, picker) {
    var boxes = shownCheckboxes(picker);
    var position = boxes.indexOf(event.target);
    var target = null;
    if (event.key === "ArrowDown" || event.key === "ArrowRight") target = boxes[position + 1];
    else if (event.key === "ArrowUp" || event.key === "ArrowLeft") target = position > 0 ? boxes[position - 1] : filterInput(picker);
    else if (event.key === "Home") target = boxes[0];
    else if (event.key === "End") target = boxes[boxes.length - 1];
    else return;
    event.preventDefault();
    if (target) target.focus();
  }

  function keysInFilter(event, picker) {
    var input = event.target;
    if (event.key === "Enter") {
      // Enter in a search box would send the whole form; here it goes to the first match.
      event.preventDefault();
      var first = shownCheckboxes(picker)[0];
      if (first) first.focus();
    } else if (event.key === "ArrowDown") {
      event.preventDefault();
      var top = shownCheckboxes(picker)[0];
      if (top) top.focus();
    } else if (event.key === "Escape" && input.value) {
      // Clears the filter instead of closing the dialog the picker may sit in.
      event.preventDefault();
      input.value = "";
      applyFilter(picker);
    }
  }

  document.addEventListener("input", function (event) {
    var picker = readyPicker(event.target);
    if (picker && event.target === filterInput(picker)) applyFilter(picker);
  });

  document.addEventListener("change", function (event) {
    var picker = readyPicker(event.target);
    if (picker && event.target.type === "checkbox") showChosen(picker);
  });

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest("[data-region-remove]");
    var picker = button && readyPicker(button);
    if (picker) removeChosen(button, picker);
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var picker = readyPicker(event.target);
    if (!picker) return;
    if (event.target === filterInput(picker)) keysInFilter(event, picker);
    else if (event.target.type === "checkbox") moveAmongCheckboxes(event, picker);
  });

  document.addEventListener("DOMContentLoaded", setUp);
  // Before forms.js moves focus into a dialog's first invalid field (on its next tick).
  document.addEventListener("htmx:afterSwap", setUp);
  document.addEventListener("htmx:load", setUp);
  document.addEventListener("nuvo:block-added", setUp);
  // Back to a page kept by the browser, or a form it refilled: the chips follow the boxes.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-region-picker][data-region-ready]").forEach(showChosen);
  });
})();
