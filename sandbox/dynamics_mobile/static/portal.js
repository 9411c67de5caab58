// Plain JS for the Portal twin's WAI-ARIA widgets: menu button, tabs, disclosures, dependent fields, classic Edit.
(function () {
  "use strict";

  function setupMenuButton(button) {
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) return;
    var items = Array.prototype.slice.call(menu.querySelectorAll('[role="menuitem"]'));
    function open(focusIndex) {
      menu.hidden = false;
      button.setAttribute("aria-expanded", "true");
      if (items.length) items[focusIndex || 0].focus();
    }
    function close() {
      menu.hidden = true;
      button.setAttribute("aria-expanded", "false");
    }
    button.addEventListener("click", function () {
      if (menu.hidden) open(0); else close();
    });
    menu.addEventListener("keydown", function (event) {
      var index = items.indexOf(document.activeElement);
      if (event.key === "Escape") { close(); button.focus(); event.preventDefault(); }
      if (event.key === "ArrowDown") { items[(index + 1) % items.length].focus(); event.preventDefault(); }
      if (event.key === "ArrowUp") { items[(index - 1 + items.length) % items.length].focus(); event.preventDefault(); }
    });
    document.addEventListener("click", function (event) {
      if (!menu.hidden && !menu.contains(event.target) && event.target !== button) close();
    });
  }

  function setupTabs(tablist) {
    var tabs = Array.prototype.slice.call(tablist.querySelectorAll('[role="tab"]'));
    function select(tab) {
      tabs.forEach(function (other) {
        var on = other === tab;
        other.setAttribute("aria-selected", on ? "true" : "false");
        other.tabIndex = on ? 0 : -1;
        document.getElementById(other.getAttribute("aria-controls")).hidden = !on;
      });
      tab.focus();
    }
    tabs.forEach(function (tab, index) {
      tab.addEventListener("click", function () { select(tab); });
      tab.addEventListener("keydown", function (event) {
        if (event.key === "ArrowRight") select(tabs[(index + 1) % tabs.length]);
        if (event.key === "ArrowLeft") select(tabs[(index - 1 + tabs.length) % tabs.length]);
      });
    });
  }

  function setupDisclosure(button) {
    button.addEventListener("click", function () {
      var region = document.getElementById(button.getAttribute("aria-controls"));
      var expanded = button.getAttribute("aria-expanded") === "true";
      button.setAttribute("aria-expanded", expanded ? "false" : "true");
      region.hidden = expanded;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll('button[aria-haspopup="menu"]').forEach(setupMenuButton);
    document.querySelectorAll('[role="tablist"]').forEach(setupTabs);
    document.querySelectorAll("button.disclosure").forEach(setupDisclosure);
    var connection = document.getElementById("connectionType");
    var bcFields = document.getElementById("bc-fields");
    if (connection && bcFields) {
      connection.addEventListener("change", function () { bcFields.hidden = connection.value !== "d365bc"; });
    }
    var edit = document.getElementById("edit-button");
    if (edit) {
      edit.addEventListener("click", function () {
        document.querySelectorAll("form input[disabled], form select[disabled]").forEach(function (field) {
          field.disabled = false;
        });
        document.getElementById("save-button").hidden = false;
        edit.hidden = true;
      });
    }
  });
})();
