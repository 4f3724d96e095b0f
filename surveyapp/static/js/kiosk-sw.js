// The kiosk's service worker (served as /k/sw.js, scope /k/): a tablet that reloads or restarts while offline
// still shows the blank kiosk page, so the next respondent can answer and kiosk.js queues the answers as usual.
// It keeps only what holds nothing of anyone: the GET of the start page (/k/ without a query: the server never
// puts answers into it, kiosk.js gives it a fresh client UUID on every start) and the static files that page
// uses. Network first; the cached copy only when the network fails. Everything else (answers, the thank-you
// page, CSRF tokens) goes to the network as if there were no service worker.
"use strict";
var CACHE = "kiosk-start-v1";
var START = new URL("./", self.registration.scope).href;
var ASSET = /(?:src|href)="(\/static\/[^"]+)"/g;

function isStart(request) {
  return request.method === "GET" && request.url === START;
}

function isAsset(request) {
  var url = new URL(request.url);
  return request.method === "GET" && url.origin === self.location.origin && url.pathname.indexOf("/static/") === 0;
}

// A blank start page (200, not redirected) is kept with every static file it names; an ended kiosk (404)
// forgets what it kept.
function keepStart(reply) {
  if (reply.status === 404) {
    return caches.delete(CACHE);
  }
  if (!reply.ok || reply.redirected) {
    return Promise.resolve();
  }
  return reply.clone().text().then(function (html) {
    var assets = [];
    html.replace(ASSET, function (_match, path) { assets.push(path.replace(/&amp;/g, "&")); });
    return caches.open(CACHE).then(function (cache) {
      return Promise.all([cache.put(START, reply.clone()), cache.addAll(assets)]);
    });
  });
}

function fromNetwork(request, keep) {
  return fetch(request).then(function (reply) {
    return keep(reply).catch(function () {}).then(function () { return reply; });
  });
}

function keepAsset(request) {
  return function (reply) {
    if (!reply.ok) {
      return Promise.resolve();
    }
    return caches.open(CACHE).then(function (cache) { return cache.put(request, reply.clone()); });
  };
}

function cached(request, fallback) {
  return caches.match(request).then(function (reply) { return reply || caches.match(fallback); })
    .then(function (reply) { return reply || Response.error(); });
}

self.addEventListener("install", function (event) {
  event.waitUntil(fetch(START, {credentials: "same-origin", cache: "no-store"}).then(keepStart)
    .catch(function () {}).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (isStart(request)) {
    event.respondWith(fromNetwork(request, keepStart).catch(function () { return cached(START, START); }));
  } else if (request.mode === "navigate" && request.method === "GET") {
    // any other kiosk address (the thank-you page, the idle reset) offline: the blank start page
    event.respondWith(fetch(request).catch(function () { return cached(START, START); }));
  } else if (isAsset(request)) {
    event.respondWith(fromNetwork(request, keepAsset(request)).catch(function () { return cached(request, request); }));
  }
});
