// Instant search: suggestions under the header's search box while typing (an ARIA combobox).
// Without this file the box is a plain GET form to the search page.
(function () {
  "use strict";
  var form = document.querySelector("form.search-form[data-suggest]");
  var box = document.getElementById("site-search");
  if (!form || !box || !window.fetch || !window.AbortController) return;

  var DELAY = 120; // ms after the last keystroke
  var api = form.getAttribute("data-suggest");
  var lang = form.getAttribute("data-lang");
  var allLabel = form.getAttribute("data-suggest-all");
  var otherLabel = form.getAttribute("data-suggest-other");
  var noneLabel = form.getAttribute("data-suggest-none");

  var panel = document.createElement("div");
  panel.className = "suggest-panel";
  panel.hidden = true;
  var empty = document.createElement("p");
  empty.className = "suggest-empty";
  empty.textContent = noneLabel;
  var list = document.createElement("div");
  list.id = "site-search-suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", form.getAttribute("data-suggest-label"));
  panel.appendChild(empty);
  panel.appendChild(list);
  form.appendChild(panel);

  box.setAttribute("role", "combobox");
  box.setAttribute("aria-autocomplete", "list");
  box.setAttribute("aria-controls", list.id);
  box.setAttribute("aria-expanded", "false");
  box.setAttribute("autocomplete", "off");
  box.setAttribute("aria-keyshortcuts", "/ Control+K Meta+K");

  var timer = null;
  var pending = null; // the AbortController of the request under way
  var options = [];
  var active = -1;
  var shown = null; // the text the panel shows suggestions for

  function open() {
    panel.hidden = false;
    box.setAttribute("aria-expanded", "true");
  }

  function close() {
    panel.hidden = true;
    box.setAttribute("aria-expanded", "false");
    box.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    if (active >= 0 && options[active]) {
      options[active].classList.remove("is-active");
      options[active].setAttribute("aria-selected", "false");
    }
    active = index;
    if (index < 0) {
      box.removeAttribute("aria-activedescendant");
      return;
    }
    var option = options[index];
    option.classList.add("is-active");
    option.setAttribute("aria-selected", "true");
    box.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  function go(option) {
    var url = option.getAttribute("data-url");
    close();
    if (url) window.location.assign(url);
    else form.submit();
  }

  function option(id, className) {
    var el = document.createElement("div");
    el.id = id;
    el.className = "suggest-option " + className;
    el.setAttribute("role", "option");
    el.setAttribute("aria-selected", "false");
    el.addEventListener("mousedown", function (event) { event.preventDefault(); }); // keep the box focused
    el.addEventListener("click", function () { go(el); });
    return el;
  }

  function render(text, results) {
    list.textContent = "";
    options = [];
    active = -1;
    var groups = [];
    var byCategory = {};
    results.forEach(function (hit) {
      var key = hit.category ? hit.category.id : "";
      if (!byCategory[key]) {
        byCategory[key] = { title: hit.category ? hit.category.title : otherLabel, hits: [] };
        groups.push(byCategory[key]);
      }
      byCategory[key].hits.push(hit);
    });
    groups.forEach(function (group, g) {
      var el = document.createElement("div");
      el.className = "suggest-group";
      el.setAttribute("role", "group");
      el.setAttribute("aria-labelledby", "suggest-group-" + g);
      var title = document.createElement("div");
      title.id = "suggest-group-" + g;
      title.className = "suggest-group-title";
      title.textContent = group.title;
      el.appendChild(title);
      group.hits.forEach(function (hit) {
        var item = option("suggest-option-" + options.length, "suggest-hit");
        item.setAttribute("data-url", hit.url);
        var name = document.createElement("span");
        name.className = "suggest-title";
        name.textContent = hit.title;
        item.appendChild(name);
        if (hit.section) {
          var section = document.createElement("span");
          section.className = "suggest-section";
          section.textContent = hit.section.title;
          item.appendChild(section);
        }
        options.push(item);
        el.appendChild(item);
      });
      list.appendChild(el);
    });
    var all = option("suggest-option-all", "suggest-all");
    var parts = allLabel.split("{query}");
    all.appendChild(document.createTextNode(parts[0]));
    var query = document.createElement("bdi");
    query.textContent = text;
    all.appendChild(query);
    all.appendChild(document.createTextNode(parts.slice(1).join("")));
    options.push(all);
    list.appendChild(all);
    empty.hidden = results.length > 0;
    shown = text;
    open();
  }

  function request() {
    var text = box.value;
    if (pending) pending.abort();
    pending = null;
    if (!text.trim()) {
      close();
      shown = null;
      return;
    }
    var controller = new AbortController();
    pending = controller;
    var url = api + "?lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(text);
    fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        if (pending !== controller) return; // a newer request was sent meanwhile
        pending = null;
        if (document.activeElement === box && box.value === text) render(text, data.results);
      })
      .catch(function () { /* aborted, or the server is busy: the form still works */ });
  }

  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(request, DELAY);
  });

  box.addEventListener("focus", function () {
    if (shown !== null && shown === box.value && box.value.trim()) open();
  });

  box.addEventListener("blur", function () { close(); });

  box.addEventListener("keydown", function (event) {
    var isOpen = !panel.hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!isOpen) {
        if (shown !== null && shown === box.value) open();
        else request();
        event.preventDefault();
        return;
      }
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = active < 0 ? (step > 0 ? 0 : options.length - 1) : (active + step + options.length) % options.length;
      highlight(next);
    } else if (event.key === "Enter") {
      if (isOpen && active >= 0) {
        event.preventDefault();
        go(options[active]);
      }
    } else if (event.key === "Escape") {
      if (isOpen) {
        event.preventDefault();
        close();
      }
    } else if (event.key === "Tab") {
      close();
    }
  });

  // Ctrl-K or Cmd-K focuses the search box from anywhere ("/" is site.js's).
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && (event.key === "k" || event.key === "K")) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });
})();
