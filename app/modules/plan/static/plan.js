// The plan editor: nothing typed is ever lost.
// - Every change goes at once into a draft in this browser (localStorage), then is saved to the
//   server after a short pause; one save at a time, the newest text each time.
// - A save that fails (no network, server restarting) is retried until it lands; the draft
//   survives a closed tab or a dead phone and is sent when the page is opened again.
// - When the page is hidden or closed, the pending text goes out with sendBeacon.
// - Each save says which version it started from; if another device saved in between, the
//   server refuses and the page shows both choices instead of overwriting anything.
(function () {
  "use strict";
  var root = document.getElementById("plan-editor");
  if (!root) return;
  var data = JSON.parse(document.getElementById("plan-data").textContent);
  var text = data.text;
  var SAVE_AFTER_MS = 800, RETRY_MIN_MS = 1000, RETRY_MAX_MS = 10000, LOCKED_RETRY_MS = 15000;
  var key = root.dataset.key;
  var state = {
    base: data.version,        // the server version this page's text builds on
    device: randomId(),        // this page, as the server knows it
    seq: 0,                    // this page's saves so far
    edits: 0,                  // changes typed so far...
    savedEdits: 0,             // ...and how many of them the server has confirmed
    inflight: false, timer: null, retryMs: RETRY_MIN_MS, stopped: null  // "conflict" | "locked"
  };

  function randomId() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // ---- the form <-> the plan's body ----------------------------------------------------------
  function list(name) { return root.querySelector('[data-list="' + name + '"]'); }

  function collect() {
    var body = {};
    root.querySelectorAll("[data-top]").forEach(function (el) { body[el.dataset.top] = el.value; });
    ["people", "objectives"].forEach(function (name) {
      body[name] = Array.prototype.map.call(list(name).children, function (row) {
        var item = {};
        row.querySelectorAll("[data-item]").forEach(function (el) { item[el.dataset.item] = el.value; });
        return item;
      });
    });
    return body;
  }

  function apply(body) {
    root.querySelectorAll("[data-top]").forEach(function (el) {
      el.value = body[el.dataset.top] == null ? "" : body[el.dataset.top];
    });
    ["people", "objectives"].forEach(function (name) {
      var box = list(name);
      box.innerHTML = "";
      (body[name] || []).forEach(function (item) { fillRow(addRow(name), item); });
    });
    renderMessages();
    showLadderFields();
  }

  function addRow(name) {
    var row = document.getElementById("tpl-" + name).content.firstElementChild.cloneNode(true);
    list(name).appendChild(row);
    return row;
  }

  function fillRow(row, item) {
    row.querySelectorAll("[data-item]").forEach(function (el) {
      el.value = item[el.dataset.item] == null ? "" : item[el.dataset.item];
    });
  }

  // The communication section has one key message per person of the decision-making unit,
  // with that person's style's tips beside it; the text lives in the person's row. Blocks are
  // updated in place, so a field being typed in is never replaced under the cursor.
  function renderMessages() {
    var box = document.getElementById("plan-messages");
    var people = list("people").children;
    while (box.children.length > people.length) box.lastElementChild.remove();
    while (box.children.length < people.length) box.appendChild(messageBlock());
    Array.prototype.forEach.call(people, function (row, index) {
      var block = box.children[index];
      var who = row.querySelector('[data-item="who"]').value || "#" + (index + 1);
      var role = row.querySelector('[data-item="role"]').value;
      var style = data.styles[row.querySelector('[data-item="style"]').value];
      block.querySelector("[data-whom]").textContent = who + (role ? " · " + role : "") + (style ? " · " + style.name : "");
      var area = block.querySelector("[data-message]");
      if (area !== document.activeElement) area.value = row.querySelector('[data-item="message"]').value;
      showTips(block.querySelector("[data-tips]"), style);
    });
    document.getElementById("plan-no-people").hidden = people.length > 0;
  }

  function messageBlock() {
    var block = document.getElementById("tpl-message").content.firstElementChild.cloneNode(true);
    var area = block.querySelector("[data-message]");
    area.addEventListener("input", function () {
      var index = Array.prototype.indexOf.call(block.parentNode.children, block);
      list("people").children[index].querySelector('[data-item="message"]').value = area.value;
      changed();
    });
    return block;
  }

  function showTips(tips, style) {
    tips.hidden = !style;
    var ul = tips.querySelector("ul");
    ul.innerHTML = "";
    if (!style) return;
    tips.querySelector("[data-tips-title]").textContent = text.tips.replace("{style}", style.name);
    style.tips.forEach(function (tip) {
      var li = document.createElement("li");
      li.textContent = tip;
      ul.appendChild(li);
    });
  }

  function showLadderFields() {
    Array.prototype.forEach.call(list("objectives").children, function (row) {
      var ladder = row.querySelector('[data-item="kind"]').value === "ladder";
      row.querySelectorAll("[data-ladder]").forEach(function (el) { el.hidden = !ladder; });
    });
  }

  function showGuidance(guidance) {
    document.getElementById("plan-meter").value = guidance.percent;
    document.getElementById("plan-percent").textContent = guidance.percent + "%";
    root.querySelectorAll(".plan-nav [data-section]").forEach(function (link) {
      var done = !!guidance.sections[link.dataset.section];
      link.classList.toggle("done", done);
    });
    var missing = document.getElementById("plan-missing");
    missing.innerHTML = "";
    guidance.missing.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = item;
      missing.appendChild(li);
    });
    document.getElementById("plan-all-done").hidden = guidance.missing.length > 0;
    Array.prototype.forEach.call(list("objectives").children, function (row, index) {
      var problems = guidance.smart[index] || [];
      var ul = row.querySelector("[data-smart]");
      ul.innerHTML = "";
      problems.forEach(function (p) {
        var li = document.createElement("li");
        li.textContent = p;
        ul.appendChild(li);
      });
      row.querySelector("[data-smart-ok]").hidden = problems.length > 0 || guidance.smart[index] === undefined;
    });
  }

  // ---- the draft in this browser ---------------------------------------------------------------
  function keepDraft() {
    try {
      localStorage.setItem(key, JSON.stringify({
        body: collect(), base: state.base, device: state.device, seq: state.seq,
        dirty: state.edits > state.savedEdits, at: Date.now()
      }));
    } catch (e) { /* storage full or disabled: the server copy is still being saved */ }
  }

  function readDraft() {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  // ---- saving ----------------------------------------------------------------------------------
  function status(message, kind) {
    var el = document.getElementById("plan-status");
    el.textContent = message;
    el.dataset.kind = kind;
  }

  function banner(message, conflict) {
    document.getElementById("plan-banner").hidden = !message;
    document.getElementById("plan-banner-text").textContent = message || "";
    document.getElementById("plan-conflict-actions").hidden = !conflict;
  }

  function changed() {
    state.edits += 1;
    if (state.stopped === "invalid") { state.stopped = null; banner(""); }  // the next try may pass
    keepDraft();
    if (!state.stopped) status(text.unsaved, "unsaved");
    schedule(SAVE_AFTER_MS);
  }

  function schedule(ms) {
    clearTimeout(state.timer);
    state.timer = setTimeout(flush, ms);
  }

  function saveForm(body) {
    var form = new FormData();
    form.append("body", JSON.stringify(body));
    form.append("base", state.base);
    form.append("device", state.device);
    form.append("seq", state.seq);
    form.append("csrf_token", root.dataset.csrf);
    return form;
  }

  function flush() {
    if (state.inflight || state.stopped || state.edits === state.savedEdits) return;
    state.inflight = true;
    var edits = state.edits, body = collect();
    state.seq += 1;
    keepDraft();
    status(text.saving, "saving");
    fetch(root.dataset.save, {method: "POST", body: saveForm(body), credentials: "same-origin"})
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (answer) {
          return {status: response.status, answer: answer};
        });
      })
      .then(function (result) { handle(result.status, result.answer, edits); })
      .catch(function () { offline(); })
      .then(function () {
        state.inflight = false;
        if (state.edits > state.savedEdits && !state.stopped) schedule(state.retryMs);
      });
  }

  function handle(code, answer, edits) {
    if (code === 200) {
      state.base = answer.version;
      state.savedEdits = Math.max(state.savedEdits, edits);
      state.retryMs = RETRY_MIN_MS;
      state.stopped = null;
      banner("");
      keepDraft();
      if (answer.guidance) showGuidance(answer.guidance);
      if (state.edits === state.savedEdits) status(text.saved + " " + clock(answer.saved_at), "saved");
    } else if (code === 409 && answer.conflict) {
      conflict(answer);
    } else if (code === 423) {
      locked(answer.message);
    } else if (code >= 400 && code < 500 && answer.message) {
      // Bad input (a field too long): say which; keep the draft and try again after the next edit.
      state.stopped = "invalid";
      status(text.unsaved, "unsaved");
      banner(answer.message, false);
    } else {
      offline();
    }
  }

  // Locked by the facilitator: keep the text here and try again now and then.
  function locked(message) {
    state.stopped = "locked";
    status(text.unsaved, "unsaved");
    banner(message || text.locked, false);
    if (state.lockTimer) return;
    state.lockTimer = setTimeout(function () {
      state.lockTimer = null;
      state.stopped = null;
      banner("");
      flush();
    }, LOCKED_RETRY_MS);
  }

  function offline() {
    status(text.offline, "offline");
    state.retryMs = Math.min(RETRY_MAX_MS, state.retryMs * 2);
  }

  function conflict(answer) {
    state.stopped = "conflict";
    state.theirs = answer;
    status(text.unsaved, "conflict");
    banner(text.conflict.replace("{time}", clock(answer.saved_at)), true);
  }

  document.getElementById("plan-keep-mine").addEventListener("click", function () {
    state.base = state.theirs.version;  // my text, knowingly, on top of theirs
    state.stopped = null;
    banner("");
    state.edits += 1;
    flush();
  });
  document.getElementById("plan-take-theirs").addEventListener("click", function () {
    apply(state.theirs.body);  // mine stays on the server as a restore point
    state.base = state.theirs.version;
    state.stopped = null;
    state.savedEdits = state.edits;
    banner("");
    keepDraft();
    status(text.saved, "saved");
  });

  function clock(iso) {
    var moment = iso ? new Date(iso) : new Date();
    return ("0" + moment.getHours()).slice(-2) + ":" + ("0" + moment.getMinutes()).slice(-2);
  }

  // A page being hidden or closed may never run a timer again: send what is pending now.
  function sendNow() {
    if (state.edits === state.savedEdits || state.stopped || !navigator.sendBeacon) return;
    state.seq += 1;
    keepDraft();
    navigator.sendBeacon(root.dataset.save, saveForm(collect()));
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") sendNow();
    else flush();
  });
  window.addEventListener("pagehide", sendNow);
  function linkBack() { state.retryMs = RETRY_MIN_MS; flush(); }
  window.addEventListener("online", linkBack);
  // The room's link (live.js) opened again: the server is back, so save now, not after a backoff.
  document.addEventListener("htmx:wsOpen", linkBack);

  // ---- editing ---------------------------------------------------------------------------------
  root.addEventListener("input", function (event) {
    if (event.target.matches("[data-message]")) return;  // handled with its person's row
    if (event.target.closest('[data-list="people"]')) renderMessagesSoon();
    changed();
  });
  root.addEventListener("change", function (event) {
    if (event.target.matches('[data-item="kind"]')) showLadderFields();
    if (event.target.closest('[data-list="people"]')) renderMessages();
  });
  root.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add]");
    var remove = event.target.closest("[data-remove]");
    if (add) {
      var name = add.dataset.add;
      if (list(name).children.length >= parseInt(list(name).dataset.max, 10)) return;
      var row = addRow(name);
      if (name === "objectives") showLadderFields();
      renderMessages();
      row.querySelector("input, select, textarea").focus();
      changed();
    } else if (remove) {
      remove.closest(".plan-row").remove();
      renderMessages();
      changed();
    }
  });
  var messagesTimer = null;
  function renderMessagesSoon() {
    clearTimeout(messagesTimer);
    messagesTimer = setTimeout(renderMessages, 400);
  }

  // ---- start: the server's text, or this browser's newer draft ----------------------------------
  function start() {
    var draft = readDraft();
    if (root.dataset.restored) { draft = null; localStorage.removeItem(key); banner(text.restored, false); }
    apply(data.body);
    showGuidance(data.guidance);
    if (draft && draft.dirty) {
      var same = JSON.stringify(draft.body) === JSON.stringify(collect());
      if (!same) {
        apply(draft.body);
        state.device = draft.device;  // this page continues that page's saves
        state.seq = draft.seq;
        state.base = draft.base;
        state.edits = 1;
        status(text.unsaved, "unsaved");
        if (draft.base !== data.version && draft.device !== data.device) {
          conflict({version: data.version, body: data.body, saved_at: null});
        } else {
          banner(text.draft, false);
          flush();
        }
      }
    }
    keepDraft();
    if (data.locked) locked(text.locked);
  }
  start();

  // The room, heard over the play view's link (live.js): when the trainer moves on from plan
  // writing, say where, with one tap to go. Nothing typed is touched; it goes on being saved.
  var moved = document.getElementById("plan-moved");
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var swapped = event.detail.target, stage = document.getElementById("play-stage");
    if (!moved || !swapped || swapped.id !== "play-stage" || !stage) return;  // the new element
    var elsewhere = stage.dataset.activity !== root.dataset.activity;
    document.getElementById("plan-moved-to").textContent = stage.dataset.title || "";
    moved.hidden = !elsewhere;
  });
})();
