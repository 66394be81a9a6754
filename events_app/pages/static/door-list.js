/* The door list: this device's copy of its gathering's admission list, and the offline
   judgement that reads it. The list comes from GET /api/v1/door/list (whole, then what
   changed), sealed with an HMAC the page checks before applying it; it is kept in
   IndexedDB. judge() answers as domain/scan_rules.py's table does, in its order, for
   everything the list tells; tests/cases/door_cases.json holds the server and this page
   to the same answers. Plain JavaScript; SHA-256 from the vendored js-sha256. */
(function (root) {
  "use strict";

  var BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  var TOKEN = /^[A-Z2-7]{55}$/;
  var DIGEST_CHARS = 24;
  var DB_NAME = "door-list";
  var PASSING = { ok: true, already_checked_in: true };

  // ---- the badge format (events_app/services/badge_tokens.py) -----------------------------

  function decode(token) {
    var out = [];
    var bits = 0;
    var value = 0;
    for (var i = 0; i < token.length; i++) {
      value = ((value << 5) | BASE32.indexOf(token[i])) & 0xfff;
      bits += 5;
      if (bits >= 8) {
        out.push((value >>> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    // The bits left over must be zero, as in the one encoding the server writes.
    return (value & ((1 << bits) - 1)) === 0 ? out : null;
  }

  function hex(bytes) {
    return bytes
      .map(function (b) {
        return (b < 16 ? "0" : "") + b.toString(16);
      })
      .join("");
  }

  function uuid(h) {
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  /* What a code says if it has a badge's shape: version 1, key id, the gathering's tag, the
     registration id and the serial. The MAC is not checked here: the list's digests are. */
  function claims(token) {
    if (typeof token !== "string" || !TOKEN.test(token)) return null;
    var bytes = decode(token);
    if (!bytes || bytes.length !== 34 || bytes[0] !== 1) return null;
    return {
      keyId: bytes[1],
      tag: hex(bytes.slice(2, 6)),
      registrationId: uuid(hex(bytes.slice(6, 22))),
      serial: (bytes[22] << 8) | bytes[23],
    };
  }

  function digest(token) {
    return root.sha256(token).slice(0, DIGEST_CHARS);
  }

  function tagOf(gatheringId) {
    return String(gatheringId || "").replace(/-/g, "").slice(0, 8).toLowerCase();
  }

  // ---- the judgement ------------------------------------------------------------------------

  function isOpen(checkpoint, at) {
    return at >= new Date(checkpoint.opens_at) && at < new Date(checkpoint.closes_at);
  }

  /* Where the guest stands at this checkpoint: the device's own record when it is newer
     than the list (a scan it made since), else the list's, as of its last sync. */
  function presence(entry, checkpoint, local, syncedAt) {
    var code = checkpoint.code;
    var listed = {
      inside: Boolean(entry && entry.inside.indexOf(code) >= 0),
      first: (entry && entry.first[code]) || null,
    };
    if (!local || Date.parse(local.at) <= syncedAt) return listed;
    return { inside: local.inside, first: listed.first || local.first || local.at };
  }

  function answer(rule, status, entry, extra) {
    return Object.assign({ rule: rule, status: status, entry: entry || null }, extra || {});
  }

  /* Judge a scan offline. `scan` holds the token (or, for a guest found by name, the
     registration id), the checkpoint as the device holds it, the direction, the time and
     the device's own record of the guest here. The first rule that applies answers. */
  function judge(list, scan) {
    var checkpoint = scan.checkpoint;
    var entry = null;
    if (!scan.registrationId) {
      // The code as scanned, trimmed as the server trims it (badge_tokens.verify).
      var token = typeof scan.token === "string" ? scan.token.trim() : scan.token;
      var badge = claims(token);
      if (!badge) return answer("not_a_badge", "invalid");
      if (badge.tag !== tagOf(list.gatheringId)) {
        return answer("badge_of_another_gathering", "wrong_event");
      }
      if (!list.syncedAt) return unlisted(checkpoint, scan);
      entry = list.entries.get(badge.registrationId) || null;
      if (entry && entry.badges.indexOf(digest(token)) < 0) {
        return answer("not_a_badge", "invalid");
      }
      if (!entry) return answer("no_registration", "unknown", null, { unlisted: true });
      if (badge.serial !== entry.serial) return answer("replaced_badge", "revoked", entry);
    } else {
      entry = list.entries.get(scan.registrationId) || null;
      if (!entry) return answer("no_registration", "unknown", null, { unlisted: true });
    }
    if (entry.state === "cancelled") return answer("cancelled", "cancelled", entry);
    if (entry.state !== "confirmed") return answer("not_confirmed", "not_confirmed", entry);
    if (checkpoint.closed) return answer("closed_by_organisers", "closed", entry);
    if (checkpoint.categories.indexOf(entry.category) < 0) {
      return answer("category_not_admitted", "not_admitted_here", entry);
    }
    if (!isOpen(checkpoint, scan.at)) return answer("outside_hours", "closed", entry);
    var here = presence(entry, checkpoint, scan.local, list.syncedAt);
    if (scan.direction === "out" && !here.inside) return answer("not_inside", "not_inside", entry);
    if (scan.direction === "out") return answer("exit", "ok", entry);
    if (here.inside) return answer("already_checked_in", "already_checked_in", entry, { first: here.first });
    return answer("entry", "ok", entry, { reEntry: Boolean(here.first) });
  }

  /* A device that never synced its list knows only the badge's shape and its checkpoint:
     it judges those, and every answer it gives is unverified. */
  function unlisted(checkpoint, scan) {
    var extra = { unlisted: true, unverified: true };
    if (checkpoint.closed) return answer("closed_by_organisers", "closed", null, extra);
    if (!isOpen(checkpoint, scan.at)) return answer("outside_hours", "closed", null, extra);
    var local = scan.local || { inside: false, at: null };
    if (scan.direction === "out") return answer("exit", "ok", null, extra);
    if (local.inside) {
      return answer("already_checked_in", "already_checked_in", null, Object.assign({ first: local.at }, extra));
    }
    return answer("entry", "ok", null, extra);
  }

  /* The guest as the door shows them, as the server's answer does (no accessibility notes:
     the list does not hold them). */
  function guestOf(entry, checkpoint) {
    if (!entry) return null;
    var note = (checkpoint.category_notes || {})[entry.category];
    return {
      registration_id: entry.registration_id,
      full_name: entry.full_name,
      name_zh: entry.name_zh,
      organisation: "",
      job_title: "",
      category: entry.category,
      notes: note ? [note] : [],
    };
  }

  function passes(status) {
    return Boolean(PASSING[status]);
  }

  // ---- the list: applying syncs, checking their seal ---------------------------------------

  function emptyList(gatheringId) {
    return {
      gatheringId: gatheringId,
      version: 0,
      syncedAt: 0,
      maxAgeMinutes: 30,
      syncSeconds: 5,
      entries: new Map(),
    };
  }

  function sealOf(deviceToken, text) {
    return root.sha256.hmac(root.sha256(deviceToken), text);
  }

  /* Apply one sync answer (its text and seal) to `list`; return what was wrong, or "". */
  function apply(list, text, seal, deviceToken, receivedAt) {
    if (!seal || sealOf(deviceToken, text) !== seal) return "seal";
    var data;
    try {
      data = JSON.parse(text);
    } catch (error) {
      return "json";
    }
    if (!data || data.gathering_id !== list.gatheringId || !Array.isArray(data.entries)) {
      return "gathering";
    }
    if (!data.full && data.since !== list.version) return "version";
    var entries = data.full ? new Map() : new Map(list.entries);
    data.entries.forEach(function (entry) {
      entries.set(entry.registration_id, entry);
    });
    if (entries.size !== data.count) return "count";
    list.entries = entries;
    list.version = data.version;
    list.syncedAt = receivedAt;
    list.maxAgeMinutes = data.max_age_minutes;
    list.syncSeconds = data.sync_seconds;
    list.changed = data.full ? null : data.entries;
    return "";
  }

  function ageSeconds(list, nowMs) {
    return list.syncedAt ? Math.max(0, Math.round((nowMs - list.syncedAt) / 1000)) : null;
  }

  function isFresh(list, nowMs) {
    return Boolean(list.syncedAt) && nowMs - list.syncedAt <= list.maxAgeMinutes * 60000;
  }

  /* A name search over the list, for a guest without their badge while offline. */
  function find(list, text, limit) {
    var q = String(text || "").trim().toLowerCase();
    var found = [];
    if (q.length < 2) return found;
    list.entries.forEach(function (entry) {
      if (found.length >= (limit || 20)) return;
      var names = (entry.full_name + " " + entry.name_zh).toLowerCase();
      if (names.indexOf(q) >= 0) found.push(entry);
    });
    return found;
  }

  // ---- syncing --------------------------------------------------------------------------

  var SYNC_TIMEOUT_MS = 20000;
  var BUSY = { 408: true, 429: true };

  function errorCode(text) {
    try {
      return (JSON.parse(text).error || {}).code || "";
    } catch (error) {
      return "";
    }
  }

  /* Ask for what changed since the list's version and apply it. Return {outcome}: "applied",
     "offline" (no answer, or a busy server), "ahead" (the version is reset: sync again),
     "damaged" (the answer failed its checks: nothing applied) or "refused" (with the
     status and error code). */
  async function sync(list, apiBase, deviceToken, nowMs) {
    var controller = new AbortController();
    var timer = setTimeout(function () {
      controller.abort();
    }, SYNC_TIMEOUT_MS);
    var response;
    var text;
    try {
      response = await fetch(apiBase + "/door/list?since=" + list.version, {
        headers: { Accept: "application/json", Authorization: "Bearer " + deviceToken },
        cache: "no-store",
        credentials: "omit",
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      return { outcome: "offline" };
    } finally {
      clearTimeout(timer);
    }
    if (response.status >= 500 || BUSY[response.status]) return { outcome: "offline" };
    if (!response.ok) {
      var code = errorCode(text);
      if (code !== "door_list_ahead") {
        return { outcome: "refused", status: response.status, code: code };
      }
      list.version = 0;
      return { outcome: "ahead" };
    }
    var problem = apply(list, text, response.headers.get("X-Door-List-MAC"), deviceToken, nowMs);
    if (problem === "count" || problem === "version") list.version = 0; // whole list next
    if (problem) return { outcome: "damaged", problem: problem };
    try {
      await save(list);
    } catch (error) {
      /* storage full or disabled: the list is kept in memory only */
    }
    return { outcome: "applied" };
  }

  // ---- IndexedDB ----------------------------------------------------------------------------

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () {
        resolve(req.result);
      };
      req.onerror = function () {
        reject(req.error);
      };
    });
  }

  function open() {
    if (!root.indexedDB) return Promise.reject(new Error("no IndexedDB"));
    var req = root.indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = function () {
      req.result.createObjectStore("entries", { keyPath: "registration_id" });
      req.result.createObjectStore("meta");
    };
    return request(req);
  }

  function done(tx) {
    return new Promise(function (resolve, reject) {
      tx.oncomplete = resolve;
      tx.onerror = tx.onabort = function () {
        reject(tx.error);
      };
    });
  }

  /* Keep the list as applied: the whole of it after a full sync, else the changed rows. */
  async function save(list) {
    var db = await open();
    try {
      var tx = db.transaction(["entries", "meta"], "readwrite");
      var entries = tx.objectStore("entries");
      if (!list.changed) entries.clear();
      (list.changed || Array.from(list.entries.values())).forEach(function (entry) {
        entries.put(entry);
      });
      tx.objectStore("meta").put(
        {
          gatheringId: list.gatheringId,
          version: list.version,
          syncedAt: list.syncedAt,
          maxAgeMinutes: list.maxAgeMinutes,
          syncSeconds: list.syncSeconds,
        },
        "list"
      );
      await done(tx);
    } finally {
      db.close();
    }
  }

  /* Return the list kept for this gathering, or an empty one. */
  async function load(gatheringId) {
    var list = emptyList(gatheringId);
    var db = await open();
    try {
      var tx = db.transaction(["entries", "meta"], "readonly");
      var meta = await request(tx.objectStore("meta").get("list"));
      if (!meta || meta.gatheringId !== gatheringId) return list;
      var rows = await request(tx.objectStore("entries").getAll());
      rows.forEach(function (entry) {
        list.entries.set(entry.registration_id, entry);
      });
      Object.assign(list, meta);
      return list;
    } finally {
      db.close();
    }
  }

  /* Forget the list: a revoked device keeps nothing of its gathering's guests. */
  function wipe() {
    if (!root.indexedDB) return Promise.resolve();
    return request(root.indexedDB.deleteDatabase(DB_NAME)).catch(function () {});
  }

  root.DoorList = {
    claims: claims,
    digest: digest,
    judge: judge,
    guestOf: guestOf,
    passes: passes,
    emptyList: emptyList,
    apply: apply,
    ageSeconds: ageSeconds,
    isFresh: isFresh,
    find: find,
    sync: sync,
    save: save,
    load: load,
    wipe: wipe,
  };
})(typeof window === "object" ? window : this);
