// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  function pad(n) { return String(n).padStart(2, "0"); }

  function tick() {
    document.querySelectorAll("[data-countdown]").forEach(function (el) {
      var end = Date.parse(el.dataset.countdown);
      if (isNaN(end)) { return; }
      var left = Math.max(0, Math.floor((end - Date.now()) / 1000));
      var days = Math.floor(left / 86400);
      left %= 86400;
      var text = pad(Math.floor(left / 3600)) + ":" + pad(Math.floor((left % 3600) / 60)) + ":" + pad(left % 60);
      el.textContent = (days ? days + (el.dataset.daysLabel || "d") + " " : "") + text;
    });
  }

  // Buttons that need a second thought (withdraw, remove) ask first.
  document.addEventListener("submit", function (event) {
    var message = event.target.dataset.confirm;
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  // A table that scrolls sideways (a phone) can be scrolled from the keyboard.
  function focusableScrollers() {
    document.querySelectorAll(".table-responsive").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
      }
    });
  }
  window.addEventListener("resize", focusableScrollers);
  document.addEventListener("htmx:afterSettle", focusableScrollers);

  document.addEventListener("DOMContentLoaded", function () {
    focusableScrollers();
    tick();
    setInterval(tick, 1000);
  });
})();
