// The query UI: YASGUI pointed at this server's /sparql, with the shipped example queries.
//
// Examples open in their own tab (an already open, unchanged one is reused). A query in
// the page's URL (?query=… or YASGUI's #query=… share links) opens in a tab of its own.
// Result links to this dataset's resources are rewritten to this server's pages, since
// the IRIs' own host may not point here.
(function () {
  "use strict";

  var root = document.getElementById("yasgui");
  if (!root || typeof Yasgui === "undefined") {
    return;
  }
  var endpoint = new URL(root.dataset.endpoint, window.location.href).href;
  var base = root.dataset.base;
  var resourceRoot = root.dataset.resourceRoot;
  var examples = JSON.parse(document.getElementById("dg-examples").textContent);

  // Only the offline completers: "property" and "class" would ask a third-party service
  // (Linked Open Vocabularies) while the researcher types.
  Yasgui.defaults.yasqe.autocompleters = ["variables", "prefixes"];

  // ---- results: literals as values, the datatype or language as a quiet tag ----------

  var XSD = "http://www.w3.org/2001/XMLSchema#";
  var RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  function shortIri(iri, prefixes) {
    if (iri.indexOf(XSD) === 0) {
      return "xsd:" + iri.slice(XSD.length);
    }
    for (var name in prefixes || {}) {
      if (iri.indexOf(prefixes[name]) === 0) {
        return name + ":" + iri.slice(prefixes[name].length);
      }
    }
    return iri;
  }

  function tag(text, title) {
    return ' <span class="literal-tag" title="' + escapeHtml(title) + '">' + escapeHtml(text) + "</span>";
  }

  var Table = Yasgui.Yasr.plugins.table;
  if (Table && Table.prototype.getSizeFirstColumn) {
    // YASR gives the row number 8px a digit, less than its own cell padding, so "1" ran
    // into the first value ("1Azerbaijan"): room for the digits and the padding
    Table.prototype.getSizeFirstColumn = function () {
      var rows = (this.yasr.results && this.yasr.results.getBindings()) || [];
      return 24 + 9 * String(rows.length || 0).length;
    };
  }
  if (Table && Table.prototype.formatLiteral) {
    Table.prototype.formatLiteral = function (binding, prefixes) {
      var value = '<span class="literal">' + escapeHtml(binding.value) + "</span>";
      if (this.persistentConfig && this.persistentConfig.compact) {
        return value;
      }
      var lang = binding["xml:lang"];
      if (lang) {
        return value + tag("@" + lang, "language tag: " + lang);
      }
      var datatype = binding.datatype;
      if (datatype && datatype !== XSD + "string" && datatype !== RDF_LANG_STRING) {
        return value + tag(shortIri(datatype, prefixes), "datatype: " + datatype);
      }
      return value;
    };
  }

  // ---- errors: the server's JSON error body as a message, with the line it names -------

  var marked = [];
  function clearMarks() {
    marked.forEach(function (m) {
      m.yasqe.removeLineClass(m.line, "background", "query-error-line");
    });
    marked = [];
  }

  function errorBody(text) {
    try {
      var body = JSON.parse(text);
      if (body && body.error && body.error.detail) {
        return body.error;
      }
    } catch (ignored) {
      // not our JSON error body
    }
    return null;
  }

  function renderError(summary) {
    var body = errorBody(summary && summary.text);
    if (!body) {
      return undefined; // YASGUI's own message (network errors, other endpoints)
    }
    var box = document.createElement("div");
    box.className = "query-error";
    box.setAttribute("role", "alert");
    var title = document.createElement("p");
    title.className = "query-error-title";
    title.textContent = body.title + (body.status ? " (HTTP " + body.status + ")" : "");
    box.appendChild(title);
    var detail = body.detail.replace(/^malformed query:\s*/i, "");
    var at = /error at (\d+):(\d+):?\s*/.exec(detail);
    var message = document.createElement("p");
    message.className = "query-error-detail";
    if (at) {
      var line = parseInt(at[1], 10);
      var column = parseInt(at[2], 10);
      message.textContent =
        "Line " + line + ", column " + column + ": " + detail.slice(at.index + at[0].length);
      box.appendChild(message);
      var tab = window.diplographYasgui && window.diplographYasgui.getTab();
      var yasqe = tab && tab.getYasqe();
      var text = yasqe ? yasqe.getLine(line - 1) : undefined;
      if (text !== undefined) {
        // the line before too: the parser often notices a mistake only on the next line
        var width = String(line).length;
        var shown = [];
        for (var n = Math.max(1, line - 1); n <= line; n++) {
          shown.push(String(n).padStart(width) + " | " + yasqe.getLine(n - 1));
        }
        shown.push(" ".repeat(width) + " | " + " ".repeat(Math.max(0, column - 1)) + "^");
        var where = document.createElement("pre");
        where.className = "query-error-where";
        where.textContent = shown.join("\n");
        box.appendChild(where);
        clearMarks();
        yasqe.addLineClass(line - 1, "background", "query-error-line");
        marked.push({ yasqe: yasqe, line: line - 1 });
      }
    } else {
      message.textContent = detail;
      box.appendChild(message);
    }
    return box;
  }
  Yasgui.Yasr.defaults.errorRenderers = [renderError];

  var yasgui = new Yasgui(root, {
    requestConfig: {
      endpoint: endpoint,
      method: "POST",
      acceptHeaderGraph: "text/turtle,*/*;q=0.9",
      acceptHeaderSelect: "application/sparql-results+json,*/*;q=0.9",
    },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: {
      getData: function () {
        return [{ endpoint: endpoint }];
      },
    },
    yasqe: {
      value: examples.length ? examples[0].query : "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
      prefixCcApi: null,
    },
    tabName: "Query",
  });

  // Tabs kept in the browser from another server (or port) still point there.
  Object.keys(yasgui._tabs).forEach(function (id) {
    var tab = yasgui.getTab(id);
    if (tab && tab.getEndpoint() !== endpoint) {
      tab.setEndpoint(endpoint);
    }
  });

  function openExample(example) {
    return yasgui.addTab(
      true,
      {
        name: example.tab,
        yasqe: { value: example.query },
        requestConfig: { endpoint: endpoint },
      },
      { avoidDuplicateTabs: true }
    );
  }

  // The examples are plain links (?query=…) that work without scripts; here they open
  // in a tab of this page instead of reloading it.
  document.querySelectorAll("a.example").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var example = examples.find(function (e) {
        return e.name === link.dataset.name;
      });
      if (example && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
        event.preventDefault();
        openExample(example);
      }
    });
  });

  var space = base + "resource/";
  function localise(node) {
    if (!node.querySelectorAll) {
      return;
    }
    node.querySelectorAll('a[href^="' + space + '"]').forEach(function (a) {
      a.href = resourceRoot + a.getAttribute("href").slice(space.length);
      a.removeAttribute("target");
    });
  }
  if (new URL(space).origin !== window.location.origin) {
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(localise);
      });
    }).observe(root, { childList: true, subtree: true });
  }

  // a new query clears the line an earlier error marked
  yasgui.on("query", clearMarks);

  window.diplographYasgui = yasgui;
})();
