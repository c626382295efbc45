// Reader's progress, remembered in this browser only (localStorage): nothing is sent to the server.
// Articles read, the warning signs ticked on each article, the reading list being made and the last
// path or list step visited. The pages work without this file; it only adds marks and shortcuts.
(function () {
  "use strict";
  var KEYS = { read: "kb-read", signs: "kb-signs", list: "kb-list", last: "kb-last" };

  function load(key, empty) {
    try {
      var value = JSON.parse(window.localStorage.getItem(key));
      return value && typeof value === "object" ? value : empty;
    } catch (e) {
      return empty;
    }
  }

  function save(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage off: nothing kept */ }
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, name) { return String(values[name]); });
  }

  function isRead(id) { return Boolean(load(KEYS.read, {})[id]); }

  function setRead(id, read) {
    var all = load(KEYS.read, {});
    if (read) all[id] = Date.now(); else delete all[id];
    save(KEYS.read, all);
    refresh();
  }

  // The progress bar of a path or a reading list, and read marks in its steps (and in a step's side navigation).
  function refresh() {
    document.querySelectorAll(".progress[data-steps]").forEach(function (box) {
      var steps = box.getAttribute("data-steps").split(",").filter(Boolean);
      var done = steps.filter(isRead).length;
      box.hidden = false;
      box.querySelector("progress").value = done;
      box.querySelector(".progress-text").textContent = fill(box.getAttribute("data-label"), { n: done, m: steps.length });
    });
    document.querySelectorAll(".path-steps > li[data-article], .step-list > li[data-article]").forEach(function (item) {
      var read = isRead(item.getAttribute("data-article"));
      item.classList.toggle("is-read", read);
      var mark = item.querySelector(".read-mark");
      if (read && !mark) {
        var box = item.closest("ol, ul");
        var label = document.querySelector("[data-read-label]");
        mark = document.createElement("span");
        mark.className = "read-mark";
        mark.textContent = "✓ " + (label ? label.getAttribute("data-read-label") : "");
        item.querySelector("a").after(mark);
        if (box) box.classList.add("has-marks");
      } else if (!read && mark) {
        mark.remove();
      }
    });
    var tools = document.querySelector(".article-tools[data-article]");
    if (tools) {
      var id = tools.getAttribute("data-article");
      var status = tools.querySelector(".read-status");
      var button = tools.querySelector(".mark-read");
      var read = isRead(id);
      status.textContent = status.getAttribute(read ? "data-read" : "data-unread");
      button.textContent = button.getAttribute(read ? "data-unmark" : "data-mark");
      button.setAttribute("aria-pressed", String(read));
    }
  }

  document.querySelectorAll(".progress-reset").forEach(function (button) {
    button.addEventListener("click", function () {
      var steps = button.closest(".progress").getAttribute("data-steps").split(",");
      var all = load(KEYS.read, {});
      steps.forEach(function (id) { delete all[id]; });
      save(KEYS.read, all);
      refresh();
    });
  });

  // An article: read when its end is reached or "mark as read" is pressed.
  var tools = document.querySelector(".article-tools[data-article]");
  if (tools) {
    var id = tools.getAttribute("data-article");
    tools.querySelector(".read-state").hidden = false;
    tools.querySelector(".mark-read").addEventListener("click", function () { setRead(id, !isRead(id)); });
    if (tools.hasAttribute("data-path")) {
      save(KEYS.last, { path: tools.getAttribute("data-path"), article: id });
    }
    if ("IntersectionObserver" in window) {
      var seen = false;
      var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          // Reached the end after scrolling (not an article short enough to end on screen at once).
          if (entry.isIntersecting && (seen || window.scrollY > 0)) {
            if (!isRead(id)) setRead(id, true);
            observer.disconnect();
          }
          seen = true;
        });
      });
      observer.observe(tools);
    }
    wireList(tools, id);
    wireSigns(tools, id);
  }

  // "Add to my list": the list being made, for the list maker's form.
  function wireList(tools, id) {
    var button = tools.querySelector(".add-to-list");
    var link = tools.querySelector(".my-list");
    var show = function () {
      var list = load(KEYS.list, []);
      var inList = list.indexOf(id) >= 0;
      button.textContent = button.getAttribute(inList ? "data-remove" : "data-add");
      button.setAttribute("aria-pressed", String(inList));
      link.textContent = fill(link.getAttribute("data-label"), { n: list.length });
      link.hidden = list.length === 0;
    };
    button.addEventListener("click", function () {
      var list = load(KEYS.list, []).filter(function (x) { return x !== id; });
      if (list.length === load(KEYS.list, []).length) list.push(id);
      save(KEYS.list, list.slice(0, 30));
      show();
    });
    show();
  }

  // The warning-sign checkboxes of an article, remembered, and a link to the health check with them ticked.
  function wireSigns(tools, id) {
    // The n-th top-level task-list item is the article's n-th warning sign.
    var boxes = Array.prototype.slice.call(
      document.querySelectorAll(".article-body > ul > li.task-list-item > label > input[type=checkbox]")
    );
    var link = tools.querySelector(".open-check");
    if (!boxes.length || !link) return;
    var base = link.getAttribute("href");
    var show = function () {
      var ticked = (load(KEYS.signs, {})[id] || []).slice().sort(function (a, b) { return a - b; });
      boxes.forEach(function (box, i) { box.checked = ticked.indexOf(i + 1) >= 0; });
      link.closest(".signs-check").hidden = ticked.length === 0;
      link.href = base + "?" + ticked.map(function (n) { return "sign=" + encodeURIComponent(id + "." + n); }).join("&");
    };
    boxes.forEach(function (box, i) {
      box.disabled = false;
      box.addEventListener("change", function () {
        var all = load(KEYS.signs, {});
        var ticked = (all[id] || []).filter(function (n) { return n !== i + 1; });
        if (box.checked) ticked.push(i + 1);
        if (ticked.length) all[id] = ticked; else delete all[id];
        save(KEYS.signs, all);
        show();
      });
    });
    show();
  }

  // The list maker: articles added with "Add to my list" start ticked, in the order they were added.
  var form = document.querySelector("form.list-form");
  if (form) {
    var list = load(KEYS.list, []);
    var choices = form.querySelector(".list-choices");
    list.slice().reverse().forEach(function (id) {
      var box = document.getElementById("pick-" + id);
      if (!box) return;
      box.checked = true;
      choices.insertBefore(box.closest("li"), choices.firstChild);
    });
    form.addEventListener("submit", function () { save(KEYS.list, []); });
  }

  // Home: "continue where you left off", the step after the last one visited (or it, if unread).
  var resume = document.getElementById("continue");
  if (resume) {
    var last = load(KEYS.last, null);
    var pathItem = last && resume.querySelector("li[data-path='" + String(last.path).replace(/[^a-z0-9-]/g, "") + "']");
    if (pathItem) {
      var steps = pathItem.getAttribute("data-steps").split(",");
      var at = Math.max(steps.indexOf(last.article), 0);
      var next = steps.slice(at).filter(function (s) { return !isRead(s); })[0] || steps.filter(function (s) { return !isRead(s); })[0];
      var titleOf = resume.querySelector("li[data-article='" + next + "']");
      if (next && titleOf) {
        var a = resume.querySelector(".continue-link");
        a.href = "/" + resume.getAttribute("data-lang") + "/" + next + "?path=" + encodeURIComponent(last.path);
        a.textContent = titleOf.getAttribute("data-title");
        resume.querySelector(".continue-path").textContent = "· " + pathItem.getAttribute("data-title");
        resume.hidden = false;
      }
    }
  }

  refresh();
})();
