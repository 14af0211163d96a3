// Live conversation: joins ws/conversations/<id>/, resyncs from the last message seen after every
// (re)connect, sends through the socket when it is open and falls back to the plain form post.
// While live updates are down (the server says so, or a ping goes unanswered) a plain status line says
// "reconnecting"; the server keeps sending new messages from the database meanwhile.
(function () {
  "use strict";
  var root = document.getElementById("conversation");
  if (!root || !window.WebSocket) { return; }
  var conversationId = root.dataset.conversationId;
  var userId = Number(root.dataset.userId);
  var list = document.getElementById("message-list");
  var live = document.getElementById("live-status");
  var form = document.getElementById("message-form");
  var seen = {};
  var lastId = Number(root.dataset.lastId) || 0;
  var socket = null;
  var retry = 1000;
  var PING_EVERY = 20000;
  var PONG_WITHIN = 10000;
  var pingTimer = null;
  var pongTimer = null;
  var receipts = document.getElementById("read-receipts");
  var stateScript = document.getElementById("read-state");
  var readState = stateScript ? JSON.parse(stateScript.textContent) : {};

  Array.prototype.forEach.call(list.querySelectorAll("li[data-id]"), function (li) { seen[li.dataset.id] = true; });

  function announce(text) {
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  // The page's words in its language (messaging/views.py), with %(name)s parts to fill in.
  var textScript = document.getElementById("messaging-text");
  var T = textScript ? JSON.parse(textScript.textContent) : {};
  function say(key, values, fallback) {
    var text = T[key] || fallback;
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return values && name in values ? values[name] : ""; });
  }

  function paragraph(className, text) {
    var p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  function render(message) {
    var li = document.createElement("li");
    li.id = "message-" + message.id;
    li.dataset.id = message.id;
    li.className = "card";
    var locale = document.documentElement.lang || "en-GB";
    var when = new Date(message.created_at).toLocaleString(locale, { dateStyle: "long", timeStyle: "short" });
    var who = message.mine ? say("you", null, "You") : message.sender_name;
    li.appendChild(paragraph("meta", say("meta", { who: who, when: when }, "%(who)s, %(when)s")));
    li.appendChild(paragraph("message-body", message.body));
    if (message.note) { li.appendChild(paragraph("message message-warning safety-note", say("note", { note: message.note }, "Please note: %(note)s"))); }
    if (!message.mine && message.sender_id && !message.removed && root.dataset.reportUrl) {
      var link = document.createElement("a");
      link.href = root.dataset.reportUrl.replace(/\/0\/$/, "/" + message.id + "/");
      link.textContent = say("report", null, "Report this message");
      var p = document.createElement("p");
      p.appendChild(link);
      li.appendChild(p);
    }
    return li;
  }

  function insert(message) {
    if (seen[message.id]) { return; }
    seen[message.id] = true;
    var empty = list.querySelector("li:not([data-id])");
    if (empty) { empty.remove(); }
    var after = null;
    Array.prototype.forEach.call(list.querySelectorAll("li[data-id]"), function (li) {
      if (Number(li.dataset.id) > message.id && after === null) { after = li; }
    });
    list.insertBefore(render(message), after);
    lastId = Math.max(lastId, message.id);
    showReceipts();
    if (!message.mine) {
      announce(say("new_message", { name: message.sender_name, body: message.body }, "New message from %(name)s: %(body)s"));
      if (document.visibilityState === "visible") { socket.send(JSON.stringify({ type: "read", up_to: lastId })); }
    }
  }

  // A visible, plain status line (the live region above is for screen readers' message announcements).
  function showStatus(text) {
    var status = document.getElementById("connection-status");
    if (!status) {
      if (!text) { return; }
      status = paragraph("meta", "");
      status.id = "connection-status";
      status.setAttribute("role", "status");
      (form || list).parentNode.insertBefore(status, form || list.nextSibling);
    }
    status.textContent = text;
    status.hidden = !text;
  }

  function onEvent(event) {
    var data = JSON.parse(event.data);
    if (data.type === "pong") { window.clearTimeout(pongTimer); pongTimer = null; }
    else if (data.type === "status") { showStatus(data.state === "live" ? "" : data.message); }
    else if (data.type === "message") { insert(data.message); }
    else if (data.type === "removed") {
      var li = document.getElementById("message-" + data.id);
      // The reader's own words for it (the event carries the moderator's language).
      if (li) { li.querySelector(".message-body").textContent = say("removed", null, data.body); }
    } else if (data.type === "read") {
      if (readState[data.user_id]) { readState[data.user_id].last_read = data.last_read_id; }
      showReceipts();
    } else if (data.type === "sent" && data.warning) { announce(data.warning); showNotice(data.warning); }
    else if (data.type === "error") { announce(data.message); showNotice(data.message); }
  }

  // The same words as the page renders: who has read up to the latest message.
  function showReceipts() {
    if (!receipts) { return; }
    var names = Object.keys(readState).filter(function (id) {
      return lastId && readState[id].last_read >= lastId;
    }).map(function (id) { return say("seen_by", { name: readState[id].name }, "Seen by %(name)s."); });
    receipts.textContent = names.join(" ");
  }

  function showNotice(text) {
    var notice = document.getElementById("live-notice");
    if (!notice) {
      notice = paragraph("message message-warning", "");
      notice.id = "live-notice";
      form.parentNode.insertBefore(notice, form);
    }
    notice.textContent = text;
  }

  // A socket can die without a close (a sleeping laptop, a dropped proxy): an unanswered ping ends it.
  function ping() {
    if (!socket || socket.readyState !== WebSocket.OPEN) { return; }
    socket.send(JSON.stringify({ type: "ping" }));
    if (pongTimer === null) {
      var stale = socket;
      pongTimer = window.setTimeout(function () { pongTimer = null; stale.close(); }, PONG_WITHIN);
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/conversations/" + conversationId + "/");
    socket.addEventListener("open", function () {
      retry = 1000;
      showStatus("");
      socket.send(JSON.stringify({ type: "resync", after: lastId }));
      window.clearInterval(pingTimer);
      pingTimer = window.setInterval(ping, PING_EVERY);
    });
    socket.addEventListener("message", onEvent);
    socket.addEventListener("close", function (event) {
      window.clearInterval(pingTimer);
      window.clearTimeout(pongTimer);
      pongTimer = null;
      // 4401/4403: signed out, blocked or left. Do not keep knocking; the page still works by refresh.
      if (event.code === 4401 || event.code === 4403) { return; }
      showStatus(say("reconnecting", null, "Live updates paused: reconnecting."));
      // 1012: live updates are back, connect again now. Otherwise wait longer each time.
      window.setTimeout(connect, event.code === 1012 ? 250 : retry);
      retry = event.code === 1012 ? 1000 : Math.min(retry * 2, 30000);
    });
  }

  if (form) {
    form.addEventListener("submit", function (event) {
      var box = form.querySelector("textarea[name=body]");
      if (!socket || socket.readyState !== WebSocket.OPEN || !box || !box.value.trim()) { return; }
      event.preventDefault();
      socket.send(JSON.stringify({ type: "send", body: box.value }));
      box.value = "";
      box.focus();
    });
  }
  connect();
}());
