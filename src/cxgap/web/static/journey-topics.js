// The topics picker of the journey editor (journey-editor.js draws it in a touchpoint's
// details): the taxonomy topics by name, in the reader's language, several at a time, and
// the topics the touchpoint's verbatims talk about, suggested with their evidence and linked
// in one click. The links travel in the touchpoint's "topics" list and are saved with the
// journey; the taxonomy page edits the same links topic by topic.
(() => {
  "use strict";

  const requests = new Map(); // the document's touchpoints as JSON -> promise of suggestions

  function signature(doc) {
    return JSON.stringify(
      doc.stages.map((s) => [s.key, s.touchpoints.map((t) => [t.key, t.channel, [...(t.topics || [])].sort()])]),
    );
  }

  function suggestionsFor(config, doc) {
    const key = signature(doc);
    if (!requests.has(key)) {
      const request = fetch(config.suggestUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": config.csrf },
        body: JSON.stringify(doc),
      }).then((response) => (response.ok ? response.json() : Promise.reject(new Error(String(response.status)))));
      request.catch(() => requests.delete(key)); // a failure is asked again next time
      requests.set(key, request);
    }
    return requests.get(key);
  }

  // el: the editor's element factory; L: its labels; doc(): the document now; tp(): the
  // touchpoint now; change(topics): commits the touchpoint's new list of topic keys.
  function topicPicker({ el, L, config, doc, tp, change }) {
    const chosen = () => tp().topics || [];
    const boxes = new Map();
    let found = null; // this touchpoint's suggestions, once they arrive
    let asked = 0; // the latest request: an older answer arriving late is ignored

    const list = el("div", { class: "je-topics-list", role: "group", "aria-label": L("topics") });
    for (const [key, name] of config.topics) {
      const box = el("input", { type: "checkbox", value: key, "data-je-topic": key });
      box.checked = chosen().includes(key);
      box.addEventListener("change", () => toggle(key, box.checked));
      boxes.set(key, box);
      list.append(el("label", { class: "je-topic", "data-name": name.toLowerCase() }, box, " ", name));
    }
    const search = el("input", { type: "search", class: "je-topics-filter", placeholder: L("topics_filter"), "aria-label": L("topics_filter") });
    search.addEventListener("input", () => {
      const text = search.value.trim().toLowerCase();
      for (const label of list.children) label.hidden = Boolean(text) && !label.dataset.name.includes(text);
    });
    const suggestions = el("div", { class: "je-suggest", "data-je-suggestions": true, "aria-live": "polite" });

    function toggle(key, on) {
      const topics = chosen().filter((k) => k !== key);
      if (on) topics.push(key);
      change(topics);
      draw();
    }

    function accept(key) {
      boxes.get(key).checked = true;
      toggle(key, true);
      suggestions.querySelector("button")?.focus();
    }

    function draw() {
      if (found === null) return;
      const open = found.filter((s) => !chosen().includes(s.topic) && boxes.has(s.topic));
      const title = el("p", { class: "je-suggest-title", text: L("suggest_title") });
      if (!open.length) {
        suggestions.replaceChildren(title, el("p", { class: "muted small", text: L(found.length ? "suggest_all_linked" : "suggest_none") }));
        return;
      }
      suggestions.replaceChildren(
        title,
        el(
          "ul",
          { class: "je-suggest-list" },
          open.map((s) =>
            el(
              "li",
              { "data-je-suggestion": s.topic },
              el("span", { class: "je-suggest-evidence", text: s.evidence }),
              el("button", { type: "button", class: "btn btn-small", "aria-label": L("suggest_accept_label", { topic: s.name }), onclick: () => accept(s.topic) }, L("suggest_accept")),
            ),
          ),
        ),
      );
    }

    function refresh() {
      const mine = ++asked;
      suggestions.replaceChildren(el("p", { class: "muted small", text: L("suggest_loading") }));
      suggestionsFor(config, doc()).then(
        (body) => {
          if (mine !== asked) return;
          found = body.touchpoints[tp().key] || [];
          draw();
        },
        () => {
          if (mine === asked) suggestions.replaceChildren(el("p", { class: "muted small", text: L("suggest_error") }));
        },
      );
    }

    const parts = [el("legend", { text: L("topics") }), el("p", { class: "help", text: L("topics_help") })];
    if (!config.topics.length) parts.push(el("p", { class: "muted small", text: L("topics_none") }));
    if (config.topics.length > 8) parts.push(search);
    const node = el("fieldset", { class: "form-row je-topics", "data-field": "topics" }, parts, list, suggestions);
    if (config.topics.length) refresh();
    return { node, refresh };
  }

  window.cxgapTopicPicker = topicPicker;
})();
