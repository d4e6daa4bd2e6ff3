// The idea board's submit form: while the title is typed, ideas like it are listed (from
// /community/{key}/ideas/similar), so people vote instead of posting the same wish twice.
// Without JavaScript the server shows them when the form is sent.
(function () {
  "use strict";
  var input = document.querySelector("[data-similar-url]");
  var box = document.getElementById("similar-live");
  if (!input || !box) { return; }
  var list = box.querySelector("ul");
  var timer = null;
  var asked = "";
  function show(items) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.title;
      li.appendChild(a);
      list.appendChild(li);
    });
    box.hidden = items.length === 0;
  }
  function ask() {
    var q = input.value.trim();
    if (q === asked) { return; }
    asked = q;
    if (q.length < 3) { show([]); return; }
    var url = input.getAttribute("data-similar-url") + "?q=" + encodeURIComponent(q);
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : { ideas: [] }; })
      .then(function (body) { if (q === asked) { show(body.ideas || []); } })
      .catch(function () { show([]); });
  }
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 250);
  });
})();
