// The client inside iframe.designer-client-frame: splash, Tell Me, dialogs, list selection, card autosave and
// Grant Consent. Plain DOM; every save goes to a small JSON route and the server re-renders the card body.
(function () {
  "use strict";
  var body = document.body;
  var base = body.dataset.base;
  var company = body.dataset.company;
  var PRODUCT = "Dynamics 365 Business Central";

  function post(path, data) {
    return fetch(base + "/api/" + path, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(data),
      credentials: "same-origin"
    }).then(function (r) { return r.json(); });
  }

  function tellParent() {
    if (window.parent !== window) window.parent.postMessage({ bc: "navigated", search: location.search }, location.origin);
  }

  // --- splash -------------------------------------------------------------------------------------
  setTimeout(function () {
    var splash = document.querySelector(".splash");
    if (splash) splash.remove();
    document.getElementById("content").hidden = false;
    tellParent();
  }, parseInt(body.dataset.splashMs || "0", 10));

  // --- dialogs (BC's Message/Confirm/Error) --------------------------------------------------------
  function dialog(text, buttons, defaultButton) {
    return new Promise(function (resolve) {
      var root = document.getElementById("dialog-root");
      var overlay = document.createElement("div");
      overlay.className = "overlay";
      var box = document.createElement("div");
      var id = "dlg-" + Date.now();
      box.className = "task-dialog";
      box.setAttribute("role", "dialog");
      box.setAttribute("aria-modal", "true");
      box.setAttribute("aria-label", PRODUCT);
      box.setAttribute("aria-describedby", id);
      var content = document.createElement("div");
      content.className = "task-dialog-content-alignbox";
      var p = document.createElement("p");
      p.id = id;
      p.textContent = text;
      content.appendChild(p);
      box.appendChild(content);
      var row = document.createElement("div");
      row.className = "task-dialog-buttons";
      buttons.forEach(function (name) {
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = name;
        if (name === defaultButton) b.className = "default";
        b.addEventListener("click", function () { overlay.remove(); box.remove(); resolve(name); });
        row.appendChild(b);
      });
      if (buttons.length) box.appendChild(row);
      root.appendChild(overlay);
      root.appendChild(box);
      var def = row.querySelector(".default");
      if (def) def.focus();
      box.close = function () { overlay.remove(); box.remove(); };
      if (!buttons.length) resolve(box);
    });
  }
  function message(text) { return dialog(text, ["OK"], "OK"); }
  function confirmYesNo(text) { return dialog(text, ["Yes", "No"], "Yes").then(function (a) { return a === "Yes"; }); }

  // --- Tell Me: grouped text items in [id^=GroupedListSection] sections (recordings), or listbox options ----
  var tellme = document.getElementById("tellme");
  var input = document.getElementById("tellme-input");
  var results = document.getElementById("tellme-results");
  var asListbox = body.dataset.tellMe === "listbox";
  var pending = Promise.resolve();

  function openTellMe() {
    tellme.hidden = false;
    input.value = "";
    results.innerHTML = "";
    input.focus();
  }
  function closeTellMe() { tellme.hidden = true; }
  function options() { return Array.prototype.slice.call(results.querySelectorAll(".tellme-result")); }
  function activate(option) {
    options().forEach(function (o) {
      o.classList.toggle("selected", o === option);
      if (asListbox) o.setAttribute("aria-selected", o === option ? "true" : "false");
    });
    if (option && asListbox) input.setAttribute("aria-activedescendant", option.id);
  }
  function resultItem(hit, id) {
    var o = document.createElement("div");
    o.className = "tellme-result";
    o.id = id;
    o.dataset.url = hit.url;
    var caption = document.createElement("span");
    caption.className = "caption";
    caption.textContent = hit.caption;
    o.appendChild(caption);
    if (asListbox) {
      o.setAttribute("role", "option");
      o.setAttribute("aria-label", hit.caption);
    } else {
      o.tabIndex = -1;
    }
    var cat = document.createElement("span");
    cat.className = "category";
    cat.textContent = hit.category;
    o.appendChild(cat);
    o.addEventListener("click", function () { go(o); });
    return o;
  }
  function render(data) {
    results.innerHTML = "";
    if (!data.groups.length) {
      var none = document.createElement("p");
      none.className = "small";
      none.textContent = "No results found.";
      results.appendChild(none);
      return;
    }
    data.groups.forEach(function (group, g) {
      var el = document.createElement("div");
      if (asListbox) {
        el.setAttribute("role", "group");
        el.setAttribute("aria-labelledby", "tm-group-" + g);
      } else {
        el.id = "GroupedListSection" + g;
        el.className = "grouped-list-section";
      }
      var title = document.createElement("div");
      title.className = "group-title";
      title.id = "tm-group-" + g;
      title.textContent = group.name;
      el.appendChild(title);
      group.results.forEach(function (hit, i) { el.appendChild(resultItem(hit, "tm-" + g + "-" + i)); });
      results.appendChild(el);
    });
    activate(options()[0]);
  }
  function go(option) { if (option) { closeTellMe(); location.href = option.dataset.url; } }
  input.addEventListener("input", function () {
    var q = input.value;
    pending = fetch(base + "/api/search?q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) { if (input.value === q) render(data); });
  });
  input.addEventListener("keydown", function (event) {
    var list = options();
    var current = list.indexOf(results.querySelector(".tellme-result.selected"));
    if (event.key === "Enter") {
      event.preventDefault();
      pending.then(function () { go(results.querySelector(".tellme-result.selected") || options()[0]); });
    } else if (event.key === "ArrowDown" && list.length) {
      event.preventDefault(); activate(list[Math.min(current + 1, list.length - 1)]);
    } else if (event.key === "ArrowUp" && list.length) {
      event.preventDefault(); activate(list[Math.max(current - 1, 0)]);
    } else if (event.key === "Escape") { closeTellMe(); }
  });
  tellme.querySelector(".tellme-close").addEventListener("click", closeTellMe);
  window.addEventListener("message", function (event) {
    if (event.origin === location.origin && event.data && event.data.bc === "tellme") openTellMe();
  });
  document.addEventListener("keydown", function (event) {
    if (event.altKey && (event.key === "q" || event.key === "Q")) { event.preventDefault(); openTellMe(); }
  });

  // --- list page: selection and Delete ------------------------------------------------------------
  document.addEventListener("click", function (event) {
    var row = event.target.closest("table[role=grid] tr[rowkey]");
    if (row && !event.target.closest("a, input") && !row.closest("#card")) {
      document.querySelectorAll("tr[rowkey]").forEach(function (r) { r.setAttribute("aria-selected", "false"); });
      row.setAttribute("aria-selected", "true");
    }
  });
  var deleteAction = document.querySelector("[data-action=delete]");
  if (deleteAction) {
    deleteAction.addEventListener("click", function () {
      var row = document.querySelector("tr[rowkey][aria-selected=true]");
      if (!row) { message("Select the line that you want to delete."); return; }
      var question = document.querySelector(".list-page").dataset.deleteConfirm;
      confirmYesNo(question).then(function (yes) {
        if (!yes) return;
        post("delete", { client_id: row.getAttribute("rowkey") }).then(function (answer) {
          if (answer.error) { message(answer.error); } else { location.reload(); }
        });
      });
    });
  }

  // --- card: FastTabs, menus, autosave ------------------------------------------------------------
  var status = document.querySelector(".save-state");
  function card() { return document.getElementById("card"); }
  function clientId() { return card() ? card().dataset.clientId : ""; }

  function save(data) {
    if (status) status.textContent = "Saving...";
    data.client_id = clientId();
    return post("card", data).then(function (answer) { return settle(answer, data); });
  }
  function settle(answer, data) {
    if (answer.html) card().outerHTML = answer.html;
    if (answer.client_id && answer.client_id !== data.client_id) {
      var url = new URL(location.href);
      url.searchParams.delete("mode");
      url.searchParams.set("bookmark", answer.client_id);
      history.replaceState(null, "", url.pathname + url.search);
      tellParent();
    }
    var next = Promise.resolve();
    if (answer.error) next = message(answer.error);
    else if (answer.message) next = message(answer.message);
    else if (answer.confirm) {
      next = confirmYesNo(answer.confirm).then(function (yes) {
        if (yes) { data.confirmed = true; return save(data); }
        if (status) status.textContent = "Saved";  // No: nothing changed
      });
    }
    if (status && !answer.confirm) status.textContent = "Saved";
    return next;
  }

  var committing = false;
  function commitPermissionSet(value) {
    var role = (value || "").trim();
    if (!role || committing) return;
    committing = true;
    var companyInput = document.querySelector("[data-ps=new-company]");
    save({ op: "add-permission-set", value: role, company: companyInput ? companyInput.value : "" })
      .finally(function () { committing = false; });
  }
  function lookup() { return document.getElementById("ps-lookup"); }
  function showLookup(inputEl) {
    var list = lookup();
    if (!list) return;
    var q = inputEl.value.trim().toUpperCase();
    list.hidden = false;
    inputEl.setAttribute("aria-expanded", "true");
    list.querySelectorAll("[role=option]").forEach(function (o) { o.hidden = q && o.dataset.value.indexOf(q) !== 0; });
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!card() || !card().contains(el)) return;
    if (el.dataset.field && !el.readOnly) {
      save({ op: "field", field: el.dataset.field, value: el.value });
    } else if (el.dataset.ps === "company") {
      var row = el.closest("tr");
      save({ op: "permission-set-company", role: row.dataset.role, old: row.dataset.company, value: el.value });
    }
  });
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (!card() || !card().contains(el) || event.key !== "Enter") return;
    if (el.dataset.ps === "role") {
      event.preventDefault();
      var active = lookup() && lookup().querySelector("[role=option][aria-selected=true]");
      commitPermissionSet(active ? active.dataset.value : el.value);
    } else if (el.tagName === "INPUT") {
      event.preventDefault();
      el.blur();
    }
  });
  document.addEventListener("input", function (event) {
    if (event.target.dataset && event.target.dataset.ps === "role") showLookup(event.target);
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.dataset && event.target.dataset.ps === "role") showLookup(event.target);
  });
  document.addEventListener("click", function (event) {
    var option = event.target.closest("#ps-lookup [role=option]");
    if (option) { commitPermissionSet(option.dataset.value); return; }
    var toggle = event.target.closest(".fasttab-toggle");
    if (toggle) {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", open ? "false" : "true");
      document.getElementById(toggle.getAttribute("aria-controls")).hidden = open;
      return;
    }
    var menuButton = event.target.closest("[aria-haspopup=menu]");
    if (menuButton) {
      var menu = document.getElementById(menuButton.getAttribute("aria-controls"));
      var expanded = menuButton.getAttribute("aria-expanded") === "true";
      menuButton.setAttribute("aria-expanded", expanded ? "false" : "true");
      menu.hidden = expanded;
      return;
    }
    var action = event.target.closest("[data-action]");
    if (!action) return;
    var name = action.dataset.action;
    if (name === "create-user" || name === "disable") { event.preventDefault(); save({ op: name }); }
    if (name === "grant-consent") {
      var m = action.closest("[role=menu]");
      if (m) { m.hidden = true; document.querySelector("[aria-controls=" + m.id + "]").setAttribute("aria-expanded", "false"); }
      grantConsent();
    }
  });

  // --- Grant Consent: popup to /common/adminconsent, result through OAuthLanding.htm ---------------
  function grantConsent() {
    post("consent", { client_id: clientId() }).then(function (answer) {
      if (answer.error) { message(answer.error); return; }
      var popup = window.open(answer.url, "bc-consent", "popup,width=620,height=720");
      dialog(answer.waiting, [], "").then(function (waiting) { poll(answer.state, popup, waiting, false); });
    });
  }
  function poll(state, popup, waiting, lastTry) {
    fetch(base + "/api/consent/" + encodeURIComponent(state), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (result) {
        if (result.done) { waiting.close(); finish(result.ok, result.message); return; }
        if (!popup || popup.closed) {
          if (lastTry) { waiting.close(); finish(false, "Failed to give consent."); return; }
          setTimeout(function () { poll(state, popup, waiting, true); }, 300);
          return;
        }
        setTimeout(function () { poll(state, popup, waiting, false); }, 400);
      });
  }
  function finish(ok, text) { message(text); }
})();
