// Half-filled forms survive a session timeout, a refresh or a closed tab.
//
// A form that carries data-draft="<key>" (e.g. project-start-12-basic) is copied to the
// browser's localStorage as the user types. When the page shows the form again and the stored
// copy differs from what the server rendered, a bar offers 恢复 (put the typed values back) or
// 放弃. A copy is dropped when the server shows the same values, or once a submit of it went
// through: the next page confirms it (a success message, no error). A timed-out session sends
// the post to the login page, which confirms nothing, so the copy stays for the form's return.
// Drafts are keyed by account, and signing out (a form with data-clear-drafts) removes them.
(() => {
  const PREFIX = "qingshen-draft:";
  const user = document.body.dataset.user || "";
  const storageKey = (key) => `${PREFIX}${user}:${key}`;
  // Hidden inputs are the server's (stamps, versions, one-time tokens, formset counts): a copy
  // never carries them back, or a restored draft would look stale, or spent, or miscounted.
  const skipped = (el) => !el.name || ["file", "password", "hidden"].includes(el.type) || el.name === "csrfmiddlewaretoken";

  const read = (form) => {
    const fields = {};
    for (const el of form.elements) {
      if (skipped(el) || ((el.type === "checkbox" || el.type === "radio") && !el.checked)) continue;
      if (el.tagName === "SELECT" && el.multiple) {
        fields[el.name] = Array.from(el.selectedOptions, (o) => o.value);
        continue;
      }
      (fields[el.name] ||= []).push(el.value);
    }
    return fields;
  };
  const write = (form, fields) => {
    const seen = {};
    for (const el of form.elements) {
      if (skipped(el)) continue;
      const values = fields[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") el.checked = values.includes(el.value);
      else if (el.tagName === "SELECT" && el.multiple) Array.from(el.options).forEach((o) => { o.selected = values.includes(o.value); });
      else {
        const index = seen[el.name] = (seen[el.name] ?? -1) + 1;
        if (index < values.length) el.value = values[index];
      }
      // marked, so handlers can tell a restore from a person's change (app.js: data-reload-with)
      el.dispatchEvent(new CustomEvent("change", { bubbles: true, detail: { draftRestore: true } }));
    }
  };
  const same = (a, b) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
  const load = (key) => { try { return JSON.parse(localStorage.getItem(storageKey(key))); } catch { return null; } };
  const save = (key, draft) => { try { localStorage.setItem(storageKey(key), JSON.stringify(draft)); } catch { /* full or blocked */ } };
  const drop = (key) => localStorage.removeItem(storageKey(key));

  // A submit that went through (the next page confirms it and shows no error): forget its copy.
  const confirmed = user && !location.pathname.startsWith("/accounts/login")
    && document.querySelector(".alert-success") !== null
    && document.querySelector(".is-invalid, .invalid-feedback, .alert-danger") === null;
  if (confirmed) {
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const name = localStorage.key(i);
      if (!name || !name.startsWith(`${PREFIX}${user}:`)) continue;
      const key = name.slice(`${PREFIX}${user}:`.length);
      const draft = load(key);
      if (draft && draft.submittedAt) localStorage.removeItem(name);
    }
  }

  // Forms on the page, and forms htmx swaps in later (an in-place row edit).
  const bind = (root) => {
    const forms = root.matches?.("form[data-draft]") ? [root] : Array.from(root.querySelectorAll?.("form[data-draft]") ?? []);
    forms.filter((form) => !form.dataset.draftBound).forEach(watch);
  };
  document.addEventListener("htmx:load", (event) => bind(event.detail.elt));
  bind(document);

  function watch(form) {
    form.dataset.draftBound = "1";
    const key = form.dataset.draft;
    const rendered = read(form);
    const stored = load(key);
    if (stored && stored.fields && !same(stored.fields, rendered)) offer(form, key, stored);
    else if (stored) drop(key);
    const keep = () => save(key, { savedAt: Date.now(), fields: read(form) });
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    form.addEventListener("submit", () => save(key, { savedAt: Date.now(), submittedAt: Date.now(), fields: read(form) }));
  }

  function offer(form, key, stored) {
    const bar = document.createElement("div");
    bar.className = "alert alert-info draft-offer d-flex align-items-center gap-2";
    bar.setAttribute("role", "status");
    const time = new Date(stored.savedAt).toLocaleString("zh-CN", { hour12: false });
    const text = document.createElement("div");
    text.className = "me-auto";
    text.textContent = `发现您在 ${time} 未保存的填写内容。`;
    const restore = Object.assign(document.createElement("button"), { type: "button", className: "btn btn-primary btn-sm", textContent: "恢复" });
    const discard = Object.assign(document.createElement("button"), { type: "button", className: "btn btn-sm", textContent: "放弃" });
    restore.addEventListener("click", () => { write(form, stored.fields); bar.remove(); save(key, { savedAt: Date.now(), fields: read(form) }); });
    discard.addEventListener("click", () => { drop(key); bar.remove(); });
    bar.append(text, restore, discard);
    form.prepend(bar);
  }

  document.addEventListener("submit", (event) => {
    if (!event.target.matches("form[data-clear-drafts]")) return;
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const name = localStorage.key(i);
      if (name && name.startsWith(`${PREFIX}${user}:`)) localStorage.removeItem(name);
    }
  });
})();
