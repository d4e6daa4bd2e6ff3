// Progressive enhancements of the public answer forms and of the back-office creation forms;
// every form works without them.
(() => {
  "use strict";

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));

  // Bring the error summary into view and focus, so screen readers read it first.
  function focusErrorSummary() {
    const summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    summary.addEventListener("click", (event) => {
      const link = event.target.closest("a[href^='#']");
      if (!link) return;
      const target = document.getElementById(link.getAttribute("href").slice(1));
      const visible = target && target.closest("[hidden]") === null ? target : rankProxy(target);
      if (!visible) return;
      event.preventDefault();
      const context = visible.closest("fieldset, .form-row, .fx-rank-item, .fx-ranking") || visible;
      context.scrollIntoView({ block: "start" });
      visible.focus({ preventScroll: true });
    });
  }

  // A rank <select> hidden behind the ordered list: point at the list item's button instead.
  function rankProxy(select) {
    if (!select) return null;
    return document.querySelector(`[data-rank-for="${select.id}"] button`);
  }

  function countCharacters(textarea) {
    const counter = document.getElementById(textarea.dataset.counter);
    if (!counter) return;
    const limit = Number(textarea.getAttribute("maxlength"));
    // French treats 0 and 1 as singular, English only 1 (CLDR).
    const french = document.documentElement.lang === "fr";
    const update = () => {
      const n = limit - textarea.value.length;
      const one = n === 1 || (french && n === 0);
      counter.textContent = fill(one ? counter.dataset.templateOne : counter.dataset.template, { n });
    };
    counter.hidden = false;
    textarea.addEventListener("input", update);
    update();
  }

  // The ranking: an ordered list with up/down buttons (and drag and drop) fills the selects.
  // An untouched list is not a ranking: the selects stay empty (the answer is sent without
  // one) until the colleague moves a pillar or confirms the order shown.
  function enhanceRanking(box) {
    const rows = Array.from(box.querySelectorAll("[data-rank-row]"));
    const status = box.querySelector("[data-rank-status]");
    const state = box.querySelector("[data-rank-state]");
    const confirm = box.querySelector("[data-rank-confirm]");
    const total = rows.length;
    const selectOf = (row) => row.querySelector("select");
    const ranks = rows.map((row) => Number(selectOf(row).value));
    const complete = [...ranks].sort((a, b) => a - b).every((r, i) => r === i + 1);
    const ordered = complete ? [...rows].sort((a, b) => Number(selectOf(a).value) - Number(selectOf(b).value)) : rows;
    let touched = complete; // a ranking sent before (the form came back with an error)

    const list = document.createElement("ol");
    list.className = "fx-rank-list";
    list.setAttribute("aria-describedby", "rank-js-intro");
    ordered.forEach((row) => list.appendChild(makeItem(row)));
    box.querySelector("[data-rank-fallback]").hidden = true;
    box.querySelector("[data-rank-nojs]").hidden = true;
    box.querySelectorAll("[data-rank-js]").forEach((element) => { element.hidden = false; });
    box.querySelector("[data-rank-fallback]").after(list);
    if (!touched) rows.forEach((row) => { selectOf(row).value = ""; });
    sync();
    confirm.addEventListener("click", () => {
      touched = true;
      sync();
      status.textContent = state.textContent;
    });

    function makeItem(row) {
      const name = row.dataset.name;
      const item = document.createElement("li");
      item.className = "fx-rank-item";
      item.draggable = true;
      item.dataset.rankFor = selectOf(row).id;
      item.rankRow = row;
      item.innerHTML =
        '<span class="fx-rank-pos" aria-hidden="true"></span><span class="fx-rank-name"></span>' +
        '<span class="fx-rank-buttons"><button type="button" class="btn fx-rank-btn" data-move="-1">↑</button>' +
        '<button type="button" class="btn fx-rank-btn" data-move="1">↓</button></span>';
      item.querySelector(".fx-rank-name").textContent = name;
      item.querySelector('[data-move="-1"]').setAttribute("aria-label", fill(box.dataset.moveUp, { name }));
      item.querySelector('[data-move="1"]').setAttribute("aria-label", fill(box.dataset.moveDown, { name }));
      return item;
    }

    function items() {
      return Array.from(list.children);
    }

    function sync() {
      state.textContent = touched ? state.dataset.confirmed : state.dataset.untouched;
      confirm.setAttribute("aria-pressed", String(touched));
      items().forEach((item, index) => {
        if (touched) selectOf(item.rankRow).value = String(index + 1);
        item.querySelector(".fx-rank-pos").textContent = String(index + 1);
        item.querySelector('[data-move="-1"]').setAttribute("aria-disabled", String(index === 0));
        item.querySelector('[data-move="1"]').setAttribute("aria-disabled", String(index === total - 1));
      });
    }

    function announce(item) {
      const position = items().indexOf(item) + 1;
      status.textContent = fill(box.dataset.moved, { name: item.rankRow.dataset.name, n: position, total });
      item.classList.add("fx-just-moved");
      setTimeout(() => item.classList.remove("fx-just-moved"), 600);
    }

    function move(item, step) {
      const all = items();
      const target = all.indexOf(item) + step;
      if (target < 0 || target >= all.length) return;
      if (step < 0) list.insertBefore(item, all[target]);
      else list.insertBefore(item, all[target].nextSibling);
      touched = true;
      sync();
      announce(item);
    }

    list.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-move]");
      if (!button) return;
      move(button.closest("li"), Number(button.dataset.move));
      button.focus();
    });

    let dragged = null;
    list.addEventListener("dragstart", (event) => {
      dragged = event.target.closest("li");
      if (!dragged) return;
      dragged.classList.add("fx-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", dragged.dataset.rankFor);
    });
    list.addEventListener("dragover", (event) => {
      const over = event.target.closest("li");
      if (!dragged || !over) return;
      event.preventDefault();
      items().forEach((item) => item.classList.toggle("fx-drop-target", item === over && item !== dragged));
    });
    list.addEventListener("drop", (event) => {
      const over = event.target.closest("li");
      if (!dragged || !over || over === dragged) return;
      event.preventDefault();
      const all = items();
      const before = all.indexOf(dragged) > all.indexOf(over) ? over : over.nextSibling;
      list.insertBefore(dragged, before);
      touched = true;
      sync();
      announce(dragged);
    });
    list.addEventListener("dragend", () => {
      items().forEach((item) => item.classList.remove("fx-dragging", "fx-drop-target"));
      dragged = null;
    });
  }

  // A key (slug) from a name, the rules of services/slugs.py: accents folded, lower case,
  // words joined by hyphens, a letter first, at most 63 characters.
  const LIGATURES = { "œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l" };
  function slugify(name, fallback) {
    const folded = name
      .toLowerCase()
      .replace(/[œæßøđł]/g, (c) => LIGATURES[c])
      .normalize("NFKD")
      .replace(/\p{M}/gu, "");
    let slug = folded.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (!/^[a-z]/.test(slug)) slug = `${fallback || "item"}-${slug}`.replace(/-+$/, "");
    if (slug.length <= 63) return slug;
    const cut = slug.slice(0, 63);
    const hyphen = cut.lastIndexOf("-");
    return hyphen > 31 ? cut.slice(0, hyphen) : cut;
  }

  // <input data-slug-from="name other"> follows the first non-empty of those fields until the
  // user types a key of their own. A key still as derived is sent empty, so the server picks
  // one that is free in the workspace (it adds -2, -3… when the name's key is taken).
  function deriveKey(key) {
    const sources = key.dataset.slugFrom.split(" ").map((id) => document.getElementById(id)).filter(Boolean);
    if (!sources.length) return;
    const derived = () => {
      const name = sources.map((s) => s.value.trim()).find((v) => v) || "";
      return name ? slugify(name, key.dataset.slugFallback) : "";
    };
    let own = key.value !== "" && key.value !== derived();
    const follow = () => {
      if (!own) key.value = derived();
    };
    sources.forEach((source) => source.addEventListener("input", follow));
    key.addEventListener("input", () => {
      own = key.value.trim() !== "";
    });
    if (key.form) {
      key.form.addEventListener("submit", () => {
        if (!own && key.value === derived()) key.value = "";
      });
    }
    follow();
  }

  document.querySelectorAll("input[data-slug-from]").forEach(deriveKey);
  document.querySelectorAll("textarea[data-counter]").forEach(countCharacters);
  document.querySelectorAll("[data-ranking]").forEach(enhanceRanking);
  focusErrorSummary();
})();
