// The kiosk on a shared tablet (surveyapp/kiosk): send answers without leaving the page, keep them on the tablet
// while it is offline (localStorage, each with its client UUID, the form's `rk`) and send them when it is back,
// ask "Still there?" when the tablet is left idle, and start again for the next person without anything of the
// previous one in the page, the browser's storage (but the queue of unsent answers) or its history.
// Without JavaScript the kiosk works too: the form posts, the thank-you page and the idle timeout refresh.
// Its service worker (kiosk-sw.js, served as /k/sw.js) lets a tablet reloaded or restarted offline start anew.
(function () {
  "use strict";
  var QUEUE = "kiosk-queue";
  var form = document.getElementById("kiosk-form");
  if (!form) {
    return;
  }
  var thanks = document.getElementById("kiosk-thanks");
  var prompt = document.getElementById("kiosk-idle");
  var settings = form.dataset;
  var idleTimer = null;
  var graceTimer = null;
  var touched = form.hasAttribute("data-url"); // a page answering a POST holds someone's answers
  var flushing = false;

  function uuid4() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function field(name) {
    return form.querySelector('input[name="' + name + '"]');
  }

  // --- storage: nothing but the queue of unsent answers survives a respondent ---
  function readQueue() {
    try {
      return JSON.parse(window.localStorage.getItem(QUEUE) || "[]");
    } catch (error) {
      return [];
    }
  }

  function writeQueue(queue) {
    if (queue.length) {
      window.localStorage.setItem(QUEUE, JSON.stringify(queue));
    } else {
      window.localStorage.removeItem(QUEUE);
    }
  }

  function clearStorage() {
    window.sessionStorage.clear();
    for (var i = window.localStorage.length - 1; i >= 0; i -= 1) {
      var key = window.localStorage.key(i);
      if (key !== QUEUE) {
        window.localStorage.removeItem(key);
      }
    }
  }

  // --- sending ---
  function pairs(submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    data.set("sent_ms", String(Date.now()));
    var list = [];
    data.forEach(function (value, name) { list.push([name, String(value)]); });
    return list;
  }

  function body(list, token) {
    var data = new URLSearchParams();
    list.forEach(function (pair) {
      if (pair[0] !== "csrf_token") {
        data.append(pair[0], pair[1]);
      }
    });
    data.append("csrf_token", token);
    return data;
  }

  function freshToken() {
    return fetch(settings.token, {credentials: "same-origin", cache: "no-store"}).then(function (reply) {
      if (!reply.ok) {
        throw new Error("no token");
      }
      return reply.json();
    }).then(function (json) { return json.csrf_token; });
  }

  // POST `list` to `url` with a fresh CSRF token; resolves to the reply, rejects when the tablet is offline.
  function post(url, list) {
    return freshToken().then(function (token) {
      return fetch(url, {method: "POST", body: body(list, token), credentials: "same-origin", cache: "no-store"});
    });
  }

  function worthRetrying(reply) {
    return reply.status >= 500 || reply.status === 429;
  }

  function enqueue(url, list) {
    var queue = readQueue();
    queue.push({url: url, fields: list.concat([["queued", "1"]])});
    writeQueue(queue);
  }

  // Send what was queued, oldest first; stop at the first that cannot go yet. The server stores each client
  // UUID once, so one sent twice (a reply lost on the way) does no harm.
  function flush() {
    var queue = readQueue();
    if (flushing || !queue.length) {
      return;
    }
    flushing = true;
    post(queue[0].url, queue[0].fields).then(function (reply) {
      flushing = false;
      if (!worthRetrying(reply)) {
        writeQueue(readQueue().slice(1));
        flush();
      }
    }, function () {
      flushing = false;
    });
  }

  // --- the next respondent ---
  function clearFields() {
    Array.prototype.forEach.call(form.elements, function (element) {
      var type = element.type;
      if (type === "hidden" || type === "submit" || type === "button" || !type) {
        return;
      }
      if (type === "checkbox" || type === "radio") {
        element.checked = false;
        element.defaultChecked = false;
      } else if (element.tagName === "SELECT") {
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = false;
          option.defaultSelected = false;
        });
        element.selectedIndex = element.options.length && element.options[0].value === "" ? 0 : -1;
      } else {
        element.value = "";
        element.defaultValue = "";
      }
      element.removeAttribute("aria-invalid");
    });
    Array.prototype.forEach.call(document.querySelectorAll(".errsum, p.error, .notice"), function (node) {
      node.parentNode.removeChild(node);
    });
    Array.prototype.forEach.call(document.querySelectorAll(".has-error"), function (node) {
      node.classList.remove("has-error");
    });
    form.dispatchEvent(new Event("change")); // logic.js shows and hides by the (now empty) answers
  }

  function newRespondent() {
    field("rk").value = uuid4();
    field("shown_ms").value = String(Date.now());
  }

  // Start again for the next person: in place (works offline); a page answering a POST (another language, the
  // problems of a page) is fetched anew when the server can be reached.
  function reset() {
    clearFields();
    newRespondent();
    clearStorage();
    window.history.replaceState(null, "", settings.start);
    thanks.hidden = true;
    form.hidden = false;
    touched = false; // a blank page waits for its respondent: no idle timer (clearing fired change events)
    stopIdle();
    window.scrollTo(0, 0);
    if (form.hasAttribute("data-url")) {
      freshToken().then(function () { window.location.replace(settings.start); }, function () {});
    }
  }

  function showThanks(offline) {
    form.hidden = true;
    stopIdle();
    thanks.querySelector("[data-online]").hidden = offline;
    thanks.querySelector("[data-offline]").hidden = !offline;
    thanks.hidden = false;
    thanks.querySelector("h1").focus();
    window.setTimeout(reset, Number(settings.restart) * 1000);
  }

  var bypass = false;

  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (bypass || (submitter && submitter.name === "lang")) {
      if (!bypass && !navigator.onLine) {
        event.preventDefault(); // another language needs the server; offline the page stays as it is
      }
      return; // shown by the server as usual (a language, or the problems of a page)
    }
    event.preventDefault();
    var list = pairs(submitter);
    stopIdle();
    post(form.action, list).then(function (reply) {
      if (reply.redirected && reply.url.indexOf(settings.start + "thanks") !== -1) {
        showThanks(false);
      } else if (worthRetrying(reply)) {
        enqueue(form.action, list);
        showThanks(true);
      } else {
        bypass = true; // the server has something to say about the answers: let the form show it
        form.requestSubmit(submitter);
      }
    }, function () {
      enqueue(form.action, list);
      showThanks(true);
    });
  });

  // --- idle ---
  function stopIdle() {
    window.clearTimeout(idleTimer);
    window.clearTimeout(graceTimer);
    if (prompt.open) {
      prompt.close();
    }
  }

  function armIdle() {
    stopIdle();
    if (touched) {
      idleTimer = window.setTimeout(askStillThere, Number(settings.idle) * 1000);
    }
  }

  function askStillThere() {
    prompt.showModal(); // a modal dialog: over the page wherever the respondent is, focus on "Yes, continue"
    graceTimer = window.setTimeout(timedOut, Number(settings.grace) * 1000);
  }

  function answered() {
    return Array.prototype.some.call(form.elements, function (element) {
      if (element.type === "checkbox" || element.type === "radio") {
        return element.checked;
      }
      return element.type !== "hidden" && element.type !== "submit" && element.tagName !== "BUTTON" &&
        element.value !== "" && element.tagName !== "SELECT";
    });
  }

  function timedOut() {
    if (settings.onIdle === "submit" && answered()) {
      var list = pairs(null);
      post(settings.idleUrl, list).then(function (reply) {
        if (worthRetrying(reply)) {
          enqueue(settings.idleUrl, list);
        }
      }, function () { enqueue(settings.idleUrl, list); });
    }
    reset();
  }

  function activity() {
    if (!thanks.hidden) {
      return;
    }
    touched = true;
    armIdle();
  }

  ["input", "change", "pointerdown", "keydown", "touchstart"].forEach(function (name) {
    document.addEventListener(name, activity, {passive: true});
  });
  prompt.querySelector("[data-continue]").addEventListener("click", function () {
    touched = true;
    armIdle();
  });

  // --- start ---
  clearStorage();
  if (form.hasAttribute("data-url")) {
    field("shown_ms").value = String(Date.now());
  } else {
    newRespondent(); // a blank page may come from the service worker's cache: never reuse its client UUID
    window.history.replaceState(null, "", settings.start);
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(settings.worker, {scope: settings.start}).catch(function () {});
  }
  armIdle();
  window.addEventListener("online", flush);
  window.setInterval(flush, 30000);
  flush();
})();
