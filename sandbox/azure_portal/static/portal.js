// Azure portal twin: the shell's hash router (top document) and the blade widgets (top document or react frame).
"use strict";
(function () {
  const role = document.body.dataset.role;
  const top = () => (window.top && window.top.portal ? window.top.portal : null);
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const SERVICES = [
    ["App registrations", "#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade"],
    ["Microsoft Entra ID", "#view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/Overview"],
    ["Enterprise applications", "#view/Microsoft_AAD_IAM/ActiveDirectoryMenuBlade/~/Overview"],
    ["App Services", "#home"], ["Subscriptions", "#home"], ["Resource groups", "#home"],
  ];

  // ---------------------------------------------------------------- shell (top document only)
  let sequence = 0;

  function setTitle(text) { $("#fxs-blade-title").textContent = text; }

  function showCrumbs(crumbs) {
    $("#fxs-crumbs").innerHTML = "";
    for (const [text, hash] of crumbs) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = hash; a.textContent = text;
      li.appendChild(a); $("#fxs-crumbs").appendChild(li);
    }
  }

  function showMenu(items, label) {
    const nav = $("#fxs-resource-menu");
    const list = $("ul", nav);
    list.innerHTML = "";
    nav.hidden = items.length === 0;
    nav.setAttribute("aria-label", label || "Resource menu");
    for (const [caption, hash, current] of items) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.textContent = caption;
      if (hash) a.href = hash; else a.setAttribute("aria-disabled", "true");
      if (current) a.setAttribute("aria-current", "page");
      li.appendChild(a); list.appendChild(li);
    }
  }

  // Frames "clean": one visible active frame and one hidden pre-warmed sibling. Frames "prewarmed" (as the real
  // portal): two hidden pre-warmed frames that carry fxs-reactview-frame-active too.
  function topHost(layout, frames) {
    const host = $("#fxs-blade-host");
    if (layout === "top") {
      if (!$("#blade-content", host)) host.innerHTML = '<div class="fxs-blade-content" id="blade-content"></div>';
      return host;
    }
    if (!$("iframe", host)) {
      const hidden = frames === "prewarmed" ? "fxs-reactview-frame-active fxs-display-none" : "fxs-display-none";
      const prewarm = '<iframe class="fxs-reactview-frame ' + hidden + '" title="Blade content" src="/frame?route=prewarm"></iframe>';
      host.innerHTML = '<iframe class="fxs-reactview-frame fxs-reactview-frame-active" title="Blade content"></iframe>' +
        prewarm + (frames === "prewarmed" ? prewarm : "");
    }
    return host;
  }

  function showWelcome() {
    const backdrop = $("#fxs-welcome-backdrop");
    if (!backdrop || sessionStorage.getItem("fxs-welcome-dismissed")) return;
    backdrop.hidden = false;
    $('[data-welcome="later"]', backdrop).focus();
  }

  async function render() {
    const mine = ++sequence;
    const route = location.hash;
    setTitle("");
    $("#fxs-progress").hidden = false;
    let response;
    try {
      response = await fetch("/api/blade?route=" + encodeURIComponent(route), {credentials: "same-origin"});
    } catch (err) { $("#fxs-progress").hidden = true; toast("Error", "The portal could not be reached."); return; }
    if (response.status === 401) { signIn(); return; }
    const data = await response.json();
    if (mine !== sequence) return;  // a newer navigation won
    showCrumbs(data.crumbs); showMenu(data.menu, data.menuLabel);
    const host = topHost(data.layout, data.frames);
    const done = () => {
      if (mine !== sequence) return;
      setTitle(data.title); $("#fxs-progress").hidden = true;
      showWelcome();  // the first-login dialog comes once the portal has drawn its first blade
    };
    if (data.layout === "top") {
      $("#blade-content", host).innerHTML = data.html;
      done();
      return;
    }
    // iframe layout: load a hidden (pre-warmed) frame, then swap it with the visible one. "prewarmed": the next
    // frame is "active" while it still loads hidden, and the frame it replaces keeps the class once hidden.
    const next = $("iframe.fxs-display-none", host);
    const prev = $("iframe.fxs-reactview-frame:not(.fxs-display-none)", host);
    if (data.frames === "prewarmed") next.classList.add("fxs-reactview-frame-active");
    next.onload = () => {
      if (mine !== sequence) return;
      next.classList.remove("fxs-display-none"); next.classList.add("fxs-reactview-frame-active");
      if (prev && prev !== next) {
        prev.classList.add("fxs-display-none");
        if (data.frames !== "prewarmed") prev.classList.remove("fxs-reactview-frame-active");
      }
      done();
    };
    next.src = data.frame;
  }

  function signIn() {
    sessionStorage.setItem("fxs-return-hash", location.hash);
    location.replace("/signin");
  }

  function navigate(hash) {
    if (location.hash === hash) render(); else location.hash = hash;
  }

  function toast(title, description) {
    const box = document.createElement("div");
    box.className = "fxs-toast"; box.setAttribute("role", "status");
    box.innerHTML = '<div class="fxs-toast-title"></div><div class="fxs-toast-description"></div>' +
      '<button type="button" class="fxs-toast-close" aria-label="Dismiss toast notification">&#x2715;</button>';
    $(".fxs-toast-title", box).textContent = title;
    $(".fxs-toast-description", box).textContent = description;
    $(".fxs-toast-close", box).addEventListener("click", () => box.remove());
    $("#fxs-toasts").appendChild(box);
    setTimeout(() => box.remove(), 15000);
  }

  function initSearch() {
    const input = $("#fxs-search");
    const list = $("#fxs-search-results");
    const close = () => { list.hidden = true; input.setAttribute("aria-expanded", "false"); };
    const go = (hash) => { close(); input.value = ""; navigate(hash); };
    input.disabled = false;  // the shell is interactive only once this script runs, like the real SPA
    input.addEventListener("input", () => {
      const text = input.value.trim().toLowerCase();
      list.innerHTML = "";
      const hits = text ? SERVICES.filter(([name]) => name.toLowerCase().includes(text)) : [];
      hits.forEach(([name, hash], i) => {
        const li = document.createElement("li");
        li.setAttribute("role", "option"); li.id = "fxs-search-opt-" + i; li.textContent = name;
        li.setAttribute("aria-selected", i === 0 ? "true" : "false");
        li.addEventListener("click", () => go(hash));
        list.appendChild(li);
      });
      list.hidden = hits.length === 0;
      input.setAttribute("aria-expanded", hits.length ? "true" : "false");
    });
    input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter") { const first = $('[role="option"]', list); if (first) first.click(); }
      if (ev.key === "Escape") close();
    });
    document.addEventListener("keydown", (ev) => {
      if (ev.key === "/" && document.activeElement !== input && !/INPUT|TEXTAREA/.test(document.activeElement.tagName)) {
        ev.preventDefault(); input.focus();
      }
    });
  }

  if (role === "shell") {
    window.portal = {navigate, toast, render, signIn};
    const saved = sessionStorage.getItem("fxs-return-hash");
    sessionStorage.removeItem("fxs-return-hash");
    if (!location.hash && saved) history.replaceState(null, "", "/" + saved);
    initSearch();
    window.addEventListener("hashchange", render);
    render();
  }

  // ---------------------------------------------------------------- blade widgets (shell and frames)
  const portal = () => top() || {navigate: (h) => { window.top.location.hash = h; }, toast: () => {}, signIn: () => {}};

  function content() { return $("#blade-content"); }

  function openDialog(id) {
    const backdrop = document.getElementById(id + "-backdrop");
    if (!backdrop) return;
    backdrop.hidden = false;
    const first = $("input:not([type=hidden]), button:not([disabled])", backdrop);
    if (first) first.focus();
  }

  function closeDialog(id) {
    const backdrop = document.getElementById(id + "-backdrop");
    if (backdrop) backdrop.hidden = true;
  }

  async function post(url, body, busy) {
    if (busy) busy.disabled = true;
    const area = content();
    if (area) area.setAttribute("aria-busy", "true");
    let response;
    try {
      response = await fetch(url, {method: "POST", body: body || new FormData(), credentials: "same-origin"});
    } catch (err) {
      portal().toast("Error", "The request failed. Try again.");
      if (busy) busy.disabled = false;
      if (area) area.removeAttribute("aria-busy");
      return;
    }
    if (response.status === 401) { portal().signIn(); return; }
    const data = await response.json();
    if (area) area.removeAttribute("aria-busy");
    if (busy) busy.disabled = false;
    if (data.error) { portal().toast("Error", data.error); return; }
    if (data.html !== undefined && area) area.innerHTML = data.html;
    if (data.toast) portal().toast(data.toast.title, data.toast.description);
    if (data.navigate) portal().navigate(data.navigate);
  }

  function selectOption(option) {
    const box = option.closest(".fxc-dropdown");
    const button = $('[role="combobox"]', box);
    $$('[role="option"]', box).forEach((o) => o.setAttribute("aria-selected", o === option ? "true" : "false"));
    $(".fxc-dropdown-value", button).textContent = option.textContent;
    $('input[type="hidden"]', box).value = option.dataset.value;
    toggleList(button, false);
    button.focus();
    if (button.id === "expires") {
      const custom = document.getElementById("custom-dates");
      if (custom) custom.hidden = option.dataset.value !== "custom";
    }
  }

  function toggleList(button, open) {
    const list = document.getElementById(button.getAttribute("aria-controls"));
    list.hidden = !open;
    button.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) {
      $$('[role="option"]', list).forEach((o) => o.setAttribute("tabindex", "-1"));
      const current = $('[aria-selected="true"]', list) || $('[role="option"]', list);
      if (current) current.focus();
    }
  }

  // The older drop-down: a div showing the choice, its items div[role=treeitem] in a tree popup.
  function toggleTree(field, open) {
    const tree = document.getElementById(field.dataset.tree);
    tree.hidden = !open;
    if (open) { const current = $('[aria-selected="true"]', tree) || $('[role="treeitem"]', tree); if (current) current.focus(); }
  }

  function selectTreeItem(item) {
    const box = item.closest(".azc-dropdown");
    const field = $("[data-tree]", box);
    $$('[role="treeitem"]', box).forEach((i) => i.setAttribute("aria-selected", i === item ? "true" : "false"));
    $(".azc-dropdown-value", field).textContent = item.textContent;
    $('input[type="hidden"]', box).value = item.dataset.value;
    toggleTree(field, false);
    field.focus();
    if (field.id === "expires") {
      const custom = document.getElementById("custom-dates");
      if (custom) custom.hidden = item.dataset.value !== "custom";
    }
  }

  function chooseKind(card) {
    const pane = card.closest(".fxs-pane-step");
    $$(".fxs-kind-card", pane).forEach((c) => c.setAttribute("aria-pressed", c === card ? "true" : "false"));
    const form = $("#req-form", pane);
    form.hidden = false;
    form.elements.kind.value = card.dataset.kind;
    $$(".fxc-perm-list", form).forEach((table) => {
      const shown = table.dataset.kind === card.dataset.kind;
      table.hidden = !shown;
      if (!shown) $$('input[type="checkbox"]', table).forEach((c) => { c.checked = false; });
    });
    updateAddButton(form);
  }

  function updateAddButton(form) {
    const add = $("#req-add", form);
    if (add) add.disabled = !$$('input[type="checkbox"]:checked', form).length;
  }

  document.addEventListener("click", (ev) => {
    const target = ev.target.closest("button, a, [role=option], [role=tab], [role=treeitem], [role=button], li[title], [data-tree]");
    if (!target || !target.matches("[data-tree], [role=treeitem]")) {
      $$(".azc-dropdown-popup:not([hidden])").forEach((t) => { t.hidden = true; });
    }
    if (!target) {
      $$('.fxc-dropdown [role="combobox"][aria-expanded="true"]').forEach((b) => toggleList(b, false));
      return;
    }
    if (target.dataset.welcome) {
      sessionStorage.setItem("fxs-welcome-dismissed", target.dataset.welcome);
      $("#fxs-welcome-backdrop").hidden = true; return;
    }
    if (target.matches(".azc-dropdown [role=treeitem]")) { selectTreeItem(target); return; }
    if (target.matches("[data-tree]")) {
      toggleTree(target, document.getElementById(target.dataset.tree).hidden); return;
    }
    if (target.matches(".fxc-dropdown [role=option]")) { selectOption(target); return; }
    if (target.matches('.fxc-dropdown [role="combobox"]')) {
      toggleList(target, target.getAttribute("aria-expanded") !== "true"); return;
    }
    if (target.matches('[role="tab"]')) {
      const list = target.closest('[role="tablist"]');
      $$('[role="tab"]', list).forEach((t) => {
        const on = t === target;
        t.setAttribute("aria-selected", on ? "true" : "false"); t.tabIndex = on ? 0 : -1;
        document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
      });
      return;
    }
    if (role === "frame" && target.matches('a[href^="#"]') && target.getAttribute("href").length > 1) {
      ev.preventDefault(); portal().navigate(target.getAttribute("href")); return;
    }
    if (target.dataset.navigate) { portal().navigate(target.dataset.navigate); return; }
    if (target.dataset.opens) { openDialog(target.dataset.opens); return; }
    if (target.dataset.close) { closeDialog(target.dataset.close); return; }
    if (target.dataset.post) { post(target.dataset.post, null, target); return; }
    if (target.dataset.confirmDelete) {
      const yes = document.getElementById("del-secret-yes");
      yes.dataset.post = yes.dataset.postBase + target.dataset.confirmDelete + "/delete";
      document.getElementById("del-secret-text").textContent =
        "Are you sure you want to delete the client secret '" + target.dataset.description + "'?";
      openDialog("del-secret"); return;
    }
    if (target.dataset.copy !== undefined) {
      if (navigator.clipboard) navigator.clipboard.writeText(target.dataset.copy).catch(() => {});
      portal().toast("Copied", "Copied to clipboard"); return;
    }
    if (target.dataset.paneStep) {
      const step = document.getElementById(target.dataset.paneStep);
      $$(".fxs-pane-step", step.parentElement).forEach((s) => { s.hidden = s !== step; });
      return;
    }
    if (target.classList.contains("fxs-kind-card")) { chooseKind(target); }
  });

  document.addEventListener("keydown", (ev) => {
    const el = ev.target;
    if (el.matches && el.matches('.fxc-dropdown [role="combobox"]') && ["ArrowDown", "Enter", " "].includes(ev.key)) {
      ev.preventDefault(); toggleList(el, true); return;
    }
    if (el.matches && el.matches("[data-tree]") && ["ArrowDown", "Enter", " "].includes(ev.key)) {
      ev.preventDefault(); toggleTree(el, true); return;
    }
    if (el.matches && el.matches(".azc-dropdown [role=treeitem]") && ["Enter", " "].includes(ev.key)) {
      ev.preventDefault(); selectTreeItem(el); return;
    }
    if (el.matches && el.matches(".fxc-dropdown [role=option]")) {
      const options = $$('[role="option"]', el.parentElement);
      const i = options.indexOf(el);
      if (ev.key === "ArrowDown" && options[i + 1]) { ev.preventDefault(); options[i + 1].focus(); }
      if (ev.key === "ArrowUp" && options[i - 1]) { ev.preventDefault(); options[i - 1].focus(); }
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); selectOption(el); }
      if (ev.key === "Escape") {
        const button = $('[role="combobox"]', el.closest(".fxc-dropdown"));
        toggleList(button, false); button.focus();
      }
    }
  });

  document.addEventListener("change", (ev) => {
    const el = ev.target;
    if (el.dataset && el.dataset.enables) document.getElementById(el.dataset.enables).disabled = !el.checked;
    const form = el.closest && el.closest("#req-form");
    if (form) updateAddButton(form);
  });

  document.addEventListener("input", (ev) => {
    const el = ev.target;
    if (!el.dataset || !el.dataset.filter) return;
    const text = el.value.trim().toLowerCase();
    $$("tbody tr", document.getElementById(el.dataset.filter)).forEach((row) => {
      row.hidden = text !== "" && !row.textContent.toLowerCase().includes(text);
    });
  });

  document.addEventListener("submit", (ev) => {
    const form = ev.target;
    if (!form.dataset.action) return;
    ev.preventDefault();
    post(form.dataset.action, new FormData(form), $('[type="submit"]', form));
  });
})();
