/* tongbao search: Pagefind's index, queried from this page.

   Pagefind segments Chinese with a dictionary, and place names are ambiguous to it
   ("城东区" is also "城" + "东区"), so names are not left to segmentation: wherever a
   unit or project is named, the page also carries an ASCII token for it (data-tb,
   indexed through data-pagefind-index-attrs), and a query that contains a unit name,
   an alias or a project name searches for that token, plus the rest of the query
   ("签约" in "城东区签约"). (Pagefind filters would do the same, but their index
   files come out in a different order on every run, and the site must be
   byte-for-byte reproducible.) */
(function () {
  "use strict";
  var form = document.getElementById("tb-search-form");
  var input = document.getElementById("tb-search-input");
  var status = document.getElementById("tb-search-status");
  var list = document.getElementById("tb-search-results");
  var offline = document.getElementById("tb-search-offline");
  if (!form) { return; }
  var base = new URL(".", document.baseURI);  // the search page sits at the site root
  if (location.protocol === "file:") {  // opened from disk: Pagefind cannot load its index
    var ui = { list: list, show: function (m) { status.textContent = m; } };
    if (!self.tongbaoOfflineSearch) { offline.hidden = false; form.hidden = true; return; }
    var search = function (q) { self.tongbaoOfflineSearch.search(q, base, ui); };
    form.addEventListener("submit", function (event) { event.preventDefault(); search(input.value); });
    var asked = new URLSearchParams(location.search).get("q");
    if (asked) { input.value = asked; search(asked); }
    return;
  }
  // The index comes in parts: pagefind/ (the newest year, units, definitions) and one
  // a year of issued bulletins (pagefind/years/2016/ …), merged here into one search.
  function merged(pagefind) {
    return fetch(new URL("pagefind/years.json", base)).then(function (r) {
      return r.ok ? r.json() : [];
    }).then(function (years) {
      return Promise.all(years.map(function (year) {
        var bundle = new URL("pagefind/years/" + encodeURIComponent(year) + "/", base);
        return pagefind.mergeIndex(bundle.href, { baseUrl: base.pathname });
      }));
    }).then(function () { return pagefind; });
  }
  var ready = Promise.all([
    import(new URL("pagefind/pagefind.js", base).href).then(merged),
    fetch(new URL("search-entities.json", base)).then(function (r) { return r.json(); })
  ]);

  function findEntity(query, entities) {
    var best = null;
    [["单位", entities.units], ["项目", entities.projects]].forEach(function (kind) {
      Object.keys(kind[1]).forEach(function (name) {
        if (query.indexOf(name) !== -1 && (!best || name.length > best.text.length)) {
          var e = kind[1][name];
          best = { kind: kind[0], text: name, value: e[0], token: e[1], page: e[2] || null };
        }
      });
    });
    return best;
  }

  function show(message) { status.textContent = message; }

  function render(items) {
    list.textContent = "";
    items.forEach(function (data) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = data.url;
      a.textContent = (data.meta && data.meta.title) || data.url;
      var p = document.createElement("p");
      p.className = "tb-search-excerpt";
      p.innerHTML = data.excerpt;  // Pagefind's excerpt: escaped page text with <mark>
      li.appendChild(a);
      li.appendChild(p);
      list.appendChild(li);
    });
  }

  function run(query) {
    query = query.trim();
    if (!query) { list.textContent = ""; show(""); return; }
    show("正在搜索……");
    ready.then(function (loaded) {
      var pagefind = loaded[0], entities = loaded[1];
      var entity = findEntity(query, entities);
      var text = query;
      if (entity) {
        text = (query.replace(entity.text, " ").trim() + " " + entity.token).trim();
      }
      return pagefind.search(text).then(function (search) {
        var shown = search.results.slice(0, 30);
        return Promise.all(shown.map(function (r) { return r.data(); })).then(function (items) {
          if (entity && entity.page) {  // a unit's own page first
            var own = new URL(entity.page, base).pathname;
            items.sort(function (a, b) { return (b.url === own) - (a.url === own); });
          }
          render(items);
          var scope = entity ? "（" + entity.kind + "：" + entity.value + "）" : "";
          show(search.results.length ? "找到 " + search.results.length + " 个页面" + scope +
               (search.results.length > shown.length ? "，显示前 " + shown.length + " 个" : "") :
               "没有找到与“" + query + "”相关的内容" + scope);
        });
      });
    }).catch(function () { show("搜索索引加载失败，请通过内网网址访问本站后再试。"); });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(input.value); });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; run(q); }
})();
