/* Wegwijzer web chat: plain JavaScript, no framework, no build step, nothing loaded from elsewhere. */
(function () {
  "use strict";

  var LOCALES = ["nl", "fr", "de", "en"];
  var MAX_TEXT = 4000;
  var KEY = { session: "wegwijzer.session", locale: "wegwijzer.locale", log: "wegwijzer.log" };
  var NEUTRAL_SITE = "https://www.google.com";

  // The page's own words. The bot's messages come translated from the server.
  var LABELS = {
    nl: {
      language: "Taal",
      quickExit: "Snel weg",
      quickExitHint: "Verlaat deze pagina meteen. Je kunt ook twee keer op Esc drukken.",
      emergency: "Nood? 112",
      privacy: "Privacy",
      emergencyShown: "Iemand is nu in gevaar",
      introTitle: "Maak je je zorgen over een jongere?",
      intro: "Vertel hier in je eigen woorden wat er aan de hand is. Je hoeft je naam niet te geven.",
      conversation: "Gesprek",
      messageLabel: "Je bericht",
      placeholder: "Schrijf hier je bericht…",
      send: "Verstuur",
      you: "Jij:",
      bot: "Wegwijzer:",
      waiting: "Even geduld…",
      error: "Er ging iets mis. Probeer het nog eens.",
      degraded: "De chat werkt even in een beperkte versie.",
      left: "Nog {n} tekens",
      call: "Bel {phone}",
      website: "Website",
      summary: "Dit kun je doorgeven als je belt",
      copy: "Kopieer",
      copied: "Gekopieerd",
      reportComment: "Wat klopt er niet? (mag je leeg laten)",
      reportSend: "Verstuur melding",
      services: "Diensten die je kunnen helpen"
    },
    fr: {
      language: "Langue",
      quickExit: "Quitter vite",
      quickExitHint: "Quitter cette page immédiatement. Vous pouvez aussi appuyer deux fois sur Échap.",
      emergency: "Urgence\u00a0? 112",
      privacy: "Vie privée",
      emergencyShown: "Quelqu’un est en danger maintenant",
      introTitle: "Vous vous inquiétez pour un jeune ?",
      intro: "Expliquez ici, avec vos mots, ce qui se passe. Vous n’avez pas besoin de donner votre nom.",
      conversation: "Conversation",
      messageLabel: "Votre message",
      placeholder: "Écrivez votre message ici…",
      send: "Envoyer",
      you: "Vous :",
      bot: "Wegwijzer :",
      waiting: "Un instant…",
      error: "Un problème est survenu. Veuillez réessayer.",
      degraded: "Le chat fonctionne pour l’instant en version réduite.",
      left: "Encore {n} caractères",
      call: "Appeler le {phone}",
      website: "Site web",
      summary: "À transmettre quand vous appelez",
      copy: "Copier",
      copied: "Copié",
      reportComment: "Qu’est-ce qui est faux\u00a0? (facultatif)",
      reportSend: "Envoyer le signalement",
      services: "Services qui peuvent vous aider"
    },
    de: {
      language: "Sprache",
      quickExit: "Schnell weg",
      quickExitHint: "Verlässt diese Seite sofort. Sie können auch zweimal die Esc-Taste drücken.",
      emergency: "Notfall? 112",
      privacy: "Datenschutz",
      emergencyShown: "Jemand ist jetzt in Gefahr",
      introTitle: "Sie machen sich Sorgen um einen jungen Menschen?",
      intro: "Erzählen Sie hier in Ihren eigenen Worten, was los ist. Ihren Namen müssen Sie nicht nennen.",
      conversation: "Gespräch",
      messageLabel: "Ihre Nachricht",
      placeholder: "Schreiben Sie hier Ihre Nachricht…",
      send: "Senden",
      you: "Sie:",
      bot: "Wegwijzer:",
      waiting: "Einen Moment bitte…",
      error: "Da ist etwas schiefgegangen. Bitte versuchen Sie es noch einmal.",
      degraded: "Der Chat läuft gerade nur eingeschränkt.",
      left: "Noch {n} Zeichen",
      call: "{phone} anrufen",
      website: "Website",
      summary: "Das können Sie am Telefon weitergeben",
      copy: "Kopieren",
      copied: "Kopiert",
      reportComment: "Was stimmt nicht? (freiwillig)",
      reportSend: "Meldung senden",
      services: "Stellen, die Ihnen helfen können"
    },
    en: {
      language: "Language",
      quickExit: "Quick exit",
      quickExitHint: "Leaves this page straight away. You can also press Esc twice.",
      emergency: "Emergency? 112",
      privacy: "Privacy",
      emergencyShown: "Someone is in danger right now",
      introTitle: "Worried about a young person?",
      intro: "Tell us here, in your own words, what is going on. You don’t need to give your name.",
      conversation: "Conversation",
      messageLabel: "Your message",
      placeholder: "Type your message here…",
      send: "Send",
      you: "You:",
      bot: "Wegwijzer:",
      waiting: "Just a moment…",
      error: "Something went wrong. Please try again.",
      degraded: "The chat is running in a reduced mode for now.",
      left: "{n} characters left",
      call: "Call {phone}",
      website: "Website",
      summary: "You can pass this on when you call",
      copy: "Copy",
      copied: "Copied",
      reportComment: "What is wrong? (you may leave this empty)",
      reportSend: "Send report",
      services: "Services that can help you"
    }
  };

  var $ = function (id) { return document.getElementById(id); };
  var store = window.sessionStorage;
  var state = { locale: "nl", session: null, started: false, busy: false, entries: [], escapedAt: 0, generation: 0 };

  function t(key, args) {
    var text = (LABELS[state.locale] || LABELS.en)[key] || LABELS.en[key] || "";
    Object.keys(args || {}).forEach(function (name) { text = text.replace("{" + name + "}", args[name]); });
    return text;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else if (name === "className") node.className = attrs[name];
      else node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function newSessionId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function save() {
    try {
      store.setItem(KEY.session, state.session);
      store.setItem(KEY.locale, state.locale);
      store.setItem(KEY.log, JSON.stringify(state.entries));
    } catch (e) { /* private mode or full: the chat still works, it just is not kept on reload */ }
  }

  function initialLocale() {
    var asked = new URLSearchParams(location.search).get("lang");
    if (LOCALES.indexOf(asked) >= 0) return asked;
    var saved = store.getItem(KEY.locale);
    if (LOCALES.indexOf(saved) >= 0) return saved;
    var preferred = navigator.languages || [navigator.language || ""];
    for (var i = 0; i < preferred.length; i++) {
      var code = String(preferred[i]).slice(0, 2).toLowerCase();
      if (LOCALES.indexOf(code) >= 0) return code;
    }
    return "nl";
  }

  // ---- language ----

  function applyLocale(locale) {
    if (LOCALES.indexOf(locale) < 0) return;
    state.locale = locale;
    document.documentElement.lang = locale;
    $("languages").setAttribute("aria-label", t("language"));
    Array.prototype.forEach.call(document.querySelectorAll("#languages button"), function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-lang") === locale));
    });
    $("quick-exit").textContent = t("quickExit");
    $("quick-exit-hint").textContent = t("quickExitHint");
    $("emergency").textContent = t("emergency");
    $("privacy-link").textContent = t("privacy");
    $("privacy-link").setAttribute("href", "/privacy?lang=" + locale);
    $("intro-title").textContent = t("introTitle");
    $("intro").textContent = t("intro");
    $("log").setAttribute("aria-label", t("conversation"));
    $("message-label").textContent = t("messageLabel");
    $("message").setAttribute("placeholder", t("placeholder"));
    $("send").textContent = t("send");
    if (!$("degraded").hidden) $("degraded").textContent = t("degraded");
    updateCounter();
    save();
  }

  function chooseLanguage(locale) {
    if (locale === state.locale || state.busy) return;
    if (!state.started) {
      applyLocale(locale);
      return;
    }
    applyLocale(locale);
    send({ payload: "/change_language" + JSON.stringify({ language: locale }) }, null);
  }

  // ---- rendering ----

  function paragraphs(text, className) {
    var box = el("div", { className: className || "text" });
    String(text || "").split(/\n{2,}/).forEach(function (block) {
      if (!block.trim()) return;
      var p = el("p");
      block.split("\n").forEach(function (line, i) {
        if (i) p.appendChild(document.createElement("br"));
        p.appendChild(document.createTextNode(line));
      });
      box.appendChild(p);
    });
    return box;
  }

  function safeUrl(url) {
    try {
      var parsed = new URL(url, location.href);
      return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
    } catch (e) {
      return null;
    }
  }

  function serviceCard(service) {
    var card = el("li", { className: "service" });
    card.appendChild(el("h2", { className: "service-name", text: service.name || "" }));
    if (service.description) card.appendChild(el("p", { className: "service-description", text: service.description }));
    if (service.office) card.appendChild(el("p", { className: "service-office", text: service.office }));
    var ways = el("p", { className: "service-contact" });
    if (service.tel && /^tel:\+?[0-9]+$/.test(service.tel)) {
      ways.appendChild(el("a", { className: "call", href: service.tel, text: t("call", { phone: service.phone || service.tel.slice(4) }) }));
    }
    var url = service.url && safeUrl(service.url);
    if (url) {
      ways.appendChild(el("a", { className: "website", href: url, target: "_blank", rel: "noopener noreferrer", text: t("website") + ": " + url.replace(/^https?:\/\//, "").replace(/\/$/, "") }));
    }
    if (ways.childNodes.length) card.appendChild(ways);
    if (service.opening) card.appendChild(el("p", { className: "service-opening" + (service.open_now ? " open" : ""), text: service.opening }));
    if (service.confidentiality) card.appendChild(el("p", { className: "service-confidentiality", text: service.confidentiality }));
    if (service.cost) card.appendChild(el("p", { className: "service-cost", text: service.cost }));
    if (service.reason) card.appendChild(el("p", { className: "service-reason", text: service.reason }));
    if (service.checked && service.last_verified) {
      // The bot's own sentence says when the information was checked and whether it may be out of date;
      // the emergency numbers' cards have none.
      var checked = service.checked;
      var age = Date.now() - Date.parse(service.last_verified + "T00:00:00Z");
      card.appendChild(el("p", { className: "service-checked" + (age > 365 * 864e5 ? " stale" : ""), text: checked }));
    }
    if (service.report_label && service.id) card.appendChild(mistakeReport(service));
    return card;
  }

  // "This information is wrong": a report about the card, sent apart from the conversation (no session).
  function mistakeReport(service) {
    var box = el("div", { className: "service-report" });
    var open = el("button", { type: "button", className: "report-open", text: service.report_label });
    box.appendChild(open);
    open.addEventListener("click", function () {
      open.disabled = true;
      var comment = el("input", { type: "text", maxLength: 500, className: "report-comment", placeholder: t("reportComment") });
      comment.setAttribute("aria-label", t("reportComment"));
      var sendReport = el("button", { type: "button", className: "report-send", text: t("reportSend") });
      var answer = el("p", { className: "report-answer", role: "status" });
      sendReport.addEventListener("click", function () {
        sendReport.disabled = true;
        var body = { service: service.id, location: service.location_id || null, comment: comment.value || null, locale: state.locale };
        fetch("/api/v1/report", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
          credentials: "same-origin"
        })
          .then(function (response) {
            return response.json().then(function (data) {
              if (!response.ok) throw new Error((data.error && data.error.message) || "HTTP " + response.status);
              answer.textContent = data.message;
              comment.disabled = true;
            });
          })
          .catch(function () {
            answer.textContent = t("error");
            sendReport.disabled = false;
          });
      });
      box.appendChild(comment);
      box.appendChild(sendReport);
      box.appendChild(answer);
      comment.focus();
    });
    return box;
  }

  function summaryBox(summary) {
    var id = "summary-" + Math.random().toString(36).slice(2, 10);
    var label = el("p", { className: "summary-label", id: id + "-label", text: t("summary") });
    var text = el("p", { className: "summary-text", id: id, text: summary });
    var button = el("button", { type: "button", className: "copy", "aria-describedby": id + "-label", text: t("copy") });
    button.addEventListener("click", function () { copy(summary, button); });
    return el("div", { className: "summary" }, [label, text, button]);
  }

  function copy(text, button) {
    var done = function () {
      button.textContent = t("copied");
      $("status").textContent = t("copied");
      setTimeout(function () { button.textContent = t("copy"); }, 2500);
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text) && done(); });
    } else if (fallbackCopy(text)) {
      done();
    }
  }

  function fallbackCopy(text) {
    var area = el("textarea", { "aria-hidden": "true", tabindex: "-1", className: "offscreen" });
    area.value = text;
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    area.remove();
    return ok;
  }

  function renderUser(text) {
    return el("div", { className: "msg user" }, [
      el("span", { className: "visually-hidden", text: t("you") + " " }),
      paragraphs(text, "bubble")
    ]);
  }

  function renderBot(message) {
    var node = el("div", { className: "msg bot", "data-template": message.template || "" });
    if (message.asks) node.setAttribute("data-asks", message.asks);
    node.appendChild(el("span", { className: "visually-hidden", text: t("bot") + " " }));
    var referral = message.referral;
    var text = message.text || "";
    if (referral && referral.services && referral.services.length) {
      // The bot's text repeats every card; on the page the cards show it, so keep the opening sentence only.
      text = text.split(/\n{2,}/)[0];
    }
    if (text) node.appendChild(paragraphs(text, "bubble"));
    if (referral && referral.services && referral.services.length) {
      var list = el("ul", { className: "services", "aria-label": t("services") });
      referral.services.forEach(function (service) { list.appendChild(serviceCard(service)); });
      node.appendChild(list);
      if (referral.summary) node.appendChild(summaryBox(referral.summary));
    }
    if (message.buttons && message.buttons.length) {
      var group = el("div", { className: "buttons", role: "group" });
      message.buttons.forEach(function (b) {
        var button = el("button", { type: "button", className: "choice", "data-payload": b.payload, text: b.title });
        button.addEventListener("click", function () {
          send({ payload: b.payload }, b.title, true);
        });
        group.appendChild(button);
      });
      node.appendChild(group);
    }
    return node;
  }

  function renderEntry(entry) {
    return entry.who === "user" ? renderUser(entry.text) : renderBot(entry.message);
  }

  function retireButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("#log .choice"), function (b) { b.disabled = true; });
  }

  function showDegraded(on) {
    var notice = $("degraded");
    notice.hidden = !on;
    notice.textContent = on ? t("degraded") : "";
  }

  // ---- talking to the bot ----

  function add(entry) {
    state.entries.push(entry);
    var node = renderEntry(entry);
    $("log").appendChild(node);
    return node;
  }

  function send(body, shown, fromButton) {
    if (state.busy) return;
    state.busy = true;
    state.started = true;
    retireButtons();
    if (shown) add({ who: "user", text: shown });
    save();
    $("log").setAttribute("aria-busy", "true");
    $("status").textContent = t("waiting");
    $("send").disabled = true;
    var generation = state.generation;
    var request = { session: state.session, locale: state.locale, metadata: {} };
    Object.keys(body).forEach(function (k) { request[k] = body[k]; });
    fetch("/api/v1/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(request),
      credentials: "same-origin"
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) {
            var failure = new Error((data.error && data.error.message) || "HTTP " + response.status);
            failure.polite = response.status === 429; // the server's own sentence, in the user's language
            throw failure;
          }
          return data;
        });
      })
      .then(function (data) {
        if (generation !== state.generation) return; // the quick exit happened meanwhile
        if (data.locale && data.locale !== state.locale) applyLocale(data.locale);
        showDegraded(Boolean(data.degraded));
        var firstNode = null, firstChoice = null;
        (data.messages || []).forEach(function (message) {
          var node = add({ who: "bot", message: message });
          firstNode = firstNode || node;
          firstChoice = firstChoice || node.querySelector(".choice");
        });
        $("status").textContent = "";
        save();
        finish(fromButton ? firstChoice : null, firstNode);
      })
      .catch(function (failure) {
        if (generation !== state.generation) return;
        $("status").textContent = failure && failure.polite ? failure.message : t("error");
        finish(null);
      });
  }

  function finish(focusTarget, firstNew) {
    state.busy = false;
    $("log").removeAttribute("aria-busy");
    $("send").disabled = false;
    // Keep the user where they were: typing stays in the text box, a button press moves to the new buttons.
    var active = document.activeElement;
    if (focusTarget) focusTarget.focus({ preventScroll: true });
    else if (!active || active === document.body || active.disabled) $("message").focus({ preventScroll: true });
    // Show the start of the answer: a referral is read from its first line, not its last.
    var target = firstNew || $("log").lastElementChild;
    if (target && target.scrollIntoView) target.scrollIntoView({ block: "start" });
  }

  function submit(event) {
    if (event) event.preventDefault();
    var box = $("message");
    var text = box.value.trim();
    if (!text || state.busy) return;
    if (text.length > MAX_TEXT) text = text.slice(0, MAX_TEXT);
    box.value = "";
    updateCounter();
    send({ text: text }, text, false);
  }

  function updateCounter() {
    var left = MAX_TEXT - $("message").value.length;
    $("counter").textContent = left <= 200 ? t("left", { n: left }) : "";
  }

  // ---- quick exit ----

  function quickExit() {
    var session = state.session;
    state.generation += 1;
    state.session = newSessionId(); // kept in memory only, in case the page is still shown
    state.started = false;
    state.busy = false;
    state.entries = [];
    $("log").replaceChildren();
    $("message").value = "";
    $("status").textContent = "";
    $("log").removeAttribute("aria-busy");
    $("send").disabled = false;
    showDegraded(false);
    try {
      Object.keys(KEY).forEach(function (k) { store.removeItem(KEY[k]); });
    } catch (e) { /* nothing stored */ }
    if (session) {
      var body = JSON.stringify({ session: session });
      var sent = false;
      try {
        sent = navigator.sendBeacon && navigator.sendBeacon("/api/v1/forget", new Blob([body], { type: "application/json" }));
      } catch (e) { sent = false; }
      if (!sent) {
        try {
          fetch("/api/v1/forget", { method: "POST", headers: { "Content-Type": "application/json" }, body: body, keepalive: true });
        } catch (e) { /* leaving matters more */ }
      }
    }
    document.title = "Google";
    try {
      window.top.location.replace(NEUTRAL_SITE);
    } catch (e) {
      window.location.replace(NEUTRAL_SITE);
    }
  }

  function onKey(event) {
    if (event.key !== "Escape") return;
    var now = Date.now();
    if (now - state.escapedAt < 1500) {
      state.escapedAt = 0;
      quickExit();
    } else {
      state.escapedAt = now;
    }
  }

  // ---- start ----

  function start() {
    state.locale = initialLocale();
    state.session = store.getItem(KEY.session) || newSessionId();
    try {
      state.entries = JSON.parse(store.getItem(KEY.log) || "[]");
    } catch (e) {
      state.entries = [];
    }
    state.started = state.entries.length > 0;
    applyLocale(state.locale);
    var log = $("log");
    state.entries.forEach(function (entry) { log.appendChild(renderEntry(entry)); });
    var buttons = log.querySelectorAll(".choice");
    var lastBot = log.lastElementChild;
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = !lastBot || !lastBot.contains(b); });

    $("composer").addEventListener("submit", submit);
    $("message").addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) submit(event);
    });
    $("message").addEventListener("input", updateCounter);
    $("quick-exit").addEventListener("click", quickExit);
    // Always on screen; the bot answers it from the referral map, without the dialogue model.
    $("emergency").addEventListener("click", function () {
      send({ payload: "/emergency" }, t("emergencyShown"), true);
    });
    document.addEventListener("keydown", onKey);
    Array.prototype.forEach.call(document.querySelectorAll("#languages button"), function (button) {
      button.addEventListener("click", function () { chooseLanguage(button.getAttribute("data-lang")); });
    });
    save();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
