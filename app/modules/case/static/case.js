// Case analysis (the `case` kind): the case's clock on every page, taps sent over the live
// link, the projector's player following the server and reporting where it is, and the control
// page's video upload.
(function () {
  "use strict";
  var REPORT_MS = 250;

  function clock() { return document.getElementById("case-clock"); }

  // The clock as rendered, counted on from when this page received it (never the phone's own
  // wall clock, which may be wrong).
  function position(el) {
    if (!el) return 0;
    if (!el.dataset.received) el.dataset.received = Date.now();
    var at = parseFloat(el.dataset.at || "0");
    if (el.dataset.playing === "true") at += (Date.now() - parseFloat(el.dataset.received)) / 1000;
    var duration = parseFloat(el.dataset.duration || "0");
    return duration > 0 ? Math.min(at, duration) : at;
  }

  function mmss(seconds) {
    seconds = Math.max(0, Math.floor(seconds));
    return Math.floor(seconds / 60) + ":" + ("0" + (seconds % 60)).slice(-2);
  }

  setInterval(function () {
    var el = clock();
    if (!el || el.dataset.source !== "video") return;
    var now = position(el);
    document.querySelectorAll("[data-case-time]").forEach(function (t) { t.textContent = mmss(now); });
    var seek = document.querySelector(".case-seek input[type=range]");  // unless being dragged
    if (seek && document.activeElement !== seek && el.dataset.playing === "true") seek.value = now;
  }, 250);

  // ---- phones: tags ----
  // A tap is kept on the phone until the phone's tag list shows it: a link that dropped while
  // it travelled gets it again when it reconnects (the key makes the server keep it once).
  var PENDING = "kam-case-taps";
  function pending() {
    try { return JSON.parse(localStorage.getItem(PENDING) || "{}"); } catch (e) { return {}; }
  }
  function keep(taps) {
    try { localStorage.setItem(PENDING, JSON.stringify(taps)); } catch (e) { /* private mode */ }
  }
  function confirmed() {
    var taps = pending(), changed = false;
    Object.keys(taps).forEach(function (key) {
      var old = Date.now() - taps[key].sentAt > 10 * 60 * 1000;
      if (old || document.querySelector('[data-key="' + key + '"]')) { delete taps[key]; changed = true; }
    });
    if (changed) keep(taps);
  }
  function resend() {
    var taps = pending();
    Object.keys(taps).forEach(function (key) {
      if (taps[key].tries >= 5) return;
      taps[key].tries += 1;
      window.kamLive.send(taps[key].message);
    });
    keep(taps);
  }
  // The phone's tag list is in the trainee's own part of the play view.
  document.addEventListener("htmx:oobAfterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "play-own") confirmed();
  });
  document.addEventListener("htmx:wsOpen", function () { setTimeout(resend, 300); });

  document.addEventListener("click", function (event) {
    var tap = event.target.closest("[data-case-tap]"), undo = event.target.closest("[data-case-undo]");
    if (!(tap || undo) || !window.kamLive || !clock()) return;
    var activity = clock().dataset.activity;
    var message;
    if (tap) {
      var box = document.querySelector(".case-comment");
      message = {action: "tag", activity: activity, tag: tap.dataset.caseTap,
                 comment: box ? box.value : "", seen: Math.round(position(clock()) * 100) / 100,
                 key: Date.now().toString(36) + Math.random().toString(36).slice(2, 8)};
      var taps = pending();
      taps[message.key] = {message: message, sentAt: Date.now(), tries: 0};
      keep(taps);
    } else {
      message = {action: "untag", activity: activity, n: parseInt(undo.dataset.caseUndo, 10)};
    }
    if (window.kamLive.send(message)) {
      var button = tap || undo;
      button.classList.add("is-sent");
      setTimeout(function () { button.classList.remove("is-sent"); }, 700);
    }
  });

  // ---- the projector: follow the server, report what the player shows ----
  var applied = {rev: -1, video: null};
  var starting = 0;  // when a play was asked for: its "paused" is not news yet
  var reporting = false;

  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"]; } catch (e) { return ""; }
  }

  function player() { return document.querySelector("[data-case-video]"); }

  function start(video) {
    starting = Date.now();
    var promise = video.play();
    if (promise && promise.catch) {
      promise.catch(function () {  // the browser wants a click on the page first
        var button = document.querySelector("[data-case-start]");
        if (button) button.hidden = false;
      });
    }
  }

  function seek(video, at) {
    if (video.readyState >= 1) { video.currentTime = at; return; }
    video.addEventListener("loadedmetadata", function () { video.currentTime = at; }, {once: true});
  }

  function follow() {
    var el = clock(), video = player();
    if (!el || !video || !el.dataset.report) return;
    var rev = parseInt(el.dataset.rev, 10), playing = el.dataset.playing === "true";
    if (rev !== applied.rev || applied.video !== video) {
      applied = {rev: rev, video: video};
      watch(video);
      seek(video, position(el));
      if (playing) start(video); else video.pause();
    } else if (playing === video.paused && !video.ended && !video.seeking) {
      if (playing) start(video); else video.pause();
    }
  }

  function report(video) {
    var el = clock();
    if (!el || !el.dataset.report || reporting || video.readyState < 1 || applied.video !== video) return;
    var playing = !video.paused && !video.ended;
    if (!playing && Date.now() - starting < 1500 && !video.ended) return;
    reporting = true;
    fetch(el.dataset.report, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf()},
      body: JSON.stringify({rev: applied.rev, at: video.currentTime, playing: playing,
                            duration: isFinite(video.duration) ? video.duration : null})
    }).catch(function () {}).then(function () { reporting = false; });
  }

  function watch(video) {
    if (video.dataset.watched) return;
    video.dataset.watched = "1";
    ["pause", "ended", "seeked", "loadedmetadata", "playing"].forEach(function (name) {
      video.addEventListener(name, function () { report(video); });
    });
  }

  setInterval(function () {
    var video = player();
    if (video && !video.paused) report(video);
  }, REPORT_MS);

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-case-start]");
    if (!button) return;
    button.hidden = true;
    var video = player();
    if (video) start(video);
  });

  document.addEventListener("DOMContentLoaded", follow);
  document.addEventListener("htmx:oobAfterSwap", follow);
  document.addEventListener("htmx:afterSettle", follow);

  // ---- the control page: upload the case's video ----
  document.addEventListener("click", function (event) {
    var send = event.target.closest("[data-case-send]");
    if (!send) return;
    var box = send.closest("[data-case-upload]");
    var file = box.querySelector("[data-case-file]").files[0];
    var status = box.querySelector("[data-case-status]");
    if (!file) return;
    var xhr = new XMLHttpRequest();
    xhr.open("POST", box.dataset.caseUpload);
    xhr.setRequestHeader("X-CSRF-Token", csrf());
    xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
    xhr.upload.onprogress = function (e) {
      if (e.lengthComputable) status.textContent = status.dataset.sending + " " + Math.round(100 * e.loaded / e.total) + "%";
    };
    xhr.onload = function () {
      var answer = {};
      try { answer = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
      status.textContent = xhr.status === 200 ? status.dataset.done : (answer.error || xhr.statusText);
      status.classList.toggle("error", xhr.status !== 200);
      send.disabled = false;
    };
    xhr.onerror = function () { status.textContent = status.dataset.failed || "✕"; send.disabled = false; };
    send.disabled = true;
    status.classList.remove("error");
    status.textContent = status.dataset.sending;
    xhr.send(file);
  });
})();
