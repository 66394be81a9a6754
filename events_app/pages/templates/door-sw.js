/* Service worker of the door page: the page and its scripts come from the network when it
   answers, else from the copy kept here, so the page reloads while the venue is offline.
   API calls are never touched: scans made offline wait in the page's own queue. */
"use strict";

var CACHE = "door-page-v2";
var PAGE = {{ url_for('door.door') | tojson }};
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
      return cache.addAll(ASSETS);
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

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  // The page is kept under its path alone; /door?setup=CODE (a one-time code) is not kept.
  var key = url.pathname === PAGE ? PAGE : url.pathname;
  if (ASSETS.indexOf(key) < 0) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok && !url.search) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) {
          return cache.put(key, copy);
        });
      }
      return response;
    }).catch(function () {
      return caches.match(key).then(function (cached) {
        return cached || Response.error();
      });
    })
  );
});
