/* tongbao search from disk (file://): the vendored MiniSearch over search/offline-index.js.

   A page opened from disk may not fetch Pagefind's index, but it may run scripts: the
   build writes the index as a script assigning self.tongbaoOfflineIndex. Documents are
   segmented at build time into character bigrams (tongbao/pages/offline_search.py, segment);
   `segment` below splits a query the same way, and every bigram must match. */
(function () {
  "use strict";
  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+/g;

  function segment(text) {
    var tokens = [];
    var runs = String(text).toLowerCase().match(CJK) || [];
    runs.forEach(function (run) {
      if (/^[0-9a-z]/.test(run) || run.length === 1) { tokens.push(run); return; }
      for (var i = 0; i + 1 < run.length; i++) { tokens.push(run.slice(i, i + 2)); }
    });
    return tokens;
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error(src)); };
      document.head.appendChild(s);
    });
  }

  // results are listed by kind (units, then bulletins, then projects), then by score
  var KIND_ORDER = { "单位": 0, "通报": 1, "项目": 2 };
  var engine = null;
  function ready(base) {
    if (!engine) {
      engine = loadScript(new URL("assets/vendor/minisearch.js", base).href)
        .then(function () { return loadScript(new URL("search/offline-index.js", base).href); })
        .then(function () {
          var docs = self.tongbaoOfflineIndex.docs;
          var mini = new MiniSearch({
            idField: "id",
            fields: ["n", "s"],
            storeFields: ["k"],
            tokenize: function (text) { return text ? text.split(" ") : []; },
            processTerm: function (term) { return term; },
            searchOptions: {
              tokenize: segment,
              processTerm: function (term) { return term; },
              combineWith: "AND",
              boost: { n: 4 },
              // a one-character query is looked up as the start of a bigram
              prefix: function (term) { return term.length === 1; }
            }
          });
          mini.addAll(docs.map(function (d, i) { return { id: i, k: d.k, n: d.n, s: d.s }; }));
          return { mini: mini, docs: docs };
        });
    }
    return engine;
  }

  function excerpt(text, query) {
    // the text around the query's first appearance (or its first bigram's), as nodes
    var p = document.createElement("p");
    p.className = "tb-search-excerpt";
    var at = text.indexOf(query), len = query.length;
    if (at < 0) {
      var first = segment(query)[0] || "";
      at = first ? text.toLowerCase().indexOf(first) : -1;
      len = first.length;
    }
    if (at < 0) { p.textContent = text.slice(0, 80); return p; }
    var start = Math.max(0, at - 30), end = Math.min(text.length, at + len + 50);
    var mark = document.createElement("mark");
    mark.textContent = text.slice(at, at + len);
    p.appendChild(document.createTextNode((start > 0 ? "……" : "") + text.slice(start, at)));
    p.appendChild(mark);
    p.appendChild(document.createTextNode(text.slice(at + len, end) + (end < text.length ? "……" : "")));
    return p;
  }

  function search(query, base, ui) {
    query = query.trim();
    if (!query) { ui.list.textContent = ""; ui.show(""); return Promise.resolve(); }
    ui.show("正在搜索……");
    return ready(base).then(function (loaded) {
      var found = segment(query).length ? loaded.mini.search(query) : [];
      // bigrams may match apart: pages that hold the query as written come first
      var needle = query.toLowerCase();
      found.forEach(function (hit) {
        var d = loaded.docs[hit.id];
        hit.exact = (d.t + "：" + d.x).toLowerCase().indexOf(needle) >= 0 ? 0 : 1;
      });
      found.sort(function (a, b) {
        return (KIND_ORDER[a.k] - KIND_ORDER[b.k]) || (a.exact - b.exact) ||
          (b.score - a.score) || (a.id - b.id);
      });
      var shown = found.slice(0, 30);
      ui.list.textContent = "";
      shown.forEach(function (hit) {
        var d = loaded.docs[hit.id];
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = new URL(d.u, base).href;
        a.textContent = d.t;
        var kind = document.createElement("span");
        kind.className = "tb-search-kind";
        kind.textContent = "［" + d.k + "］";
        li.appendChild(kind);
        li.appendChild(a);
        li.appendChild(excerpt(d.t + "：" + d.x, query));
        ui.list.appendChild(li);
      });
      ui.show(found.length ? "找到 " + found.length + " 个结果（离线搜索）" +
              (found.length > shown.length ? "，显示前 " + shown.length + " 个" : "") :
              "没有找到与“" + query + "”相关的内容");
    }).catch(function () {
      ui.show("离线搜索索引加载失败：请确认 search 和 assets 文件夹与本页在一起。");
    });
  }

  self.tongbaoOfflineSearch = { segment: segment, search: search };
})();
