// The reply box of a case page: picking a template puts its text in the box and selects its
// first placeholder left to fill. Without script, the small form around the list asks the
// server for the same page with ?template=…, which puts the text in the box.
(() => {
  "use strict";

  function wire(form) {
    const box = document.getElementById(form.dataset.replyTemplates);
    const select = form.querySelector("select");
    if (!box || !select) return;
    // The list fills the box at once: the button that asks the server is not needed.
    form.querySelectorAll("[data-no-script]").forEach((button) => button.remove());
    const chosen = select.selectedOptions[0];
    // What a template put in the box: replacing it needs no confirmation, a draft does.
    let filled = chosen && chosen.value ? chosen.dataset.text || "" : "";
    select.addEventListener("change", () => {
      const option = select.selectedOptions[0];
      if (!option || !option.value) return;
      const text = option.dataset.text || "";
      const typed = box.value.trim() !== "" && box.value !== filled;
      if (typed && !window.confirm(form.dataset.replaceConfirm)) {
        select.value = "";
        return;
      }
      box.value = text;
      filled = text;
      box.dispatchEvent(new Event("input", { bubbles: true }));
      box.focus();
      const start = text.indexOf("{");
      const end = start < 0 ? -1 : text.indexOf("}", start);
      if (end > start) box.setSelectionRange(start, end + 1);
      else box.setSelectionRange(0, 0);
    });
  }

  document.querySelectorAll("form[data-reply-templates]").forEach(wire);
})();
