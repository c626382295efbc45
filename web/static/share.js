// Sharing and printing; the site works without this file.
(function () {
  "use strict";
  // The language switcher keeps the section being read: #signs is the warning signs in every language.
  function keepSection() {
    document.querySelectorAll(".language-switcher a[href]").forEach(function (link) {
      link.hash = window.location.hash;
    });
  }
  keepSection();
  window.addEventListener("hashchange", keepSection);

  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
