// Small enhancements only: the site works without this file.
(function () {
  "use strict";
  var body = document.body;
  var copyLabel = body.getAttribute("data-copy-label") || "Copy link";
  var copiedLabel = body.getAttribute("data-copied-label") || "Link copied";

  function copy(text, button) {
    var done = function () {
      button.textContent = copiedLabel;
      button.setAttribute("data-copied", "true");
      setTimeout(function () { button.textContent = button.getAttribute("data-label"); }, 2000);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
    } else {
      fallback(text);
      done();
    }
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
    button.hidden = false;
    button.addEventListener("click", function () { copy(url, button); });
  }

  document.querySelectorAll("button.copy-link[data-copy-url]").forEach(function (button) {
    wire(button, button.getAttribute("data-copy-url"));
  });

  var page = document.querySelector("button.copy-link[data-copy-url]");
  if (page) {
    var base = page.getAttribute("data-copy-url");
    document.querySelectorAll(".article-body h2[id]").forEach(function (heading) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "heading-copy";
      button.textContent = copyLabel;
      button.setAttribute("aria-label", copyLabel + ": " + heading.textContent.replace(/#\s*$/, "").trim());
      heading.appendChild(button);
      wire(button, base + "#" + encodeURIComponent(heading.id));
    });
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
