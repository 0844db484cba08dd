// The cockpit's "Print" links print the page (CSP: no inline handlers).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  document.querySelectorAll(".print-page").forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); window.print(); });
  });
});
