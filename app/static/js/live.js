// The live link of a page: reconnect quickly, show a banner while the link is down, and
// take a fresh snapshot whenever something may have been missed (a gap in sequence numbers,
// a silent link, the phone waking up or coming back online).
(function () {
  "use strict";
  var RETRY_MAX_MS = 5000;
  var wrapper = null;       // the ws extension's socket wrapper of this page
  var current = null;       // the WebSocket that opened last
  var lastMessageAt = Date.now();
  var lastSeq = {};
  var banner = function () { return document.getElementById("link-banner"); };

  document.addEventListener("DOMContentLoaded", function () {
    htmx.config.wsReconnectDelay = function (retry) {
      return Math.min(RETRY_MAX_MS, 300 * Math.pow(2, retry)) * (0.5 + Math.random() / 2);
    };
    // Error answers carry a toast to show: let htmx swap them (out of band) too.
    htmx.config.responseHandling = [
      {code: "204", swap: false},
      {code: "[23]..", swap: true},
      {code: "[45]..", swap: true, error: true},
      {code: "...", swap: false}
    ];
    var link = document.getElementById("live-link");
    if (!link) return;
    var heartbeatMs = parseFloat(link.dataset.heartbeat || "15") * 1000;
    setInterval(function () {
      if (wrapper && Date.now() - lastMessageAt > heartbeatMs * 2.5) reconnect();
    }, Math.max(1000, heartbeatMs / 2));
  });

  function reconnect() {
    lastMessageAt = Date.now();
    if (wrapper) wrapper.reconnect();
  }

  // A page's own messages over its live link (a tag tapped while watching a case): queued by
  // the ws extension while the link is down and sent when it is back.
  window.kamLive = {
    send: function (message) {
      if (!wrapper) return false;
      wrapper.send(JSON.stringify(message));
      return true;
    }
  };

  function showBanner(show) {
    var el = banner();
    if (el) el.hidden = !show;
  }

  document.addEventListener("htmx:wsOpen", function (event) {
    wrapper = event.detail.socketWrapper;
    current = event.detail.event.target;
    lastMessageAt = Date.now();
    showBanner(false);
  });
  // A socket replaced while the phone was offline may only finish closing once it is back,
  // after its successor opened: that close says nothing about the link.
  document.addEventListener("htmx:wsClose", function (event) {
    if (event.detail.event.target === current) showBanner(true);
  });
  document.addEventListener("htmx:wsError", function () { showBanner(true); });

  document.addEventListener("htmx:wsBeforeMessage", function (event) {
    lastMessageAt = Date.now();
    var message = event.detail.message;
    if (message === "hb") { event.preventDefault(); return; }
    if (/data-snapshot/.test(message)) lastSeq = {};
    var re = /id="seq-(\w+)" data-seq="(\d+)"/g, match, gap = false;
    while ((match = re.exec(message))) {
      var role = match[1], seq = parseInt(match[2], 10);
      if (lastSeq[role] !== undefined && seq !== lastSeq[role] + 1) gap = true;
      lastSeq[role] = seq;
    }
    if (gap) { event.preventDefault(); lastSeq = {}; reconnect(); }
  });

  // A phone that slept or lost Wi-Fi: reconnect at once instead of waiting for a timer.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && Date.now() - lastMessageAt > 3000) reconnect();
  });
  window.addEventListener("online", reconnect);
  // Only a page with a live link says so; a page without one (the plan editor) has its own status.
  window.addEventListener("offline", function () {
    if (document.getElementById("live-link")) showBanner(true);
  });

  // An update must not undo what a person is in the middle of: <details id=...> keep their open
  // state, <select id=...> the option chosen (while it is still offered).
  var openDetails = [], chosen = {};
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    openDetails = [];
    chosen = {};
    if (!target) return;
    target.querySelectorAll("details[id][open]").forEach(function (d) { openDetails.push(d.id); });
    target.querySelectorAll("select[id]").forEach(function (s) { chosen[s.id] = s.value; });
  });
  document.addEventListener("htmx:oobAfterSwap", function () {
    openDetails.forEach(function (id) {
      var details = document.getElementById(id);
      if (details) details.open = true;
    });
    Object.keys(chosen).forEach(function (id) {
      var select = document.getElementById(id);
      if (select && Array.prototype.some.call(select.options, function (o) { return o.value === chosen[id]; })) {
        select.value = chosen[id];
      }
    });
    openDetails = [];
    chosen = {};
  });

  // A trainee's own part follows the room's stage in a message of its own: while it still
  // belongs to the activity before, it stays out of sight.
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    var id = event.detail.target && event.detail.target.id;
    if (id !== "play-stage" && id !== "play-own") return;
    var stage = document.getElementById("play-stage"), own = document.getElementById("play-own");
    if (stage && own) own.hidden = own.dataset.activity !== stage.dataset.activity;
  });

  // After the agenda is redrawn, keep the current activity in view.
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "control-main") return;
    var current = document.querySelector(".agenda li.current");
    if (current) current.scrollIntoView({block: "nearest"});
  });

  // Countdowns end at a moment on the server's clock (data-deadline). Every page and message
  // says what that clock reads (data-now), so a phone whose own clock is wrong still counts
  // down to the right moment, and so does a view rendered a while before it arrived. A long
  // one (a break) reads minutes and seconds (data-format="mmss").
  var clockOffset = 0;  // this device's clock less the server's
  function readServerClock(now) { if (now) clockOffset = Date.now() - parseInt(now, 10); }
  document.addEventListener("DOMContentLoaded", function () { readServerClock(document.body.dataset.now); });
  document.addEventListener("htmx:wsBeforeMessage", function (event) {
    var now = /data-now="(\d+)"/.exec(event.detail.message);
    if (now) readServerClock(now[1]);
  });
  setInterval(function () {
    var serverNow = Date.now() - clockOffset;
    document.querySelectorAll("[data-deadline]").forEach(function (el) {
      var left = Math.max(0, Math.ceil((parseFloat(el.dataset.deadline) - serverNow) / 1000));
      el.textContent = el.dataset.format === "mmss" ? Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2) : left;
    });
    // A countdown's bar: the share of its seconds still left, and low in the last five.
    document.querySelectorAll("[data-until]").forEach(function (el) {
      var left = Math.max(0, parseFloat(el.dataset.until) - serverNow) / 1000;
      el.style.setProperty("--left", Math.min(1, left / (parseFloat(el.dataset.seconds) || 1)).toFixed(3));
      el.classList.toggle("low", left <= 5);
    });
  }, 250);

  // Toasts (errors, notices) disappear by themselves.
  var toastTimer = null;
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (!event.detail.target || event.detail.target.id !== "toast") return;
    var el = document.getElementById("toast");
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { el.hidden = true; }, 6000);
  });
})();

