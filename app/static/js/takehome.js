// The take-home page's "copy link" button. A server on the room's network is plain http, where
// phones offer no clipboard API: copying the selected field is what works there (and in WeChat).
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var field = document.getElementById(button.dataset.copy);
    var status = document.getElementById("th-copied");
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    if (!copied && navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { status.textContent = status.dataset.done; });
      return;
    }
    // Not copied: the link stays selected, for the phone's own long-press "copy".
    status.textContent = copied ? status.dataset.done : status.dataset.failed;
  });
})();
