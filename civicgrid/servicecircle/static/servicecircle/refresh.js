// An analysis or recommendation that is queued or running: show how long it has been waiting or computing, ask
// the server every few seconds, and reload the page by itself when the status has changed (done or failed).
(function () {
  "use strict";

  function init() {
    var box = document.querySelector("[data-refresh-while]");
    if (!box) { return; }
    var waiting = box.getAttribute("data-refresh-while").split(" ");
    var status = box.getAttribute("data-status");
    var since = Date.parse(box.getAttribute("data-since"));
    var clock = box.querySelector("[data-elapsed]");
    var every = Number(box.getAttribute("data-every") || 3000);

    function tick() {
      if (!clock || isNaN(since)) { return; }
      var seconds = Math.max(0, Math.round((Date.now() - since) / 1000));
      var minutes = Math.floor(seconds / 60);
      clock.textContent = (minutes ? minutes + " " + clock.getAttribute("data-min") + " " : "") +
        (seconds % 60) + " " + clock.getAttribute("data-sec");
    }

    function poll() {
      fetch(window.location.href, {credentials: "same-origin", headers: {"Accept": "text/html"}})
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-refresh-while]");
          var now = fresh ? fresh.getAttribute("data-status") : "";
          if (!fresh || waiting.indexOf(now) < 0) { window.location.reload(); return; }
          if (now !== status) {  // queued → running: show the new stage without leaving the page
            box.replaceWith(fresh);
            init();
            return;
          }
          window.setTimeout(poll, every);
        })
        .catch(function () { window.setTimeout(poll, every * 2); });
    }

    tick();
    window.setInterval(tick, 1000);
    window.setTimeout(poll, every);
  }

  document.addEventListener("DOMContentLoaded", init);
})();
