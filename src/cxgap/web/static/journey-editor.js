// The journey editor and the persona form's avatar preview.
//
// The editor works on the journey's JSON document (format cxgap-journey/1, see
// docs/journeys.md) and saves it whole with PUT, naming the revision it started from in
// If-Match. Every change goes through commit(), which keeps a history of documents for
// undo/redo. No inline script: the document and the labels arrive in JSON script tags.
(() => {
  "use strict";

  const fill = (template, values) =>
    template.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? values[name] : whole));
  const KEY = /^[a-z][a-z0-9_-]{0,62}$/;
  const DIGITAL = new Set(["ad", "social", "website", "app", "email", "sms", "chat", "review"]);
  const EMOTIONS = [
    [-2, "emotion_m2"],
    [-1, "emotion_m1"],
    [0, "emotion_0"],
    [1, "emotion_p1"],
    [2, "emotion_p2"],
  ];

  function initials(name) {
    const words = name.replace(/-/g, " ").split(/\s+/).filter((w) => /^\p{L}/u.test(w));
    const firsts = words.length > 1 ? [words[0], words[words.length - 1]] : words;
    return firsts.map((w) => w[0]).join("").toUpperCase();
  }

  function slug(text, prefix) {
    const base = text
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 48);
    return /^[a-z]/.test(base) ? base : `${prefix}-${base || "1"}`.replace(/-$/, "");
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (name === "class") node.className = value;
      else if (name === "text") node.textContent = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    }
    return node;
  }

  // --- the persona form: the avatar follows the name -----------------------------------------

  function enhanceAvatar(avatar) {
    const input = document.getElementById(avatar.dataset.avatarFor);
    if (!input) return;
    input.addEventListener("input", () => {
      avatar.textContent = initials(input.value);
    });
  }

  // --- the journey editor ---------------------------------------------------------------------

  function JourneyEditor(root) {
    const config = JSON.parse(document.getElementById("je-config").textContent);
    let doc = JSON.parse(document.getElementById("je-document").textContent);
    const L = (key, values) => fill(config.labels[key] || key, values || {});
    const locale = config.locale;
    const other = locale === "fr" ? "en" : "fr";
    const labelOf = (pairs) => Object.fromEntries(pairs);
    const channelNames = labelOf(config.channels);
    const phaseNames = labelOf(config.phases);
    const criticalityNames = labelOf(config.criticalities);
    const changeNames = labelOf(config.changes);
    const undoStack = [];
    const redoStack = [];
    let revision = config.revision;
    let saved = JSON.stringify(doc);
    let selected = null; // key of the touchpoint whose details are open
    let editing = null; // {kind, key} of the name being edited in place
    let saving = false;
    let leaving = false;
    let drag = null;
    let lastCoalesce = null; // the field whose typing the last history entry already covers
    let pointerDown = false; // a redraw waits for the click, or the click would be lost
    let pending = null; // {panels} of a redraw waiting for the pointer

    const board = el("div", { class: "je-board", "data-je-board": true });
    const status = el("span", { class: "je-status", role: "status", "aria-live": "polite" });
    const live = el("div", { class: "visually-hidden", "aria-live": "polite" });
    const message = el("div", { class: "je-message", "data-je-message": true, hidden: true });
    const details = el("aside", { class: "je-details", "data-je-details": true, hidden: true });
    const buttons = {
      save: el("button", { type: "button", class: "btn btn-primary", "data-je": "save", onclick: save }, L("save")),
      undo: el("button", { type: "button", class: "btn", "data-je": "undo", title: L("undo_title"), onclick: undo }, "↶ ", L("undo")),
      redo: el("button", { type: "button", class: "btn", "data-je": "redo", title: L("redo_title"), onclick: redo }, "↷ ", L("redo")),
      addStage: el("button", { type: "button", class: "btn btn-secondary", "data-je": "add-stage", onclick: addStage }, "+ ", L("add_stage")),
    };
    const meta = el("div", { class: "je-meta" });

    // ---- the document ----

    const stageOf = (key) => doc.stages.find((s) => s.key === key);
    const allTouchpoints = () => doc.stages.flatMap((s) => s.touchpoints);
    function findTouchpoint(key) {
      for (const stage of doc.stages) {
        const index = stage.touchpoints.findIndex((tp) => tp.key === key);
        if (index >= 0) return { stage, index, tp: stage.touchpoints[index] };
      }
      return null;
    }
    const isDirty = () => JSON.stringify(doc) !== saved;
    const usedKeys = () => new Set([...doc.stages.map((s) => s.key), ...allTouchpoints().map((t) => t.key)]);
    function uniqueKey(base) {
      const used = usedKeys();
      if (!used.has(base)) return base;
      for (let n = 2; ; n += 1) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
    }

    // Every change: remember the document before it, apply, redraw. Typing in one field is
    // one history entry (options.coalesce names the field); options.panels false leaves the
    // journey fields and the details panel alone, because the change came from them.
    function commit(change, options = {}) {
      const before = JSON.stringify(doc);
      change();
      if (JSON.stringify(doc) === before) return;
      if (!options.coalesce || options.coalesce !== lastCoalesce) {
        undoStack.push(before);
        if (undoStack.length > 200) undoStack.shift();
      }
      lastCoalesce = options.coalesce || null;
      redoStack.length = 0;
      requestRender(options.panels !== false);
    }

    function requestRender(panels) {
      if (!pointerDown) return render(panels);
      pending = { panels: Boolean(pending?.panels || panels) };
    }

    function flush() {
      pointerDown = false;
      if (!pending) return;
      const { panels } = pending;
      pending = null;
      render(panels);
    }

    function undo() {
      if (!undoStack.length) return;
      redoStack.push(JSON.stringify(doc));
      doc = JSON.parse(undoStack.pop());
      afterHistory();
    }

    function redo() {
      if (!redoStack.length) return;
      undoStack.push(JSON.stringify(doc));
      doc = JSON.parse(redoStack.pop());
      afterHistory();
    }

    function afterHistory() {
      editing = null;
      lastCoalesce = null;
      if (selected && !findTouchpoint(selected)) selected = null;
      render();
    }

    // A name typed here is in the interface language only. A pair that was one text in both
    // languages loses its copy: the other language is then missing (and marked so), rather
    // than holding a name in the wrong language.
    function setName(item, value) {
      if (item[`name_${other}`] === item[`name_${locale}`]) item[`name_${other}`] = "";
      item[`name_${locale}`] = value;
      item.name = value;
    }

    // The name to show (the other language's while ours is missing) and the missing language.
    const shownName = (item) => item[`name_${locale}`] || item[`name_${other}`] || "";
    const missingLanguage = (item) =>
      !item[`name_${locale}`] ? locale : !item[`name_${other}`] ? other : null;
    function missingMark(item) {
      const lang = missingLanguage(item);
      if (!lang) return null;
      const text = L("name_missing", { lang: lang.toUpperCase() });
      return el("span", { class: "je-missing", "data-je-missing": lang, title: L("name_missing_help", { lang: lang.toUpperCase() }) }, text);
    }

    function rename(kind, key, value) {
      const text = value.trim();
      const item = kind === "stage" ? stageOf(key) : findTouchpoint(key)?.tp;
      if (!item || !text || text === item[`name_${locale}`]) return false;
      commit(() => setName(item, text));
      return true;
    }

    function addStage() {
      const last = doc.stages[doc.stages.length - 1];
      const key = uniqueKey(`stage-${doc.stages.length + 1}`);
      const name = L("new_stage");
      editing = { kind: "stage", key };
      commit(() => {
        doc.stages.push({ key, name, [`name_${locale}`]: name, [`name_${other}`]: "", phase: last ? last.phase : "before", touchpoints: [] });
      });
    }

    function addTouchpoint(stageKey) {
      const key = uniqueKey(`tp-${allTouchpoints().length + 1}`);
      const name = L("new_touchpoint");
      editing = { kind: "tp", key };
      commit(() => {
        stageOf(stageKey).touchpoints.push({
          key, name, [`name_${locale}`]: name, [`name_${other}`]: "", channel: "website", digital: true,
          interlocutor: "", description: "", goal: "", emotion: 0, moment_of_truth: false,
          declared_criticality: null, change: doc.version === "target" ? "new" : null, topics: [],
        });
      });
    }

    function deleteStage(key) {
      const stage = stageOf(key);
      commit(() => {
        doc.stages = doc.stages.filter((s) => s.key !== key);
        if (selected && !findTouchpoint(selected)) selected = null;
      });
      announce(L("deleted", { name: shownName(stage) }));
      buttons.addStage.focus();
    }

    function deleteTouchpoint(key) {
      const found = findTouchpoint(key);
      commit(() => {
        found.stage.touchpoints.splice(found.index, 1);
        if (selected === key) selected = null;
      });
      announce(L("deleted", { name: shownName(found.tp) }));
      root.querySelector(`[data-focus="stage:${CSS.escape(found.stage.key)}:add"]`)?.focus();
    }

    function moveStage(key, toIndex) {
      const from = doc.stages.findIndex((s) => s.key === key);
      if (from < 0 || toIndex < 0 || toIndex >= doc.stages.length || toIndex === from) return;
      commit(() => {
        const [stage] = doc.stages.splice(from, 1);
        doc.stages.splice(toIndex, 0, stage);
      });
      const stage = stageOf(key);
      announce(L("moved_stage", { name: shownName(stage), n: toIndex + 1, total: doc.stages.length }));
    }

    function moveTouchpoint(key, stageKey, toIndex) {
      const found = findTouchpoint(key);
      const target = stageOf(stageKey);
      if (!found || !target) return;
      commit(() => {
        const [tp] = found.stage.touchpoints.splice(found.index, 1);
        const index = Math.max(0, Math.min(toIndex, target.touchpoints.length));
        target.touchpoints.splice(index, 0, tp);
      });
      const now = findTouchpoint(key);
      announce(L("moved_touchpoint", { name: shownName(now.tp), n: now.index + 1, stage: shownName(now.stage) }));
    }

    function stepTouchpoint(key, step) {
      const found = findTouchpoint(key);
      moveTouchpoint(key, found.stage.key, found.index + step);
    }

    function hopTouchpoint(key, step) {
      const found = findTouchpoint(key);
      const index = doc.stages.indexOf(found.stage) + step;
      if (index < 0 || index >= doc.stages.length) return;
      moveTouchpoint(key, doc.stages[index].key, doc.stages[index].touchpoints.length);
    }

    function announce(text) {
      live.textContent = text;
    }

    // ---- drawing ----

    function render(panels = true) {
      const active = document.activeElement;
      const focused = active?.dataset?.focus;
      board.replaceChildren(...boardContent());
      if (panels) {
        renderMeta();
        renderDetails();
      }
      renderStatus();
      const input = editing && board.querySelector("[data-je-name-input]");
      if (input) {
        input.focus();
        input.select();
      } else if (focused && !active.isConnected) {
        root.querySelector(`[data-focus="${CSS.escape(focused)}"]`)?.focus();
      }
    }

    function boardContent() {
      if (!doc.stages.length) return [el("p", { class: "je-empty", text: L("empty_board") })];
      const groups = [];
      doc.stages.forEach((stage, index) => {
        const last = groups[groups.length - 1];
        if (last && last.phase === stage.phase) last.stages.push([stage, index]);
        else groups.push({ phase: stage.phase, stages: [[stage, index]] });
      });
      return groups.map((group) =>
        el(
          "div",
          { class: `je-phase je-phase-${group.phase}`, "data-phase": group.phase },
          el("div", { class: "je-phase-name", text: phaseNames[group.phase] || group.phase }),
          el("div", { class: "je-phase-stages" }, group.stages.map(([stage, index]) => stageColumn(stage, index))),
        ),
      );
    }

    function nameControl(kind, item, focusId) {
      const name = shownName(item);
      if (editing && editing.kind === kind && editing.key === item.key) {
        const input = el("input", {
          class: "je-name-input",
          value: name,
          maxlength: "200",
          "aria-label": L(kind === "stage" ? "stage_name" : "touchpoint_name"),
          "data-je-name-input": true,
        });
        let done = false;
        const finish = (keep, refocus) => {
          if (done) return;
          done = true;
          editing = null;
          if (!(keep && rename(kind, item.key, input.value))) requestRender(false);
          if (refocus) root.querySelector(`[data-focus="${CSS.escape(focusId)}"]`)?.focus();
        };
        input.addEventListener("keydown", (event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            finish(true, true);
          } else if (event.key === "Escape") {
            event.preventDefault();
            event.stopPropagation();
            finish(false, true);
          }
        });
        input.addEventListener("blur", () => finish(true, false));
        return input;
      }
      // The mark sits beside the name (an array: el() flattens its children).
      return [
        el(
          "button",
          {
            type: "button",
            class: "je-name",
            title: L("rename", { name }),
            "data-focus": focusId,
            "data-je-name": item.key,
            onclick: () => {
              editing = { kind, key: item.key };
              render();
            },
          },
          name,
        ),
        missingMark(item),
      ];
    }

    function iconButton(symbol, label, focusId, action, disabled) {
      return el(
        "button",
        {
          type: "button",
          class: "je-icon",
          "aria-label": label,
          title: label,
          "data-focus": focusId,
          "aria-disabled": disabled ? "true" : false,
          onclick: () => {
            if (!disabled) action();
          },
        },
        symbol,
      );
    }

    function stageColumn(stage, index) {
      const k = stage.key;
      const phase = el(
        "select",
        {
          class: "je-phase-select",
          "aria-label": `${L("phase")} · ${shownName(stage)}`,
          "data-focus": `stage:${k}:phase`,
          onchange: (event) => commit(() => (stage.phase = event.target.value)),
        },
        config.phases.map(([value, label]) => el("option", { value, selected: value === stage.phase }, label)),
      );
      const head = el(
        "div",
        { class: "je-stage-head", draggable: editing ? "false" : "true", title: L("drag_stage"), "data-je-stage-handle": k },
        el("span", { class: "je-grip", "aria-hidden": "true", text: "⋮⋮" }),
        nameControl("stage", stage, `stage:${k}:name`),
        el(
          "div",
          { class: "je-stage-tools" },
          phase,
          iconButton("←", L("move_left"), `stage:${k}:left`, () => moveStage(k, index - 1), index === 0),
          iconButton("→", L("move_right"), `stage:${k}:right`, () => moveStage(k, index + 1), index === doc.stages.length - 1),
          iconButton("✕", L("delete_stage"), `stage:${k}:delete`, () => deleteStage(k), false),
        ),
      );
      head.addEventListener("dragstart", (event) => startDrag(event, { type: "stage", key: k }, head.parentElement));
      const list = el(
        "ol",
        { class: "je-tps", "data-je-dropzone": k },
        stage.touchpoints.map((tp, i) => touchpointCard(tp, i, stage, index)),
      );
      if (!stage.touchpoints.length) list.append(el("li", { class: "je-tp-empty", text: L("empty_stage") }));
      const column = el(
        "section",
        { class: "je-stage", "data-je-stage": k, "aria-label": shownName(stage) },
        head,
        list,
        el(
          "button",
          { type: "button", class: "btn btn-small je-add-tp", "data-focus": `stage:${k}:add`, "data-je": "add-touchpoint", onclick: () => addTouchpoint(k) },
          "+ ",
          L("add_touchpoint"),
        ),
      );
      column.addEventListener("dragover", (event) => overStage(event, column, k));
      column.addEventListener("dragleave", () => column.classList.remove("je-drop-before", "je-drop-after"));
      column.addEventListener("drop", (event) => dropOnStage(event, column, k, index));
      list.addEventListener("dragover", (event) => overList(event, list));
      list.addEventListener("drop", (event) => dropOnList(event, k));
      return column;
    }

    function touchpointCard(tp, index, stage, stageIndex) {
      const k = tp.key;
      const marks = el("div", { class: "je-marks" });
      marks.append(el("span", { class: "je-channel", text: channelNames[tp.channel] || tp.channel }));
      marks.append(el("span", { class: "je-digital", text: tp.digital ? L("digital_yes") : L("digital_no") }));
      const sign = tp.emotion > 0 ? `+${tp.emotion}` : tp.emotion < 0 ? `−${-tp.emotion}` : "0";
      marks.append(el("span", { class: `je-emotion je-emotion-${tp.emotion + 2}`, title: L("emotion"), text: sign }));
      if (tp.moment_of_truth) {
        const level = tp.declared_criticality;
        marks.append(
          el(
            "span",
            { class: `je-mot je-mot-${level || "none"}`, "data-je-mot": level || "" },
            "◆ ",
            level ? criticalityNames[level] : L("moment_of_truth"),
          ),
        );
      }
      if (doc.version === "target" && tp.change) {
        marks.append(el("span", { class: `je-change je-change-${tp.change}`, text: changeNames[tp.change] }));
      }
      const linked = (tp.topics || []).length;
      marks.append(
        el("span", {
          class: `je-topics-mark${linked ? "" : " je-topics-mark-none"}`,
          "data-je-topics-count": String(linked),
          text: linked ? L(`topics_count_${linked === 1 ? "one" : "other"}`, { n: linked }) : L("topics_count_none"),
        }),
      );
      const last = stage.touchpoints.length - 1;
      const card = el(
        "li",
        {
          class: `je-tp${selected === k ? " je-selected" : ""}`,
          draggable: editing ? "false" : "true",
          "data-je-tp": k,
          title: L("drag_touchpoint"),
        },
        el("div", { class: "je-tp-top" }, el("span", { class: "je-grip", "aria-hidden": "true", text: "⋮⋮" }), nameControl("tp", tp, `tp:${k}:name`)),
        marks,
        el(
          "div",
          { class: "je-tp-tools" },
          iconButton("↑", L("move_up"), `tp:${k}:up`, () => stepTouchpoint(k, -1), index === 0),
          iconButton("↓", L("move_down"), `tp:${k}:down`, () => stepTouchpoint(k, 1), index === last),
          iconButton("⇤", L("move_prev_stage"), `tp:${k}:prev`, () => hopTouchpoint(k, -1), stageIndex === 0),
          iconButton("⇥", L("move_next_stage"), `tp:${k}:next`, () => hopTouchpoint(k, 1), stageIndex === doc.stages.length - 1),
          el(
            "button",
            {
              type: "button",
              class: "btn btn-small je-details-btn",
              "data-focus": `tp:${k}:details`,
              "data-je": "details",
              "aria-expanded": selected === k ? "true" : "false",
              onclick: () => {
                selected = selected === k ? null : k;
                render();
                if (selected) details.querySelector("input, select")?.focus();
              },
            },
            L("details"),
          ),
          iconButton("✕", L("delete_touchpoint"), `tp:${k}:delete`, () => deleteTouchpoint(k), false),
        ),
      );
      card.addEventListener("dragstart", (event) => {
        event.stopPropagation();
        startDrag(event, { type: "tp", key: k }, card);
      });
      card.addEventListener("dragover", (event) => overCard(event, card));
      card.addEventListener("dragleave", () => card.classList.remove("je-drop-before", "je-drop-after"));
      card.addEventListener("drop", (event) => dropOnCard(event, card, stage.key, index));
      return card;
    }

    // ---- drag and drop (HTML5); the arrow buttons do the same from the keyboard ----

    function startDrag(event, what, node) {
      drag = what;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", what.key);
      node.classList.add("je-dragging");
      node.addEventListener("dragend", endDrag, { once: true });
    }

    function endDrag() {
      drag = null;
      root.querySelectorAll(".je-dragging, .je-drop-before, .je-drop-after, .je-drop-end").forEach((node) =>
        node.classList.remove("je-dragging", "je-drop-before", "je-drop-after", "je-drop-end"),
      );
    }

    const afterHalf = (event, node, vertical) => {
      const box = node.getBoundingClientRect();
      return vertical ? event.clientY > box.top + box.height / 2 : event.clientX > box.left + box.width / 2;
    };

    function mark(node, after) {
      root.querySelectorAll(".je-drop-before, .je-drop-after, .je-drop-end").forEach((other) => {
        if (other !== node) other.classList.remove("je-drop-before", "je-drop-after", "je-drop-end");
      });
      node.classList.toggle("je-drop-before", !after);
      node.classList.toggle("je-drop-after", after);
    }

    function overStage(event, column, key) {
      if (!drag || drag.type !== "stage") return;
      event.preventDefault();
      if (drag.key !== key) mark(column, afterHalf(event, column, false));
    }

    function dropOnStage(event, column, key, index) {
      if (!drag || drag.type !== "stage") return;
      event.preventDefault();
      const moving = drag.key;
      const from = doc.stages.findIndex((s) => s.key === moving);
      let to = index + (afterHalf(event, column, false) ? 1 : 0);
      if (from < to) to -= 1;
      endDrag();
      moveStage(moving, to);
    }

    function overCard(event, card) {
      if (!drag || drag.type !== "tp") return;
      event.preventDefault();
      event.stopPropagation();
      if (drag.key !== card.dataset.jeTp) mark(card, afterHalf(event, card, true));
    }

    function dropOnCard(event, card, stageKey, index) {
      if (!drag || drag.type !== "tp") return;
      event.preventDefault();
      event.stopPropagation();
      const moving = drag.key;
      const found = findTouchpoint(moving);
      let to = index + (afterHalf(event, card, true) ? 1 : 0);
      if (found.stage.key === stageKey && found.index < to) to -= 1;
      endDrag();
      moveTouchpoint(moving, stageKey, to);
    }

    function overList(event, list) {
      if (!drag || drag.type !== "tp") return;
      event.preventDefault();
      root.querySelectorAll(".je-drop-before, .je-drop-after").forEach((node) => node.classList.remove("je-drop-before", "je-drop-after"));
      list.classList.add("je-drop-end");
    }

    function dropOnList(event, stageKey) {
      if (!drag || drag.type !== "tp") return;
      event.preventDefault();
      const moving = drag.key;
      endDrag();
      moveTouchpoint(moving, stageKey, stageOf(stageKey).touchpoints.length);
    }

    // ---- the journey's own fields ----

    function renderMeta() {
      const field = (id, label, control) => el("div", { class: "form-row" }, el("label", { for: id, text: label }), control);
      const nameInput = (lang) => {
        // A name nobody wrote in this language says so in the empty box.
        const placeholder = doc[`name_${lang}`] ? false : L("name_missing", { lang: lang.toUpperCase() });
        const input = el("input", { id: `je-name-${lang}`, maxlength: "200", lang, placeholder, "data-focus": `journey:name_${lang}` });
        input.value = doc[`name_${lang}`] || "";
        input.addEventListener("input", () => {
          const text = input.value.trim();
          if (!text) return;
          commit(() => {
            doc[`name_${lang}`] = text;
            if (lang === locale) doc.name = text;
          }, { coalesce: `journey:name_${lang}`, panels: false });
        });
        input.addEventListener("blur", () => {
          lastCoalesce = null;
          input.value = doc[`name_${lang}`] || "";
        });
        return input;
      };
      const persona = el(
        "select",
        {
          id: "je-persona",
          "data-focus": "journey:persona",
          onchange: (event) => {
            const key = event.target.value;
            const found = config.personas.find(([k]) => k === key);
            commit(() => (doc.persona = found ? { key: found[0], name: found[1] } : null), { panels: false });
          },
        },
        el("option", { value: "" }, L("persona_none")),
        config.personas.map(([key, name]) => el("option", { value: key, selected: doc.persona?.key === key }, name)),
      );
      meta.replaceChildren(
        field("je-name-en", L("journey_name_en"), nameInput("en")),
        field("je-name-fr", L("journey_name_fr"), nameInput("fr")),
        field("je-persona", L("persona"), persona),
      );
    }

    function renderStatus() {
      const dirty = isDirty();
      root.dataset.dirty = String(dirty);
      status.textContent = saving ? L("saving") : dirty ? L("unsaved") : L("saved");
      status.classList.toggle("je-status-dirty", dirty);
      buttons.undo.disabled = !undoStack.length;
      buttons.redo.disabled = !redoStack.length;
      buttons.save.disabled = saving;
      const count = (key, n) => L(`${key}_${n === 1 || (n === 0 && locale === "fr") ? "one" : "other"}`, { n });
      const counts = `${count("stages_count", doc.stages.length)} · ${count("touchpoints_count", allTouchpoints().length)}`;
      root.querySelector("[data-je-counts]").textContent = counts;
    }

    // ---- the details of one touchpoint ----

    // Fields here change the document as the user types (one history entry per field) and
    // never redraw the panel itself, so focus and typing are never interrupted.
    function renderDetails() {
      const found = selected && findTouchpoint(selected);
      if (!found) {
        details.hidden = true;
        details.replaceChildren();
        return;
      }
      const tp = found.tp;
      const current = () => findTouchpoint(selected).tp;
      const id = (name) => `je-d-${name}`;
      // Typing in a text field is one history step; each choice in a select or box is one.
      const update = (name, change, typing = false) =>
        commit(() => change(current()), { coalesce: typing ? `d:${selected}:${name}` : null, panels: false });
      const row = (name, label, control, help) =>
        el("div", { class: "form-row", "data-field": name }, el("label", { for: id(name), text: label }), control, help || null);
      const text = (name, label, multiline) => {
        const input = el(multiline ? "textarea" : "input", {
          id: id(name),
          rows: multiline ? "3" : false,
          maxlength: multiline ? "2000" : "200",
          lang: name === "name_en" ? "en" : name === "name_fr" ? "fr" : false,
          "data-focus": `d:${name}`,
        });
        input.value = tp[name] || "";
        input.addEventListener("input", () => {
          const value = input.value.trim();
          // A name may be emptied in one language while the other one holds it.
          const otherName = name === "name_en" ? "name_fr" : "name_en";
          if (name.startsWith("name_") && !value && !current()[otherName]) return;
          update(name, (t) => {
            t[name] = value;
            if (name === `name_${locale}`) t.name = value || t[otherName];
          }, true);
          if (name === `name_${locale}`) heading.textContent = L("details_of", { name: value });
        });
        input.addEventListener("blur", () => {
          lastCoalesce = null;
          if (name.startsWith("name_") && !input.value.trim()) input.value = current()[name];
          if (name.startsWith("name_")) requestRender(false); // the missing marks follow
        });
        return row(name, label, input);
      };
      const choose = (name, label, options, value, onchange, disabled) =>
        row(
          name,
          label,
          el(
            "select",
            { id: id(name), "data-focus": `d:${name}`, disabled: disabled || false, onchange: (event) => update(name, (t) => onchange(t, event.target.value)) },
            options.map(([v, text]) => el("option", { value: v, selected: v === value }, text)),
          ),
        );
      const check = (name, label, value, onchange) =>
        el(
          "div",
          { class: "form-row je-check", "data-field": name },
          el("input", { type: "checkbox", id: id(name), checked: value, "data-focus": `d:${name}`, onchange: (event) => update(name, (t) => onchange(t, event.target.checked)) }),
          el("label", { for: id(name), text: label }),
        );
      const keyError = el("p", { class: "error", hidden: true, id: "je-d-key-error" });
      const keyInput = el("input", { id: id("key"), value: tp.key, maxlength: "63", spellcheck: "false", "aria-describedby": "je-d-key-error", "data-focus": "d:key" });
      keyInput.addEventListener("change", () => {
        const value = keyInput.value.trim();
        if (value === selected) return;
        const problem = !KEY.test(value) ? L("key_invalid") : usedKeys().has(value) ? L("key_taken") : null;
        keyError.hidden = !problem;
        keyError.textContent = problem || "";
        keyInput.setAttribute("aria-invalid", problem ? "true" : "false");
        if (problem) return;
        commit(() => {
          current().key = value;
          selected = value;
        }, { panels: false });
      });
      const heading = el("h2", { text: L("details_of", { name: shownName(tp) }) });
      const criticality = choose(
        "declared_criticality",
        L("criticality"),
        [["", L("criticality_none")], ...config.criticalities],
        tp.declared_criticality || "",
        (t, value) => (t.declared_criticality = value || null),
        !tp.moment_of_truth,
      );
      const digital = check("digital", L("digital"), tp.digital, (t, value) => (t.digital = value));
      const topics = window.cxgapTopicPicker?.({
        el,
        L,
        config,
        doc: () => doc,
        tp: current,
        change: (list) => update("topics", (t) => (t.topics = list)),
      });
      const fields = [
        el(
          "div",
          { class: "je-details-head" },
          heading,
          el("button", { type: "button", class: "je-icon", "aria-label": L("close"), "data-je": "close-details", onclick: closeDetails }, "✕"),
        ),
        text("name_en", L("name_en")),
        text("name_fr", L("name_fr")),
        row("key", L("key"), keyInput, keyError),
        choose("channel", L("channel"), config.channels, tp.channel, (t, value) => {
          t.channel = value;
          t.digital = DIGITAL.has(value);
          digital.querySelector("input").checked = t.digital;
          setTimeout(() => topics?.refresh(), 0); // the suggestions follow the channel
        }),
        digital,
        ...(topics ? [topics.node] : []), // next to the channel its suggestions read
        text("interlocutor", L("interlocutor")),
        text("goal", L("goal")),
        text("description", L("description"), true),
        choose(
          "emotion",
          L("emotion"),
          EMOTIONS.map(([value, label]) => [String(value), L(label)]),
          String(tp.emotion),
          (t, value) => (t.emotion = Number(value)),
        ),
        check("moment_of_truth", L("moment_of_truth"), tp.moment_of_truth, (t, value) => {
          t.moment_of_truth = value;
          const select = criticality.querySelector("select");
          select.disabled = !value;
          if (!value) {
            t.declared_criticality = null;
            select.value = "";
          }
        }),
        criticality,
      ];
      if (doc.version === "target") {
        fields.push(
          choose("change", L("change"), [["", L("change_none")], ...config.changes], tp.change || "", (t, value) => (t.change = value || null)),
        );
      }
      details.replaceChildren(...fields);
      details.hidden = false;
    }

    function closeDetails() {
      const key = selected;
      selected = null;
      render();
      root.querySelector(`[data-focus="tp:${CSS.escape(key)}:details"]`)?.focus();
    }

    // ---- saving ----

    async function save() {
      if (saving) return;
      document.activeElement?.blur?.(); // a field being typed in commits first
      if (!isDirty()) {
        hideMessage();
        announce(L("saved"));
        return;
      }
      const sent = JSON.stringify(doc);
      saving = true;
      hideMessage();
      renderStatus();
      let response;
      let body = {};
      try {
        response = await fetch(config.saveUrl, {
          method: "PUT",
          credentials: "same-origin",
          headers: {
            "content-type": "application/json",
            accept: "application/json",
            "x-csrf-token": config.csrf,
            "if-match": `"${revision}"`,
          },
          body: sent,
        });
        body = await response.json().catch(() => ({}));
      } catch (error) {
        response = null;
      }
      saving = false;
      if (!response) showMessage("error", L("error_network"));
      else if (response.ok) saved_(sent, body);
      else if (response.status === 409 && body.current) showConflict(body.current);
      else if (response.status === 422 && body.error?.problems?.length) showProblem(body.error.problems[0]);
      else showMessage("error", L("error_other", { message: body.error?.message || response.statusText }));
      renderStatus();
    }

    function saved_(sent, body) {
      revision = body.revision;
      saved = sent;
      root.dataset.revision = String(revision);
      document.querySelectorAll("[data-je-revision]").forEach((input) => (input.value = String(revision)));
      announce(L("saved_at", { time: when(body.saved_at), revision }));
    }

    function when(iso) {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(locale, { dateStyle: "medium", timeStyle: "short" });
    }

    function showConflict(current) {
      const reload = el("button", { type: "button", class: "btn btn-primary", "data-je": "reload", onclick: () => {
        leaving = true;
        window.location.reload();
      } }, L("conflict_reload"));
      const keep = el("button", { type: "button", class: "btn", "data-je": "keep", onclick: hideMessage }, L("conflict_keep"));
      showMessage(
        "conflict",
        el("strong", { text: L("conflict_title") }),
        el("p", { text: L("conflict_text", { time: when(current.saved_at), revision: current.revision, mine: revision }) }),
        el("p", { class: "small", text: L("conflict_reload_help") }),
        el("div", { class: "form-actions" }, reload, keep),
      );
      reload.focus();
    }

    function showProblem(problem) {
      const known = config.problems[problem.code];
      const text = known && !["too_long", "range"].includes(problem.code) ? known : problem.message;
      const value = problem.value ? ` (${problem.value})` : "";
      showMessage("error", L("error_invalid", { path: problem.field, message: text + value }));
      const match = /^\$\.stages\[(\d+)\](?:\.touchpoints\[(\d+)\])?/.exec(problem.field || "");
      const stage = match && doc.stages[Number(match[1])];
      if (stage && match[2] !== undefined && stage.touchpoints[Number(match[2])]) {
        selected = stage.touchpoints[Number(match[2])].key;
        render();
      }
    }

    function showMessage(kind, ...content) {
      message.className = `je-message je-message-${kind}`;
      message.setAttribute("role", "alert");
      message.dataset.kind = kind;
      message.replaceChildren(...content);
      message.hidden = false;
    }

    function hideMessage() {
      message.hidden = true;
      message.replaceChildren();
    }

    // ---- pointer, keyboard and leaving ----

    document.addEventListener("pointerdown", () => (pointerDown = true), true);
    // By the time of the click its target is chosen: a redraw can no longer swallow it.
    document.addEventListener("click", flush, true);
    for (const type of ["pointerup", "pointercancel", "dragend"]) {
      document.addEventListener(type, () => setTimeout(flush, 0), true);
    }

    document.addEventListener("keydown", (event) => {
      const mod = event.ctrlKey || event.metaKey;
      if (!mod) {
        if (event.key === "Escape" && selected && details.contains(document.activeElement)) closeDetails();
        return;
      }
      const typing = event.target.closest?.("input, textarea, select");
      const key = event.key.toLowerCase();
      if (key === "s") {
        event.preventDefault();
        save();
      } else if (!typing && ((key === "z" && event.shiftKey) || key === "y")) {
        event.preventDefault();
        redo();
      } else if (!typing && key === "z") {
        event.preventDefault();
        undo();
      }
    });
    window.addEventListener("beforeunload", (event) => {
      if (leaving || !isDirty()) return;
      event.preventDefault();
      event.returnValue = L("leave_warning");
    });
    document.querySelector("[data-je-delete]")?.addEventListener("submit", () => {
      leaving = true;
    });

    // ---- assembling the page ----

    config.problems = config.problems || {};
    root.append(
      el(
        "div",
        { class: "je-toolbar" },
        buttons.save,
        buttons.undo,
        buttons.redo,
        buttons.addStage,
        status,
        el("span", { class: "je-counts muted small", "data-je-counts": true }),
      ),
      message,
      meta,
      el("p", { class: "muted small je-help", text: L("help") }),
      el("div", { class: "je-workspace" }, board, details),
      live,
    );
    root.dataset.revision = String(revision);
    root.hidden = false;
    render();
    root.dataset.ready = "true";
  }

  document.querySelectorAll("[data-avatar-for]").forEach(enhanceAvatar);
  const root = document.querySelector("[data-journey-editor]");
  if (root) JourneyEditor(root);
})();
