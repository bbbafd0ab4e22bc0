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

  window.diplographYasgui = yasgui;
})();