// Times are stored in UTC: show them in the clock of the person reading.
(function () {
  "use strict";
  function localTimes(root) {
    (root || document).querySelectorAll("time[data-local-time]").forEach(function (el) {
      var moment = new Date(el.getAttribute("datetime"));
      if (isNaN(moment)) return;
      el.textContent = ("0" + moment.getHours()).slice(-2) + ":" + ("0" + moment.getMinutes()).slice(-2);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { localTimes(); });
  document.addEventListener("htmx:afterSettle", function (event) { localTimes(event.target); });
  // An out-of-band swap's target is the element it replaced, no longer in the page: look again
  // at the page itself (a websocket message swaps whole regions this way).
  document.addEventListener("htmx:oobAfterSwap", function () { localTimes(); });
})();

// Motion on what updates already carry. A region is replaced whole; for an element with an id
// that was there before, htmx first gives the new element the old attributes and then, as it
// settles, the new ones. An element marked data-motion that was there before is then marked
// "seen", so it does not play its entrance again; a bar (data-motion="grow") is laid out at its
// old width before it settles, so it moves to the new one. A verdict new to the phone buzzes
// once, except in WeChat and when motion is unwanted.
(function () {
  "use strict";
  var before = null, arrived = [], lastSwapped = null;
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var target = event.detail.target;
    before = before || {};
    if (target) target.querySelectorAll("[data-motion][id]").forEach(function (el) { before[el.id] = true; });
  });
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    // htmx tells "after swap" again, with the latest region's details, for each region swapped
    // earlier in the same message: one look per region is enough.
    if (!before || event.detail.target === lastSwapped) return;
    lastSwapped = event.detail.target;
    var region = lastSwapped && document.getElementById(lastSwapped.id);
    if (!region) return;
    var grows = false;
    region.querySelectorAll("[data-motion][id]").forEach(function (el) {
      arrived.push(el);
      grows = grows || (el.dataset.motion === "grow" && el.id in before);
    });
    if (grows) void region.offsetWidth;
  });
  function settled() {
    if (!before) return;
    arrived.forEach(function (el) {
      if (el.id in before) el.classList.add("seen");
      else buzz(el);
    });
    before = null;
    arrived = [];
    lastSwapped = null;
  }
  document.addEventListener("htmx:wsAfterMessage", settled);
  document.addEventListener("htmx:afterSettle", settled);
  var calm = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)");
  function buzz(el) {
    var verdict = el.dataset.buzz;
    if ((verdict !== "right" && verdict !== "wrong") || !navigator.vibrate) return;
    if (/MicroMessenger/i.test(navigator.userAgent) || (calm && calm.matches)) return;
    navigator.vibrate(verdict === "right" ? 60 : [40, 80, 40]);
  }
})();
