/* Service worker of the door page: the page and its scripts come from the network when it
   answers, else from the copy kept here, so the page reloads while the venue is offline.
   API calls are never touched: scans made offline wait in the page's own queue.
   The page is kept in each language (/door?lang=CODE) and, under /door alone, in the
   language the device last chose, so an offline reload keeps the device's language. */
"use strict";

var CACHE = "door-page-v3";
var PAGE = {{ url_for('door.door') | tojson }};
var LANGUAGE_OF = {{ languages | tojson }};
var LANGUAGES = Object.keys(LANGUAGE_OF).map(function (tag) {
  return LANGUAGE_OF[tag];
});
var ASSETS = [
  PAGE,
  {{ url_for('web.static', filename='door.js') | tojson }},
  {{ url_for('web.static', filename='door.css') | tojson }},
  {{ url_for('web.static', filename='vendor/jsQR.js') | tojson }},
  {{ url_for('web.static', filename='vendor/sha256.js') | tojson }},
  {{ url_for('web.static', filename='door-list.js') | tojson }}
];
var NETWORK_ONLY = [{{ (request.script_root + '/api/*') | tojson }}, {{ url_for('door.clock') | tojson }}];

self.addEventListener("install", function (event) {
  // API calls and the clock go straight to the network, without waking this worker
  // (static routing, where the browser has it).
  var routed = Promise.resolve();
  if (typeof event.addRoutes === "function" && typeof URLPattern === "function") {
    routed = event.addRoutes(NETWORK_ONLY.map(function (pathname) {
      return { condition: { urlPattern: new URLPattern({ pathname: pathname }) }, source: "network" };
    })).catch(function () {});
  }
  event.waitUntil(
    routed.then(function () {
      return caches.open(CACHE);
    }).then(function (cache) {
      // Each language's copy is fetched without cookies, so the device's choice stays put.
      return cache.addAll(ASSETS.concat(LANGUAGES.map(function (language) {
        return new Request(pageIn(language), { credentials: "omit" });
      })));
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name !== CACHE;
      }).map(function (name) {
        return caches.delete(name);
      }));
    }).then(function () {
      return self.clients.claim();
    })
  );
});

function pageIn(language) {
  return PAGE + "?lang=" + encodeURIComponent(language);
}

function keep(event, copies) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(copies.map(function (copy) {
      return cache.put(copy[0], copy[1]);
    }));
  }));
}

// The page: from the network, kept as the device's page and as its language's copy; offline,
// the copy of the language asked for (which then becomes the device's page), else the last.
function page(event, url) {
  var asked = url.searchParams.get("lang");
  var language = LANGUAGES.indexOf(asked) >= 0 ? asked : null;
  var kept = !url.searchParams.has("setup"); // /door?setup=CODE holds a one-time code
  return fetch(event.request).then(function (response) {
    var shown = language || LANGUAGE_OF[response.headers.get("Content-Language")];
    if (response.ok && kept) {
      var copies = [[PAGE, response.clone()]];
      if (shown) copies.push([pageIn(shown), response.clone()]);
      keep(event, copies);
    }
    return response;
  }).catch(function () {
    return caches.match(language ? pageIn(language) : PAGE).then(function (cached) {
      if (cached && language) keep(event, [[PAGE, cached.clone()]]);
      return cached || caches.match(PAGE);
    }).then(function (cached) {
      return cached || Response.error();
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === PAGE) {
    event.respondWith(page(event, url));
    return;
  }
  if (ASSETS.indexOf(url.pathname) < 0) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok && !url.search) keep(event, [[url.pathname, response.clone()]]);
      return response;
    }).catch(function () {
      return caches.match(url.pathname).then(function (cached) {
        return cached || Response.error();
      });
    })
  );
});
