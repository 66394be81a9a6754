/* The door scanner page: enrol the device, scan badges (USB scanner, camera, name search),
   show one unmistakable answer, and keep scans on the device while the network is down.
   Plain JavaScript, no build step; QR decoding by BarcodeDetector or the vendored jsQR. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("door-config").textContent);
  var body = document.body;
  var API = body.dataset.api;

  var DEBOUNCE_MS = 3000; // the same badge again within this: one request, one answer
  var TIMEOUT_MS = 6000; // a scan that gets no answer within this is kept for later
  var FLUSH_EVERY_MS = 15000; // how often saved scans are tried again
  var RETRY_AFTER_MS = 10000; // after a failure, new scans are saved at once for this long
  var CAMERA_REPEAT_MS = 1500; // a code the camera keeps seeing is read once
  var BATCH_SIZE = 200;
  var RESULT_MS = { ok: 4000, warn: 9000, stop: 9000 };
  var KEY = {
    device: "door.device",
    checkpoint: "door.checkpoint",
    direction: "door.direction",
    queue: "door.queue",
    seen: "door.seen",
    log: "door.log",
    offset: "door.clockOffset",
  };

  function $(id) {
    return document.getElementById(id);
  }

  // ---- storage -------------------------------------------------------------------------

  function load(key, fallback) {
    try {
      var raw = window.localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (error) {
      return fallback;
    }
  }

  function store(key, value) {
    try {
      if (value === null || value === undefined) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(value));
    } catch (error) {
      /* storage full or disabled: the page keeps working from memory */
    }
  }

  var state = {
    device: load(KEY.device, null),
    checkpoint: load(KEY.checkpoint, null),
    direction: load(KEY.direction, "in") === "out" ? "out" : "in",
    queue: load(KEY.queue, []),
    seen: load(KEY.seen, {}),
    log: load(KEY.log, []),
    offset: Number(load(KEY.offset, 0)) || 0,
    online: true,
    lastFailure: 0,
    list: DoorList.emptyList(null),
  };
  if (!Array.isArray(state.queue)) state.queue = [];
  if (!Array.isArray(state.log)) state.log = [];

  // ---- wording ---------------------------------------------------------------------------

  function fill(text, vars) {
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return vars && Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole;
    });
  }

  function msg(key, vars) {
    return fill(config.messages[key] || key, vars);
  }

  function statusText(key) {
    return config.statuses[key] || config.statuses.error;
  }

  // Two texts side by side: the first in `langs[0]`, the second (smaller) in `langs[1]`.
  function twoLanguages(element, texts, langs) {
    var parts = [];
    texts.forEach(function (text, i) {
      if (!text) return;
      var span = document.createElement("span");
      span.className = i ? "second" : "main";
      span.lang = langs[i];
      span.textContent = text;
      if (parts.length) parts.push(" ");
      parts.push(span);
    });
    element.replaceChildren.apply(element, parts);
  }

  // An answer's headline: in the device's language, then in the second language.
  function headline(element, title) {
    twoLanguages(element, title, [config.language, config.second_language]);
  }

  var CHINESE = config.language !== "en";

  // A name organisers typed in English and in Chinese, the page's language first.
  function typedNames(element, en, zh) {
    if (CHINESE && zh) twoLanguages(element, [zh, en], ["zh", "en"]);
    else twoLanguages(element, [en, zh], ["en", "zh"]);
  }

  function typedName(en, zh) {
    return (CHINESE ? [zh, en] : [en, zh]).filter(Boolean).join(" ");
  }

  function setMessage(id, text, tone) {
    var element = $(id);
    element.textContent = text;
    element.dataset.tone = tone || "";
  }

  // ---- clock: scans are stamped with the server's time, whatever the device's clock says --

  function now() {
    return new Date(Date.now() + state.offset);
  }

  function syncClock() {
    var controller = new AbortController();
    var timer = setTimeout(function () {
      controller.abort();
    }, 4000);
    var sent = Date.now();
    return fetch(body.dataset.clockUrl, {
      cache: "no-store",
      credentials: "omit",
      signal: controller.signal,
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        var server = Date.parse(data.now);
        if (!isNaN(server)) {
          state.offset = server - (sent + Date.now()) / 2;
          store(KEY.offset, state.offset);
        }
      })
      .catch(function () {
        /* offline: keep the offset measured last time */
      })
      .finally(function () {
        clearTimeout(timer);
      });
  }

  function venueZone() {
    return (state.device && state.device.timezone) || undefined;
  }

  function dayOf(date) {
    try {
      return new Intl.DateTimeFormat("en-CA", {
        timeZone: venueZone(),
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      }).format(date);
    } catch (error) {
      return date.toISOString().slice(0, 10);
    }
  }

  function formatTime(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) return "";
    var text;
    try {
      text = new Intl.DateTimeFormat("en-GB", {
        timeZone: venueZone(),
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }).format(date);
    } catch (error) {
      text = date.toISOString().slice(11, 16);
    }
    return dayOf(date) === dayOf(now()) ? text : dayOf(date) + " " + text;
  }

  function newScanId() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return b.toString(16).padStart(2, "0");
      })
      .join("");
  }

  // ---- the API ---------------------------------------------------------------------------

  function NetworkError(message) {
    this.name = "NetworkError";
    this.message = message;
  }

  function ApiProblem(status, error) {
    this.name = "ApiProblem";
    this.status = status;
    this.code = error.code || "http_" + status;
    this.message = error.message || "";
  }

  async function api(method, path, payload, options) {
    var opts = options || {};
    var controller = new AbortController();
    var timer = setTimeout(function () {
      controller.abort();
    }, opts.timeout || TIMEOUT_MS);
    var headers = { Accept: "application/json" };
    if (payload !== undefined) headers["Content-Type"] = "application/json";
    if (opts.auth !== false && state.device) headers.Authorization = "Bearer " + state.device.token;
    try {
      var response;
      try {
        response = await fetch(API + path, {
          method: method,
          headers: headers,
          body: payload === undefined ? undefined : JSON.stringify(payload),
          signal: controller.signal,
          cache: "no-store",
          credentials: "omit",
        });
      } catch (error) {
        throw new NetworkError(String(error));
      }
      var data = null;
      try {
        data = await response.json();
      } catch (error) {
        data = null;
      }
      // A 5xx, a busy server or a cut-off answer: the scan may or may not be recorded, so it
      // is kept and sent again later with the same client scan id (answered only once).
      var busy = response.status === 408 || response.status === 429;
      if (data && data.error && data.error.code === "concurrency_conflict") busy = true;
      if (response.status >= 500 || busy || (response.ok && data === null)) {
        throw new NetworkError("HTTP " + response.status);
      }
      if (!response.ok) {
        throw new ApiProblem(response.status, (data && data.error) || {});
      }
      return data;
    } finally {
      clearTimeout(timer);
    }
  }

  function lostDevice(error) {
    return (
      error instanceof ApiProblem &&
      (error.status === 401 || error.status === 403) &&
      ["device_revoked", "invalid_credential", "unauthorized"].indexOf(error.code) >= 0
    );
  }

  function deviceLost(code) {
    stopCamera();
    hideResult();
    forgetResult();
    closeSearch();
    state.device = null;
    store(KEY.device, null);
    // A switched-off device keeps nothing of its gathering's guests.
    clearTimeout(listTimer);
    useList(DoorList.emptyList(null));
    state.seen = {};
    store(KEY.seen, null);
    DoorList.wipe();
    recent.clear();
    state.log = [];
    store(KEY.log, null);
    renderLog();
    showView("enrol");
    setMessage(
      "enrol-message",
      msg(code === "device_revoked" ? "device_revoked" : "invalid_credential"),
      "stop"
    );
  }

  function markOnline() {
    state.online = true;
    renderNet();
  }

  function markOffline() {
    state.online = false;
    state.lastFailure = Date.now();
    renderNet();
  }

  // ---- views -----------------------------------------------------------------------------

  function showView(name) {
    body.dataset.view = name;
    ["enrol", "choose", "scanner"].forEach(function (id) {
      $(id).hidden = id !== name;
    });
    $("enrol-cancel").hidden = !(name === "enrol" && state.device);
    $("controls").hidden = name !== "scanner";
    if (name !== "scanner" && camera.purpose === "badge") stopCamera();
    renderHeader();
    renderQueue();
    if (name === "scanner") focusInput();
  }

  function checkpoints() {
    return (state.device && state.device.checkpoints) || [];
  }

  function checkpointByCode(code) {
    return (
      checkpoints().filter(function (c) {
        return c.code === code;
      })[0] || null
    );
  }

  function checkpointName(code) {
    var checkpoint = checkpointByCode(code);
    return checkpoint ? typedName(checkpoint.name_en, checkpoint.name_zh) : code;
  }

  function start() {
    if (!state.device) {
      showView("enrol");
      return;
    }
    if (!checkpointByCode(state.checkpoint)) {
      state.checkpoint = null;
      if (checkpoints().length === 1) setCheckpoint(checkpoints()[0].code);
    }
    if (!state.checkpoint) {
      renderChoices();
      showView("choose");
      return;
    }
    renderPlace();
    showView("scanner");
  }

  function setCheckpoint(code) {
    state.checkpoint = code;
    store(KEY.checkpoint, code);
    recent.clear();
  }

  function renderHeader() {
    var title = $("event-title");
    if (state.device) {
      var device = document.createElement("small");
      device.className = "device";
      device.textContent = state.device.name + " · ";
      typedNames(title, state.device.title_en, state.device.title_zh);
      title.prepend(device);
    } else {
      title.textContent = msg("door_scanner");
    }
  }

  function renderPlace() {
    var checkpoint = checkpointByCode(state.checkpoint) || {};
    typedNames($("checkpoint-name"), checkpoint.name_en || "", checkpoint.name_zh || "");
  }

  function renderChoices() {
    var list = $("checkpoint-list");
    list.replaceChildren();
    if (!checkpoints().length) {
      var none = document.createElement("p");
      none.className = "message";
      none.dataset.tone = "warn";
      none.textContent = msg("no_checkpoints");
      list.appendChild(none);
    }
    checkpoints().forEach(function (checkpoint) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "choice";
      button.dataset.code = checkpoint.code;
      var name = document.createElement("strong");
      typedNames(name, checkpoint.name_en, checkpoint.name_zh);
      var hours = document.createElement("small");
      hours.textContent =
        (checkpoint.closed ? msg("checkpoint_closed") + " · " : "") +
        msg("opens") +
        " " +
        formatTime(checkpoint.opens_at) +
        " – " +
        formatTime(checkpoint.closes_at) +
        " · " +
        checkpoint.categories
          .map(function (c) {
            return config.categories[c] || c;
          })
          .join(", ");
      button.append(name, hours);
      button.addEventListener("click", function () {
        setCheckpoint(checkpoint.code);
        start();
      });
      list.appendChild(button);
    });
  }

  async function refreshCheckpoints() {
    if (!state.device) return;
    try {
      var data = await api(
        "GET",
        "/gatherings/" + encodeURIComponent(state.device.slug) + "/checkpoints"
      );
      markOnline();
      if (!state.device) return;
      state.device.checkpoints = data.items;
      store(KEY.device, state.device);
      if (body.dataset.view === "choose") renderChoices();
      if (body.dataset.view === "scanner") {
        if (checkpointByCode(state.checkpoint)) renderPlace();
        else start();
      }
    } catch (error) {
      if (lostDevice(error)) deviceLost(error.code);
      else if (error instanceof NetworkError) markOffline();
    }
  }

  function renderNet() {
    var net = $("net");
    var fresh = DoorList.isFresh(state.list, now().getTime());
    net.dataset.online = String(state.online);
    net.dataset.listAge = String(DoorList.ageSeconds(state.list, now().getTime()));
    net.dataset.unverified = String(!fresh);
    body.dataset.online = String(state.online);
    if (state.online) net.textContent = msg("online");
    else if (!state.list.syncedAt) net.textContent = msg("offline_no_list");
    else net.textContent = msg(fresh ? "offline_list" : "offline_list_old", { age: listAge() });
  }

  function listAge() {
    var seconds = DoorList.ageSeconds(state.list, now().getTime());
    if (seconds === null) return "–";
    if (seconds < 120) return msg("age_seconds", { n: seconds });
    if (seconds < 7200) return msg("age_minutes", { n: Math.round(seconds / 60) });
    return msg("age_hours", { n: Math.round(seconds / 3600) });
  }

  // ---- the door list: kept current while online, judged by while offline -----------------

  var listTimer = 0;
  var listing = null;

  function useList(list) {
    state.list = list;
    renderNet();
  }

  async function loadList() {
    if (!state.device) return;
    var gatheringId = state.device.gathering_id;
    try {
      var kept = await DoorList.load(gatheringId);
      if (state.device && state.device.gathering_id === gatheringId) useList(kept);
    } catch (error) {
      useList(DoorList.emptyList(gatheringId));
    }
  }

  function syncList() {
    if (listing) return listing;
    if (!state.device) return Promise.resolve();
    clearTimeout(listTimer);
    var device = state.device;
    var list = state.list;
    listing = DoorList.sync(list, API, device.token, now().getTime())
      .then(function (result) {
        if (state.device !== device) return;
        if (result.outcome === "refused" && lostDevice(new ApiProblem(result.status, result))) {
          deviceLost(result.code);
          return;
        }
        if (result.outcome === "offline") markOffline();
        else if (result.outcome === "applied" || result.outcome === "ahead") listSynced(result);
        body.dataset.listProblem = result.outcome === "damaged" ? result.problem : "";
      })
      .finally(function () {
        listing = null;
        renderNet();
        if (state.device) {
          var again = state.list.version === 0 && state.list.syncedAt ? 0 : state.list.syncSeconds;
          listTimer = setTimeout(syncList, (again || 5) * 1000);
        }
      });
    return listing;
  }

  function listSynced(result) {
    var wasOffline = !state.online;
    markOnline();
    forgetErased(state.list.changed || []);
    if (result.outcome === "ahead") setTimeout(syncList, 0);
    if (wasOffline || state.queue.length) flush();
  }

  function renderQueue() {
    var count = state.queue.length;
    $("queue-count").textContent = String(count);
    $("queue").dataset.count = String(count);
    var note = $("unsent-note");
    note.hidden = !(count > 0 && !state.device);
    note.textContent = count ? msg("unsent", { n: count }) : "";
  }

  function setDirection(direction) {
    state.direction = direction === "out" ? "out" : "in";
    store(KEY.direction, state.direction);
    var button = $("direction");
    button.dataset.direction = state.direction;
    button.textContent = msg("direction_" + state.direction);
    body.classList.toggle("dir-out", state.direction === "out");
  }

  // ---- enrolment -------------------------------------------------------------------------

  function setupCodeFrom(text) {
    var trimmed = String(text || "").trim();
    try {
      var code = new URL(trimmed).searchParams.get("setup");
      if (code) return code;
    } catch (error) {
      /* not a URL: the code itself */
    }
    return trimmed;
  }

  function looksLikeSetup(text) {
    return /[?&]setup=/.test(text);
  }

  var ENROL_ERRORS = {
    setup_code_expired: "setup_code_expired",
    setup_code_used: "setup_code_used",
    not_found: "setup_not_found",
    validation_failed: "setup_malformed",
    malformed_json: "setup_malformed",
    device_revoked: "device_revoked",
  };

  async function enrol(code) {
    var clean = String(code || "")
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, "");
    showView("enrol");
    if (clean.length < 4) {
      setMessage("enrol-message", msg("setup_malformed"), "stop");
      return;
    }
    setMessage("enrol-message", msg("setup_working"), "info");
    $("enrol-submit").disabled = true;
    try {
      var data = await api("POST", "/devices/enrol", { setup_code: clean }, { auth: false });
      state.device = {
        token: data.device_token,
        id: data.device_id,
        name: data.name,
        slug: data.gathering_slug,
        gathering_id: data.gathering_id,
        title_en: data.gathering_title_en,
        title_zh: data.gathering_title_zh,
        timezone: data.timezone,
        checkpoints: data.checkpoints,
      };
      store(KEY.device, state.device);
      markOnline();
      state.seen = {};
      store(KEY.seen, state.seen);
      useList(DoorList.emptyList(data.gathering_id));
      DoorList.wipe().then(syncList);
      $("setup-code").value = "";
      setMessage("enrol-message", "", "");
      start();
      setMessage("notice", msg("enrolled", { name: data.name }), "ok");
      flush();
    } catch (error) {
      var key = error instanceof ApiProblem ? ENROL_ERRORS[error.code] : "setup_offline";
      setMessage(
        "enrol-message",
        key ? msg(key) : msg("refused", { message: error.message }),
        "stop"
      );
    } finally {
      $("enrol-submit").disabled = false;
    }
  }

  // ---- judging locally, while offline ----------------------------------------------------

  function seenKey(checkpoint, registrationId) {
    return checkpoint + "|" + registrationId;
  }

  function registrationOf(item) {
    if (item.kind !== "scan") return item.body.registration_id;
    var badge = DoorList.claims(item.body.token);
    return badge ? badge.registrationId : null;
  }

  // Offline, the page judges by DoorList.judge (door-list.js): the table of
  // domain/scan_rules.py, in its order, for all its list tells; tests/cases/door_cases.json
  // holds the server and the page to the same answers.
  function judgeLocally(item) {
    var rid = registrationOf(item);
    var judged = DoorList.judge(state.list, {
      token: item.body.token,
      registrationId: item.kind === "scan" ? null : item.body.registration_id,
      checkpoint: checkpointByCode(item.body.checkpoint),
      direction: item.body.direction,
      at: new Date(item.body.scanned_at),
      local: rid ? state.seen[seenKey(item.body.checkpoint, rid)] || null : null,
    });
    judged.registrationId = rid;
    judged.unverified = Boolean(judged.unverified) || !DoorList.isFresh(state.list, now().getTime());
    judged.local = judged.status === "ok" ? "ok" : "refused";
    return judged;
  }

  function remember(checkpoint, registrationId, status, direction, at) {
    if (!registrationId) return;
    var key = seenKey(checkpoint, registrationId);
    var earlier = state.seen[key];
    var first = (earlier && earlier.first) || null;
    if (direction === "in" && (status === "ok" || status === "already_checked_in")) {
      state.seen[key] = { inside: true, at: at, first: first || at };
    } else if (direction === "out" && status === "ok") {
      state.seen[key] = { inside: false, at: at, first: first };
    } else {
      return;
    }
    var keys = Object.keys(state.seen);
    for (var i = 0; i < keys.length - 3000; i++) delete state.seen[keys[i]];
    store(KEY.seen, state.seen);
  }

  // ---- scanning --------------------------------------------------------------------------

  var recent = new Map(); // badge|checkpoint|direction -> {at, promise}
  var clockReady = Promise.resolve();

  function shortToken(token) {
    return token.length > 12 ? "…" + token.slice(-8) : token;
  }

  function guestLabel(guest) {
    if (!guest) return "";
    return [guest.full_name, guest.name_zh].filter(Boolean).join(" ");
  }

  async function submit(raw) {
    var token = String(raw || "").trim();
    if (!token || !state.device) return;
    if (looksLikeSetup(token)) {
      setMessage("notice", msg("setup_scanned"), "warn");
      sound("warn");
      return;
    }
    if (!checkpointByCode(state.checkpoint)) {
      setMessage("notice", msg("choose_checkpoint"), "warn");
      start();
      return;
    }
    var key = token + "|" + state.checkpoint + "|" + state.direction;
    var at = Date.now();
    recent.forEach(function (entry, k) {
      if (at - entry.at >= DEBOUNCE_MS) recent.delete(k);
    });
    var earlier = recent.get(key);
    if (earlier) {
      var again = await earlier.promise;
      if (again) showResult(again, { repeat: true });
      return;
    }
    var promise = send({
      kind: "scan",
      path: "/scans",
      subject: token,
      label: shortToken(token),
      body: scanBody({ token: token }),
    });
    recent.set(key, { at: at, promise: promise });
    var result = await promise;
    if (result) showResult(result, {});
  }

  function scanBody(fields) {
    return Object.assign(fields, {
      checkpoint: state.checkpoint,
      client_scan_id: newScanId(),
      scanned_at: now().toISOString(),
      direction: state.direction,
    });
  }

  function sleep(ms) {
    return new Promise(function (resolve) {
      setTimeout(resolve, ms);
    });
  }

  async function mustQueue() {
    if (state.queue.length === 0 && state.online) return false;
    if (navigator.onLine === false) return true;
    if (!state.online && Date.now() - state.lastFailure < RETRY_AFTER_MS) return true;
    // Saved scans go first, so the server judges in the order things happened; a long
    // upload does not hold the door up: the scan joins the queue behind it.
    await Promise.race([flush(), sleep(1500)]);
    return state.queue.length > 0 || !state.online;
  }

  async function send(item) {
    var scannedAt = Date.now();
    await clockReady;
    // Stamped with the server's time once the clock offset is known.
    item.body.scanned_at = new Date(scannedAt + state.offset).toISOString();
    if (await mustQueue()) return keep(item);
    try {
      var answer = await api("POST", item.path, item.body);
      markOnline();
      learn(item, answer);
      log(item, answer.status, answer, false);
      return fromAnswer(answer);
    } catch (error) {
      if (error instanceof NetworkError) {
        markOffline();
        return keep(item);
      }
      if (lostDevice(error)) {
        deviceLost(error.code);
        return null;
      }
      log(item, "error", null, false);
      return refused(error);
    }
  }

  function offlineKey(judged, direction) {
    if (judged.status !== "ok") return judged.status;
    if (judged.unverified && direction === "in") return "offline_unverified";
    return direction === "out" ? "offline_exit" : "offline_ok";
  }

  function keep(item) {
    var judged = judgeLocally(item);
    var key = offlineKey(judged, item.body.direction);
    item.body.offline = true;
    item.body.local_status = judged.local;
    state.queue.push({
      kind: item.kind,
      path: item.path,
      body: item.body,
      subject: item.subject,
      label: item.label,
      shown: key,
    });
    store(KEY.queue, state.queue);
    remember(item.body.checkpoint, judged.registrationId, judged.status, item.body.direction, item.body.scanned_at);
    var guest = DoorList.passes(judged.status)
      ? DoorList.guestOf(judged.entry, checkpointByCode(item.body.checkpoint)) || item.guest || null
      : null;
    if (guest) item.label = guestLabel(guest);
    log(item, key, null, true);
    renderQueue();
    var text = statusText(key);
    var flags = [msg("offline_note")];
    if (judged.unverified) flags.push(msg("unverified", { age: listAge() }));
    if (judged.reEntry) flags.push(msg("re_entry"));
    return {
      status: judged.status,
      tone: text.tone,
      title: text.title,
      detail: text.detail,
      guest: guest,
      first: judged.first ? { at: judged.first, checkpoint: item.body.checkpoint } : null,
      reason: judged.unlisted ? msg("unlisted", { age: listAge() }) : msg("queued"),
      flags: flags,
      offline: true,
      unverified: judged.unverified,
    };
  }

  function learn(item, answer) {
    var rid = (answer.guest && answer.guest.registration_id) || registrationOf(item);
    remember(answer.checkpoint, rid, answer.status, answer.direction, answer.scanned_at);
  }

  function answerKey(answer) {
    return answer.status === "ok" && answer.direction === "out" ? "exit" : answer.status;
  }

  function fromAnswer(answer) {
    var key = answerKey(answer);
    var text = statusText(key);
    var flags = [];
    if (answer.manual) flags.push(msg("manual"));
    if (
      key === "ok" &&
      answer.first_check_in &&
      Date.parse(answer.first_check_in.at) < Date.parse(answer.scanned_at)
    ) {
      flags.push(msg("re_entry"));
    }
    if (answer.conflict) flags.push(msg("conflict"));
    return {
      status: answer.status,
      tone: text.tone,
      title: text.title,
      detail: text.detail,
      guest: answer.guest,
      first: answer.status === "already_checked_in" ? answer.first_check_in : null,
      reason: answer.reason,
      flags: flags,
      offline: false,
    };
  }

  function refused(error) {
    var text = statusText("error");
    return {
      status: "error",
      tone: text.tone,
      title: text.title,
      detail: text.detail,
      guest: null,
      first: null,
      reason: msg("refused", { message: error.message || error.code }),
      flags: [],
      offline: false,
    };
  }

  // ---- the offline queue -----------------------------------------------------------------

  var flushing = null;

  function flush() {
    if (flushing) return flushing;
    if (!state.device || state.queue.length === 0) return Promise.resolve();
    body.dataset.sending = "true";
    flushing = sendQueue().finally(function () {
      flushing = null;
      body.dataset.sending = "false";
      renderQueue();
    });
    return flushing;
  }

  async function sendQueue() {
    var report = { sent: 0, differs: 0 };
    try {
      while (state.queue.length && state.device) {
        var head = state.queue[0];
        var items = [head];
        if (head.kind === "scan") {
          items = [];
          for (var i = 0; i < state.queue.length && items.length < BATCH_SIZE; i++) {
            if (state.queue[i].kind !== "scan") break;
            items.push(state.queue[i]);
          }
        }
        var answers;
        if (head.kind === "scan") {
          try {
            var payload = {
              scans: items.map(function (item) {
                return item.body;
              }),
            };
            answers = (await api("POST", "/scans/batch", payload, { timeout: 20000 })).results;
          } catch (error) {
            // One scan the server refuses (say, a device clock far ahead) refuses the whole
            // batch: send them one by one, so the others get through.
            if (!(error instanceof ApiProblem) || lostDevice(error)) throw error;
            answers = await sendEach(items);
          }
        } else {
          answers = await sendEach(items);
        }
        settle(items, answers, report);
      }
      markOnline();
    } catch (error) {
      if (lostDevice(error)) deviceLost(error.code);
      else markOffline();
    }
    if (report.sent) {
      var text = msg("sent", { n: report.sent });
      if (report.differs) text += " " + msg("sent_differs", { n: report.differs });
      var element = $("sync-report");
      element.hidden = false;
      setMessage("sync-report", text, report.differs ? "warn" : "ok");
    }
  }

  async function sendEach(items) {
    var answers = [];
    for (var i = 0; i < items.length; i++) {
      try {
        answers.push(await api("POST", items[i].path, items[i].body));
      } catch (error) {
        if (!(error instanceof ApiProblem) || lostDevice(error)) throw error;
        answers.push({ refused: error });
      }
    }
    return answers;
  }

  function settle(items, answers, report) {
    var done = {};
    items.forEach(function (item, n) {
      var answer = answers[n];
      done[item.body.client_scan_id] = true;
      report.sent += 1;
      if (!answer || answer.refused) {
        report.differs += 1;
        updateLog(item.body.client_scan_id, { pending: false, server: "error" });
        return;
      }
      learn(item, answer);
      var differs = statusText(answerKey(answer)).tone !== statusText(item.shown).tone;
      if (differs || answer.conflict) report.differs += 1;
      updateLog(item.body.client_scan_id, {
        pending: false,
        server: answerKey(answer),
        conflict: Boolean(answer.conflict),
        differs: differs,
        label: guestLabel(answer.guest) || item.label,
      });
    });
    state.queue = state.queue.filter(function (item) {
      return !done[item.body.client_scan_id];
    });
    store(KEY.queue, state.queue);
    renderQueue();
  }

  // Guests whose personal data were erased (`removed` in a list of changes): the recent
  // scans and the queue keep no name of theirs.
  function forgetErased(changed) {
    var erased = {};
    changed.forEach(function (entry) {
      if (entry.removed) erased[entry.registration_id] = true;
    });
    if (!Object.keys(erased).length) return;
    state.log.forEach(function (entry) {
      if (erased[entry.rid]) entry.label = "";
    });
    state.queue.forEach(function (item) {
      if (erased[registrationOf(item)]) {
        item.label = "";
        item.guest = null;
      }
    });
    store(KEY.log, state.log);
    store(KEY.queue, state.queue);
    renderLog();
  }

  // ---- recent scans ----------------------------------------------------------------------

  function log(item, status, answer, pending) {
    state.log.unshift({
      id: item.body.client_scan_id,
      rid: registrationOf(item) || (answer && answer.guest && answer.guest.registration_id) || null,
      at: item.body.scanned_at,
      label: guestLabel(answer && answer.guest) || item.label,
      shown: answer ? answerKey(answer) : status,
      pending: pending,
      server: null,
    });
    state.log = state.log.slice(0, 30);
    store(KEY.log, state.log);
    renderLog();
  }

  function updateLog(id, patch) {
    state.log.forEach(function (entry) {
      if (entry.id === id) Object.assign(entry, patch);
    });
    store(KEY.log, state.log);
    renderLog();
  }

  function renderLog() {
    var list = $("recent");
    list.replaceChildren();
    if (!state.log.length) {
      var empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = msg("no_scans");
      list.appendChild(empty);
      return;
    }
    state.log.forEach(function (entry) {
      var shown = statusText(entry.shown);
      var item = document.createElement("li");
      item.dataset.id = entry.id;
      item.dataset.tone = entry.server ? statusText(entry.server).tone : shown.tone;
      item.dataset.pending = String(Boolean(entry.pending));
      var time = document.createElement("time");
      time.textContent = formatTime(entry.at);
      var who = document.createElement("span");
      who.className = "who";
      who.textContent = entry.label;
      var what = document.createElement("span");
      what.className = "what";
      what.textContent = shown.title[0];
      item.append(time, who, what);
      if (entry.pending || entry.server) {
        var extra = document.createElement("span");
        extra.className = "server";
        extra.dataset.status = entry.server || "";
        extra.textContent = entry.pending
          ? msg("pending")
          : msg("server_said", { status: statusText(entry.server).title[0] });
        item.appendChild(extra);
      }
      list.appendChild(item);
    });
  }

  // ---- the answer, full screen, with sound ----------------------------------------------

  var resultTimer = 0;
  var ICONS = { ok: "✓", warn: "!", stop: "✕" };

  function showResult(result, opts) {
    var element = $("result");
    element.dataset.status = result.status;
    element.dataset.tone = result.tone;
    element.dataset.offline = String(result.offline);
    element.dataset.unverified = String(Boolean(result.unverified));
    $("result-icon").textContent = ICONS[result.tone];
    headline($("result-title"), result.title);
    var flags = result.flags.slice();
    if (opts && opts.repeat) flags.push(msg("repeat"));
    $("result-flags").textContent = flags.join(" · ");
    $("result-flags").hidden = !flags.length;

    var guest = result.guest;
    $("result-guest").hidden = !guest;
    $("guest-name-en").textContent = guest ? guest.full_name : "";
    $("guest-name-zh").textContent = guest ? guest.name_zh || "" : "";
    $("guest-org").textContent = guest
      ? [guest.job_title, guest.organisation].filter(Boolean).join(", ")
      : "";
    $("guest-category").textContent = guest
      ? config.categories[guest.category] || guest.category
      : "";
    var notes = $("guest-notes");
    notes.replaceChildren();
    ((guest && guest.notes) || []).forEach(function (note) {
      var li = document.createElement("li");
      li.textContent = note;
      notes.appendChild(li);
    });

    var first = result.first;
    var firstLine = "";
    if (first && first.local) {
      firstLine = msg("scanned_at") + ": " + formatTime(first.at);
    } else if (first) {
      var device = String(first.device || "")
        .replace(/^device:/, "")
        .replace(/#[0-9a-f]+$/, "");
      firstLine = [msg("first_check_in") + ": " + formatTime(first.at), checkpointName(first.checkpoint), device]
        .filter(Boolean)
        .join(" · ");
    }
    $("result-first").textContent = firstLine;
    $("result-first").hidden = !firstLine;
    $("result-detail").textContent = result.detail;
    $("result-reason").textContent = result.reason || "";

    element.hidden = false;
    body.classList.add("showing-result");
    sound(result.tone);
    vibrate(result.tone);
    clearTimeout(resultTimer);
    resultTimer = setTimeout(hideResult, RESULT_MS[result.tone] || 6000);
    focusInput();
  }

  function hideResult() {
    clearTimeout(resultTimer);
    $("result").hidden = true;
    body.classList.remove("showing-result");
    focusInput();
  }

  /* Blank the last answer's guest, so a switched-off page holds no name. */
  function forgetResult() {
    ["guest-name-en", "guest-name-zh", "guest-org", "guest-category"].forEach(function (id) {
      $(id).textContent = "";
    });
    $("guest-notes").replaceChildren();
  }

  var audio = null;
  var TONES = {
    ok: [
      [880, 0, 0.12, "sine"],
      [1320, 0.13, 0.16, "sine"],
    ],
    warn: [
      [587, 0, 0.16, "triangle"],
      [587, 0.24, 0.16, "triangle"],
    ],
    stop: [[196, 0, 0.6, "square"]],
  };
  var VIBRATIONS = { ok: [80], warn: [150, 100, 150], stop: [500] };

  function unlockAudio() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    if (!audio) {
      try {
        audio = new Context();
      } catch (error) {
        return;
      }
    }
    if (audio.state === "suspended") audio.resume().catch(function () {});
  }

  function sound(tone) {
    body.dataset.sound = tone;
    body.dataset.sounds = String(Number(body.dataset.sounds || 0) + 1);
    if (!audio || audio.state !== "running") return;
    var start = audio.currentTime + 0.01;
    TONES[tone].forEach(function (note) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.type = note[3];
      osc.frequency.value = note[0];
      gain.gain.setValueAtTime(0.0001, start + note[1]);
      gain.gain.exponentialRampToValueAtTime(0.35, start + note[1] + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + note[1] + note[2]);
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start(start + note[1]);
      osc.stop(start + note[1] + note[2] + 0.02);
    });
  }

  function vibrate(tone) {
    if (typeof navigator.vibrate !== "function") return;
    try {
      navigator.vibrate(VIBRATIONS[tone]);
    } catch (error) {
      /* not allowed here */
    }
  }

  // ---- the camera ------------------------------------------------------------------------

  var camera = { stream: null, timer: 0, detector: null, purpose: "", lastText: "", lastSeen: 0 };

  async function makeDetector() {
    if (!("BarcodeDetector" in window)) return null;
    try {
      var formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.indexOf("qr_code") < 0) return null;
      return new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (error) {
      return null;
    }
  }

  function placeCamera(purpose) {
    var box = $("camera-box");
    if (purpose === "setup") $("enrol").insertBefore(box, $("enrol-form"));
    else $("scanner").insertBefore(box, $("scan-form"));
    box.hidden = false;
  }

  async function startCamera(purpose) {
    if (camera.stream && camera.purpose === purpose) return;
    stopCamera();
    camera.purpose = purpose;
    placeCamera(purpose);
    var hint = $("camera-hint");
    hint.textContent = msg("camera_starting");
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      cameraFailed("no camera access on this page");
      return;
    }
    var stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
      });
    } catch (error) {
      cameraFailed(error.name || String(error));
      return;
    }
    if (camera.purpose !== purpose) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
      return;
    }
    camera.stream = stream;
    var video = $("camera");
    video.srcObject = stream;
    try {
      await video.play();
    } catch (error) {
      /* autoplay refused: frames still arrive for decoding */
    }
    camera.detector = await makeDetector();
    body.dataset.decoder = camera.detector ? "BarcodeDetector" : "jsQR";
    hint.textContent = msg("camera_hint");
    $("camera-toggle").setAttribute("aria-pressed", "true");
    body.dataset.camera = "on";
    $("ready").hidden = true;
    nextFrame();
  }

  function cameraFailed(reason) {
    stopCamera();
    var text = msg("camera_failed", { message: reason });
    if (body.dataset.view === "enrol") setMessage("enrol-message", text, "stop");
    else setMessage("notice", text, "stop");
  }

  function stopCamera() {
    clearTimeout(camera.timer);
    if (camera.stream) {
      camera.stream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    camera.stream = null;
    camera.purpose = "";
    $("camera").srcObject = null;
    $("camera-box").hidden = true;
    $("camera-toggle").setAttribute("aria-pressed", "false");
    body.dataset.camera = "off";
    $("ready").hidden = false;
  }

  function nextFrame() {
    clearTimeout(camera.timer);
    if (camera.stream) camera.timer = setTimeout(readFrame, 120);
  }

  async function readFrame() {
    var video = $("camera");
    try {
      if (video.readyState >= 2 && video.videoWidth) {
        var text = await decode(video);
        if (text) onCameraText(text);
      }
    } catch (error) {
      /* a frame that cannot be read is skipped */
    }
    nextFrame();
  }

  async function decode(video) {
    if (camera.detector) {
      var codes = await camera.detector.detect(video);
      return codes.length ? codes[0].rawValue : "";
    }
    if (typeof window.jsQR !== "function") return "";
    var scale = Math.min(1, 800 / Math.max(video.videoWidth, video.videoHeight));
    var width = Math.round(video.videoWidth * scale);
    var height = Math.round(video.videoHeight * scale);
    var canvas = $("frame");
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, width, height);
    var image = context.getImageData(0, 0, width, height);
    var code = window.jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
    return code && code.data ? code.data : "";
  }

  function onCameraText(text) {
    var at = Date.now();
    var same = text === camera.lastText && at - camera.lastSeen < CAMERA_REPEAT_MS;
    camera.lastText = text;
    camera.lastSeen = at;
    if (same) return;
    if (camera.purpose === "setup") {
      stopCamera();
      enrol(setupCodeFrom(text));
      return;
    }
    submit(text);
  }

  // ---- name search -----------------------------------------------------------------------

  var searchTimer = 0;
  var searchSeq = 0;

  function openSearch() {
    $("search").hidden = false;
    body.classList.add("searching");
    $("search-input").focus();
  }

  function closeSearch() {
    $("search").hidden = true;
    body.classList.remove("searching");
    focusInput();
  }

  async function search(text) {
    var q = String(text || "").trim();
    if (!q) return;
    var seq = ++searchSeq;
    setMessage("search-message", "", "");
    try {
      var data = await api("GET", "/door/guests?q=" + encodeURIComponent(q));
      markOnline();
      if (seq === searchSeq) renderGuests(data.items || []);
    } catch (error) {
      if (lostDevice(error)) {
        deviceLost(error.code);
        return;
      }
      if (error instanceof NetworkError) {
        markOffline();
        if (seq === searchSeq) searchList(q);
      } else {
        setMessage("search-message", msg("refused", { message: error.message }), "stop");
      }
    }
  }

  function searchList(q) {
    if (!state.list.syncedAt) {
      setMessage("search-message", msg("search_offline"), "warn");
      return;
    }
    var items = DoorList.find(state.list, q).map(function (entry) {
      return Object.assign({ organisation: "" }, entry);
    });
    renderGuests(items);
    if (items.length) setMessage("search-message", msg("search_list", { age: listAge() }), "warn");
  }

  function renderGuests(items) {
    var list = $("search-results");
    list.replaceChildren();
    if (!items.length) setMessage("search-message", msg("search_none"), "warn");
    items.forEach(function (guest) {
      var li = document.createElement("li");
      li.className = "guest";
      li.dataset.state = guest.state;
      var name = document.createElement("strong");
      name.textContent = guestLabel(guest);
      var details = document.createElement("small");
      var parts = [
        guest.organisation,
        config.categories[guest.category] || guest.category,
        config.states[guest.state] || guest.state,
      ];
      if (guest.entries) parts.push(msg("entries", { n: guest.entries }));
      details.textContent = parts.filter(Boolean).join(" · ");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "check-in";
      button.textContent = msg(state.direction === "out" ? "check_out" : "check_in");
      button.addEventListener("click", function () {
        checkInGuest(guest);
      });
      li.append(name, details, button);
      list.appendChild(li);
    });
  }

  async function checkInGuest(guest) {
    closeSearch();
    var result = await send({
      kind: "manual",
      path: "/door/check-ins",
      subject: "reg:" + guest.registration_id,
      label: guestLabel(guest),
      guest: guest,
      body: scanBody({ registration_id: guest.registration_id }),
    });
    if (result) showResult(result, {});
  }

  // ---- focus: a USB scanner types into the scan box, whatever was tapped last ------------

  function focusInput() {
    if (body.dataset.view !== "scanner" || !$("search").hidden) return;
    var active = document.activeElement;
    var input = $("scan-input");
    if (active === input) return;
    if (active && ["INPUT", "TEXTAREA", "SELECT"].indexOf(active.tagName) >= 0) return;
    input.focus({ preventScroll: true });
  }

  // ---- wiring ----------------------------------------------------------------------------

  function wire() {
    document.addEventListener("pointerdown", unlockAudio, true);
    document.addEventListener("keydown", unlockAudio, true);

    $("enrol-form").addEventListener("submit", function (event) {
      event.preventDefault();
      // A USB scanner reading the set-up QR code types its whole URL here.
      enrol(setupCodeFrom($("setup-code").value));
    });
    $("enrol-cancel").addEventListener("click", function () {
      setMessage("enrol-message", "", "");
      start();
    });
    $("enrol-camera").addEventListener("click", function () {
      startCamera("setup");
    });

    var input = $("scan-input");
    input.addEventListener("keydown", function (event) {
      // Scanners end a code with Enter (or Tab, when set up so).
      if (event.key === "Enter" || (event.key === "Tab" && input.value.trim())) {
        event.preventDefault();
        var text = input.value;
        input.value = "";
        submit(text);
      }
    });
    $("scan-form").addEventListener("submit", function (event) {
      event.preventDefault();
      var text = input.value;
      input.value = "";
      submit(text);
    });
    input.addEventListener("blur", function () {
      setTimeout(focusInput, 0);
    });
    // Tapping a control must not take the focus away from the scan box...
    ["controls", "result", "type-toggle", "place"].forEach(function (id) {
      $(id).addEventListener("mousedown", function (event) {
        event.preventDefault();
      });
    });
    // ...and a scanner typing while something else has the focus still types into it.
    document.addEventListener(
      "keydown",
      function (event) {
        if (body.dataset.view !== "scanner" || !$("search").hidden) return;
        if (event.ctrlKey || event.metaKey || event.altKey || event.key.length !== 1) return;
        var target = event.target;
        if (target && ["INPUT", "TEXTAREA", "SELECT"].indexOf(target.tagName) >= 0) return;
        input.focus({ preventScroll: true });
      },
      true
    );
    document.addEventListener("click", function () {
      setTimeout(focusInput, 0);
    });
    $("type-toggle").addEventListener("click", function () {
      var typing = input.getAttribute("inputmode") === "none";
      input.setAttribute("inputmode", typing ? "text" : "none");
      $("type-toggle").setAttribute("aria-pressed", String(typing));
      input.blur();
      input.focus();
    });

    $("camera-toggle").addEventListener("click", function () {
      if (camera.stream || camera.purpose) stopCamera();
      else startCamera("badge");
    });
    $("direction").addEventListener("click", function () {
      setDirection(state.direction === "in" ? "out" : "in");
    });
    $("change-checkpoint").addEventListener("click", function () {
      renderChoices();
      showView("choose");
    });

    $("search-open").addEventListener("click", openSearch);
    $("search-close").addEventListener("click", closeSearch);
    $("search-form").addEventListener("submit", function (event) {
      event.preventDefault();
      clearTimeout(searchTimer);
      search($("search-input").value);
    });
    $("search-input").addEventListener("input", function () {
      clearTimeout(searchTimer);
      var value = $("search-input").value;
      if (value.trim().length >= 2) {
        searchTimer = setTimeout(function () {
          search(value);
        }, 350);
      }
    });

    $("result").addEventListener("click", hideResult);

    window.addEventListener("online", function () {
      state.lastFailure = 0;
      flush();
      syncList();
    });
    window.addEventListener("offline", markOffline);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) flush();
    });
    setInterval(function () {
      if (state.queue.length) flush();
    }, FLUSH_EVERY_MS);
    setInterval(focusInput, 1500);
    setInterval(renderNet, 5000);
    setInterval(function () {
      if (body.dataset.view === "choose") refreshCheckpoints();
    }, 30000);
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator) || !window.isSecureContext) return;
    navigator.serviceWorker
      .register(body.dataset.swUrl, { scope: body.dataset.swScope })
      .catch(function () {
        /* the page works without it; it only cannot be reloaded offline */
      });
  }

  function init() {
    wire();
    setDirection(state.direction);
    renderNet();
    renderLog();
    registerWorker();
    clockReady = syncClock();
    var code = new URLSearchParams(window.location.search).get("setup");
    if (code) {
      // The one-time code should not stay in the address bar or the history.
      window.history.replaceState(null, "", window.location.pathname);
      enrol(code);
      return;
    }
    start();
    if (state.device) {
      refreshCheckpoints();
      loadList().then(syncList);
      flush();
    }
  }

  init();
})();
