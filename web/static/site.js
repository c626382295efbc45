// Small enhancements only: the site works without this file.
(function () {
  "use strict";
  var body = document.body;
  var copiedLabel = body.getAttribute("data-copied-label") || "Link copied";

  function toClipboard(text, done) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else {
      fallback(text);
      done();
    }
  }

  function copy(text, button) {
    toClipboard(text, function () {
      button.textContent = copiedLabel;
      button.setAttribute("data-copied", "true");
      setTimeout(function () { button.textContent = button.getAttribute("data-label"); }, 2000);
    });
  }

  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    body.removeChild(area);
  }

  function wire(button, url) {
    button.setAttribute("data-label", button.textContent);
    button.addEventListener("click", function () { copy(url, button); });
  }

  document.querySelectorAll("button.copy-link[data-copy-url]").forEach(function (button) {
    wire(button, button.getAttribute("data-copy-url"));
  });

  // A section's link icon also copies the section's address; the browser still follows it.
  var page = document.querySelector("button.copy-link[data-copy-url]");
  if (page) {
    var base = page.getAttribute("data-copy-url");
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    body.appendChild(status);
    document.querySelectorAll(".article-body a.header-anchor").forEach(function (link) {
      link.addEventListener("click", function () {
        var url = base + "#" + encodeURIComponent(link.getAttribute("href").slice(1));
        toClipboard(url, function () {
          status.textContent = copiedLabel;
          link.setAttribute("data-copied", "true");
          setTimeout(function () { status.textContent = ""; link.removeAttribute("data-copied"); }, 2000);
        });
      });
    });
  }

  // Light or dark: the visitor's choice, remembered; until then the system's (the <head> script applies it).
  var root = document.documentElement;
  var toggle = document.querySelector(".theme-toggle");
  var systemDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function isDark() {
    var chosen = root.getAttribute("data-theme");
    return chosen ? chosen === "dark" : !!(systemDark && systemDark.matches);
  }
  function showTheme() {
    if (toggle) toggle.setAttribute("aria-pressed", String(isDark()));
  }
  if (toggle) {
    showTheme();
    toggle.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("theme", next); } catch (e) { /* private mode: this page only */ }
      showTheme();
    });
    if (systemDark && systemDark.addEventListener) systemDark.addEventListener("change", showTheme);
  }

  // Side navigation and contents: <details> that work without JavaScript, open by themselves on wide screens.
  document.querySelectorAll("details[data-wide-open]").forEach(function (box) {
    if (!window.matchMedia) return;
    var wide = window.matchMedia(box.getAttribute("data-wide") || "(min-width: 64rem)");
    var follow = function () { box.open = wide.matches; };
    follow();
    if (wide.addEventListener) wide.addEventListener("change", follow);
  });

  // The table of contents marks the section being read.
  var tocLinks = Array.prototype.slice.call(document.querySelectorAll(".toc a[href^='#']"));
  if (tocLinks.length && "IntersectionObserver" in window) {
    var byId = {};
    tocLinks.forEach(function (a) { byId[decodeURIComponent(a.getAttribute("href").slice(1))] = a; });
    var headings = tocLinks.map(function (a) {
      return document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
    }).filter(Boolean);
    var visible = {};
    var mark = function (id) {
      tocLinks.forEach(function (a) { a.removeAttribute("aria-current"); });
      if (id && byId[id]) byId[id].setAttribute("aria-current", "true");
    };
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { visible[entry.target.id] = entry.isIntersecting; });
      // The first heading in view; else the last one scrolled past.
      var current = null;
      for (var i = 0; i < headings.length; i++) {
        if (visible[headings[i].id]) { current = headings[i].id; break; }
      }
      if (!current) {
        for (var j = headings.length - 1; j >= 0; j--) {
          if (headings[j].getBoundingClientRect().top < 80) { current = headings[j].id; break; }
        }
      }
      mark(current);
    }, { rootMargin: "-70px 0px -55% 0px" });
    headings.forEach(function (h) { observer.observe(h); });
  }

  // "Was this helpful?": sent as JSON without leaving the page; the form posts as usual if that fails.
  document.querySelectorAll("form.feedback-form[data-api]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !event.submitter) return;
      event.preventDefault();
      var comment = form.querySelector("textarea");
      var vote = {
        id: form.getAttribute("data-id"),
        lang: form.getAttribute("data-lang"),
        helpful: event.submitter.value === "yes"
      };
      if (comment && comment.value.trim()) vote.comment = comment.value.trim();
      var answer = event.submitter.value;
      fetch(form.getAttribute("data-api"), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(vote)
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        var thanks = document.createElement("p");
        thanks.setAttribute("role", "status");
        thanks.textContent = form.getAttribute("data-thanks");
        form.parentNode.replaceChild(thanks, form);
      }).catch(function () {
        var field = document.createElement("input");
        field.type = "hidden";
        field.name = "helpful";
        field.value = answer;
        form.appendChild(field);
        form.submit();
      });
    });
  });

  // kb serve --reload (authors): reload when the content changes, or list what is wrong with it.
  var reloadUrl = body.getAttribute("data-reload");
  if (reloadUrl && window.fetch) {
    var known = null;
    var poll = function () {
      fetch(reloadUrl).then(function (r) { return r.json(); }).then(function (state) {
        var broken = state.problems.some(function (p) { return p.indexOf(": error: ") >= 0; });
        if (known !== null && state.version !== known && !broken) {
          window.location.reload();
          return;
        }
        known = state.version;
        var box = document.getElementById("reload-problems");
        if (!broken) {
          if (box) box.parentNode.removeChild(box);
          return;
        }
        box = box || document.createElement("div");
        box.id = "reload-problems";
        box.className = "notice reload-problems";
        box.setAttribute("role", "alert");
        box.textContent = "";
        var title = document.createElement("p");
        title.textContent = body.getAttribute("data-problems-label");
        var list = document.createElement("pre");
        list.dir = "ltr";
        list.textContent = state.problems.join("\n");
        box.appendChild(title);
        box.appendChild(list);
        if (!box.parentNode) body.insertBefore(box, body.firstChild);
      }).catch(function () { /* the server restarts: try again */ });
    };
    poll();
    setInterval(poll, 1000);
  }

  // "/" focuses the search box, unless the visitor is typing somewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    var box = document.getElementById("site-search");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
})();
