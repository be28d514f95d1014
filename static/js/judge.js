// Keyboard shortcuts for the judging page; the buttons work without them.
//   S or →  support      O or ←  oppose      N or space  skip      R  reason
(function () {
  "use strict";

  var KEYS = {
    s: "support", arrowright: "support",
    o: "oppose", arrowleft: "oppose",
    n: "skip", " ": "skip",
  };

  function card() { return document.getElementById("judge-card"); }

  function typing(target) {
    if (!target || !target.closest) { return false; }
    return Boolean(target.closest("input, textarea, select, [contenteditable=true]"));
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) { return; }
    var slot = card();
    var form = slot && slot.querySelector("form[data-judge-form]");
    if (!form) { return; }
    var key = event.key.toLowerCase();
    if (typing(event.target)) {
      // Escape leaves the reason box so the letters work again.
      if (key === "escape") { event.target.blur(); }
      return;
    }
    // A button with focus answers space and Enter itself.
    if (key === " " && event.target.closest && event.target.closest("button, a")) { return; }
    if (key === "r") {
      var reason = form.querySelector("[data-judge-reason]");
      if (reason) { event.preventDefault(); reason.focus(); }
      return;
    }
    var choice = KEYS[key];
    if (!choice) { return; }
    var button = form.querySelector('button[data-judge="' + choice + '"]');
    if (!button || button.disabled || form.classList.contains("htmx-request")) { return; }
    event.preventDefault();
    button.classList.add("active");
    // A click (not requestSubmit) is how htmx learns which button was pressed.
    button.click();
  });

  // Keep the ticking countdown's text across a swap, so the server's
  // "1 week, 3 days" does not flash until app.js ticks again.
  var countdownText = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var el = document.querySelector("#judge-progress [data-countdown]");
    countdownText = el ? el.textContent : null;
  });
  document.addEventListener("htmx:afterSwap", function () {
    var el = document.querySelector("#judge-progress [data-countdown]");
    if (el && countdownText) { el.textContent = countdownText; }
  });

  // The pressed button left with the old card: put focus on the new card
  // (not the page top), so screen readers announce it and the keys still work.
  document.addEventListener("htmx:afterSettle", function () {
    var slot = card();
    if (slot && (!document.activeElement || document.activeElement === document.body)) {
      slot.focus({ preventScroll: true });
    }
  });
})();
