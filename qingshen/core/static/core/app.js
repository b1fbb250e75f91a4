// A form submits once: the first click disables its submit buttons until the page changes,
// so a double click never creates two of anything.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.submitted === "1") { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  form.querySelectorAll("button[type=submit], input[type=submit]").forEach((b) => {
    b.classList.add("disabled");
    b.setAttribute("aria-disabled", "true");
  });
});
// Pages restored from the back/forward cache can be submitted again.
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-submitted]").forEach((f) => {
    delete f.dataset.submitted;
    f.querySelectorAll(".disabled[aria-disabled]").forEach((b) => { b.classList.remove("disabled"); b.removeAttribute("aria-disabled"); });
  });
});
// Ask before destructive actions: <form data-confirm="确定停用该账号吗？">
document.addEventListener("submit", (event) => {
  const message = event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
    event.stopImmediatePropagation();
    delete event.target.dataset.submitted;
  }
}, true);
// A choice that changes what the page shows (which indicator system's table to fill):
// <select data-reload-with="system"> reloads the page with ?system=<value>.
// Restoring a draft (drafts.js) fires change events too; reloading then would throw the
// restored values away, so those are ignored.
document.addEventListener("change", (event) => {
  if (event.detail && event.detail.draftRestore) return;
  const name = event.target.dataset && event.target.dataset.reloadWith;
  if (!name) return;
  const url = new URL(window.location.href);
  url.searchParams.set(name, event.target.value);
  window.location.assign(url.toString());
});
