// Tap-to-order for the ranking activity: each tap gives an item the next place, "undo" takes the
// last one back, "start again" clears; the hidden `order` inputs are what the form posts.
// Clicks are caught on the document, so a form re-rendered by the server needs no set-up; a draft
// is kept in sessionStorage, so a reconnect (a fresh snapshot of the page) does not lose it.
(function () {
  "use strict";
  if (window.rankingTaps) return;  // htmx runs this again whenever the play view is swapped in
  window.rankingTaps = true;

  function map(nodes, fn) { return Array.prototype.map.call(nodes, fn); }
  function order(form) {  // the items placed so far, first place first
    return map(form.querySelectorAll("input[name=order]"), function (input) { return input.value; });
  }
  function items(form) {
    return map(form.querySelectorAll("[data-item]"), function (button) { return button.dataset.item; });
  }

  function show(form, ids) {
    var holder = form.querySelector("[data-order]");
    holder.textContent = "";
    ids.forEach(function (id) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = "order"; input.value = id;
      holder.appendChild(input);
    });
    var buttons = form.querySelectorAll("[data-item]");
    Array.prototype.forEach.call(buttons, function (button) {
      var place = ids.indexOf(button.dataset.item) + 1;
      button.setAttribute("aria-pressed", place ? "true" : "false");
      button.querySelector(".rank-place").textContent = place || "";
    });
    form.querySelector("[data-count]").textContent = ids.length;
    form.querySelector("[data-undo]").disabled = form.querySelector("[data-reset]").disabled = !ids.length;
    form.querySelector("[type=submit]").disabled = ids.length !== buttons.length;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("form[data-ranking] button[type=button]");
    if (!button) return;
    var form = button.form, ids = order(form), id = button.dataset.item;
    if (id && ids.indexOf(id) < 0) ids.push(id);
    else if (button.hasAttribute("data-undo")) ids.pop();
    else if (button.hasAttribute("data-reset")) ids = [];
    show(form, ids);
    try {
      sessionStorage.setItem("ranking:" + form.dataset.ranking, JSON.stringify(ids));
    } catch (e) { /* private browsing: no draft kept */ }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-ranking]");
    if (!form) return;
    try { sessionStorage.removeItem("ranking:" + form.dataset.ranking); } catch (e) { /* no draft kept */ }
  });

  function restore(root) {
    var form = root.querySelector && root.querySelector("form[data-ranking]");
    if (!form) return;
    var draft = null;
    try {
      draft = JSON.parse(sessionStorage.getItem("ranking:" + form.dataset.ranking));
    } catch (e) { /* no draft */ }
    if (!Array.isArray(draft)) return;
    var known = items(form);
    show(form, draft.filter(function (id, i) { return known.indexOf(id) >= 0 && draft.indexOf(id) === i; }));
  }
  document.addEventListener("htmx:load", function (event) { restore(event.target); });
  restore(document);
})();
