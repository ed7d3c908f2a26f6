// The gate page. A keyboard-wedge scanner types the barcode and presses Enter, or the camera
// reads it; each scan is posted (with a fresh scan id, so a retried request is answered once)
// and the answer replaces the result panel, in its own colour, sound and vibration. Scans that
// cannot reach the server are kept in this browser, in order, and sent when it is back.
(() => {
  "use strict";
  const form = document.getElementById("scan-form");
  const input = document.getElementById("barcode");
  const area = document.getElementById("result");
  const ready = document.getElementById("ready-panel");
  const offlineStatus = document.getElementById("offline-status");
  const status = document.querySelector(".gate-status");
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const RESET_AFTER_MS = 8000;
  const RETRIES = 2;
  // Kept per device: another device signed in on this browser never sends them as its own.
  const PENDING_KEY = `boxoffice-gate-pending-${form.dataset.device}`;
  const FLUSH_EVERY_MS = 3000;
  const COUNTS_EVERY_MS = 10000;
  let queue = Promise.resolve();
  let resetTimer = null;

  const direction = () => form.querySelector("[name=direction]:checked").value;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const post = (url, body) => fetch(url, {
    method: "POST", body, credentials: "same-origin", headers: { "X-CSRFToken": csrf, "X-Gate-Fetch": "1" },
  });

  function scanId() {
    const bytes = new Uint8Array(12); // crypto.getRandomValues works outside secure contexts too
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // --- what the staff see, hear and feel ------------------------------------------------------
  let audio = null;
  const TONES = { // [frequency Hz, seconds, wave] per beep
    "admit-in": [[880, 0.12, "sine"]],
    "admit-out": [[660, 0.08, "sine"], [660, 0.08, "sine"]],
    talk: [[660, 0.14, "triangle"], [440, 0.2, "triangle"]],
    stop: [[200, 0.45, "square"]],
  };
  const VIBRATIONS = { "admit-in": 60, "admit-out": [40, 60, 40], talk: [120, 80, 120], stop: [300, 100, 300] };

  function beep(level) {
    const tones = TONES[level];
    if (!tones) return;
    try {
      audio = audio || new AudioContext();
      let at = audio.currentTime;
      for (const [frequency, seconds, wave] of tones) {
        const osc = audio.createOscillator();
        const gain = audio.createGain();
        osc.type = wave;
        osc.frequency.value = frequency;
        gain.gain.value = 0.2;
        osc.connect(gain).connect(audio.destination);
        osc.start(at);
        osc.stop(at + seconds);
        at += seconds + 0.05;
      }
    } catch (error) { /* no sound on this device: colour and vibration still tell */ }
  }

  function show(html) {
    area.innerHTML = html;
    const panel = area.firstElementChild;
    const level = panel ? panel.dataset.level : "ready";
    document.body.dataset.state = level;
    beep(level);
    if (navigator.vibrate && VIBRATIONS[level]) navigator.vibrate(VIBRATIONS[level]);
    clearTimeout(resetTimer);
    resetTimer = setTimeout(() => {
      area.replaceChildren(ready.content.cloneNode(true));
      document.body.dataset.state = "ready";
    }, RESET_AFTER_MS);
    if (level.startsWith("admit") || panel?.dataset.verdict === "undone") refreshCounts();
  }

  function panel(level, word, message, detail) {
    const div = document.createElement("div");
    div.className = `result ${level}`;
    div.dataset.level = level;
    div.dataset.verdict = level === "stop" ? "reject" : "pending";
    for (const [cls, text] of [["verdict-word", word], ["message", message], ["read", detail]]) {
      const p = document.createElement("p");
      p.className = cls;
      p.textContent = text;
      div.append(p);
    }
    return div.outerHTML;
  }

  // --- scans kept while the server cannot be reached ----------------------------------------
  const pending = () => JSON.parse(localStorage.getItem(PENDING_KEY) || "[]");
  const keep = (items) => localStorage.setItem(PENDING_KEY, JSON.stringify(items));
  let flushing = false;

  function showPending() {
    const n = pending().length;
    offlineStatus.hidden = n === 0;
    offlineStatus.textContent = n ? `Offline — ${n} waiting to be checked` : "";
    document.body.classList.toggle("offline", n > 0);
  }

  function queueOffline(scan) {
    keep([...pending(), scan]);
    showPending();
    show(panel("talk", "WAIT", "offline: not yet checked",
      `Scan kept and sent when the connection is back. ${scan.barcode}`));
  }

  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      for (let items = pending(); items.length; items = pending()) {
        const scan = items[0];
        const response = await post(form.action, formData(scan)).catch(() => null);
        if (!response || response.status >= 500) break; // still unreachable: try again later
        if (response.status === 401) { window.location.assign(form.dataset.signin); return; }
        if (response.status === 403) { window.location.reload(); return; }
        keep(pending().filter((s) => s.scan_id !== scan.scan_id)); // answered (admit or not): sent once
        showPending();
      }
    } finally {
      flushing = false;
      showPending();
    }
  }

  function formData(scan) {
    const body = new FormData();
    for (const [key, value] of Object.entries(scan)) if (value) body.set(key, value);
    return body;
  }

  // --- one scan ------------------------------------------------------------------------------
  async function send(barcode, dir) {
    const scan = { barcode, direction: dir, scan_id: scanId(), made_at: new Date().toISOString() };
    if (pending().length) { queueOffline(scan); return flush(); } // keep the order of the scans
    document.body.dataset.state = "busy";
    const body = formData({ ...scan, made_at: "" });
    for (let attempt = 0; attempt <= RETRIES; attempt++) {
      let response;
      try {
        response = await post(form.action, body);
      } catch (error) {
        if (attempt < RETRIES) { await sleep(250 * (attempt + 1)); continue; } // same scan id: answered once
        return queueOffline(scan);
      }
      if (response.status === 401) { window.location.assign(form.dataset.signin); return; }
      if (response.status >= 500) {
        if (attempt < RETRIES) { await sleep(250 * (attempt + 1)); continue; } // same scan id: answered once
        return queueOffline(scan);
      }
      if (response.status === 403) { window.location.reload(); return; } // an expired page: load it again
      return show(await response.text());
    }
  }

  function submit(barcode) {
    const dir = direction();
    if (!barcode) return;
    queue = queue.then(() => send(barcode, dir)).finally(() => { if (!camera.on) input.focus(); });
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const barcode = input.value.trim();
    input.value = "";
    input.focus();
    submit(barcode);
  });

  // Undo last admit: the form in the answer panel, posted like a scan.
  area.addEventListener("submit", async (event) => {
    const undo = event.target.closest(".undo-form");
    if (!undo) return;
    event.preventDefault();
    const body = new FormData(undo);
    if (event.submitter) body.set("reason", event.submitter.value);
    const response = await post(undo.action, body).catch(() => null);
    if (!response) return show(panel("talk", "WAIT", "no connection: the admit was not undone", "Try again."));
    show(await response.text());
  });

  form.querySelectorAll("[name=direction]").forEach((radio) =>
    radio.addEventListener("change", () => input.focus()));

  // A tap anywhere but on a control puts the cursor back in the field, ready for the scanner.
  document.addEventListener("click", (event) => {
    if (!event.target.closest("button, a, input, label, select, textarea, video") && !camera.on) input.focus();
  });

  // --- the live count ------------------------------------------------------------------------
  async function refreshCounts() {
    const response = await fetch(status.dataset.countsUrl, { credentials: "same-origin", headers: { "X-Gate-Fetch": "1" } })
      .catch(() => null);
    if (!response || !response.ok) return;
    const now = document.getElementById("gate-counts");
    now.outerHTML = await response.text();
  }

  // --- the camera ----------------------------------------------------------------------------
  const camera = {
    on: false, stream: null, detector: null, devices: [], deviceIndex: 0, torch: false, timer: null,
    last: "", lastSeen: 0,
    box: document.getElementById("camera"),
    view: document.getElementById("camera-view"),
    toggle: document.getElementById("camera-toggle"),
    torchButton: document.getElementById("camera-torch"),
    switchButton: document.getElementById("camera-switch"),
    message: document.getElementById("camera-message"),
  };
  const FORMATS = ["qr_code", "code_128", "ean_13", "ean_8"];
  const SAME_CODE_MS = 3000; // a ticket held in view is sent once
  const LOOK_EVERY_MS = 150;

  function say(text) {
    camera.message.hidden = !text;
    camera.message.textContent = text || "";
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error("the barcode reader could not be loaded"));
      document.head.append(script);
    });
  }

  async function detector() {
    if (camera.detector) return camera.detector;
    if (!("BarcodeDetector" in window)) {
      await loadScript(camera.box.dataset.polyfill);
      const wasm = new URL(camera.box.dataset.wasm, window.location.href).href;
      // The reader's WebAssembly comes from our static files, never from a CDN.
      window.BarcodeDetectionAPI.prepareZXingModule({
        overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? wasm : prefix + path) },
      });
    }
    const supported = await window.BarcodeDetector.getSupportedFormats();
    camera.detector = new window.BarcodeDetector({ formats: FORMATS.filter((f) => supported.includes(f)) });
    return camera.detector;
  }

  async function startCamera() {
    if (!window.isSecureContext || !navigator.mediaDevices) {
      return say("The camera needs the gate page over HTTPS. A keyboard scanner works as it is.");
    }
    say("Starting the camera…");
    try {
      const reader = detector();
      const deviceId = camera.devices[camera.deviceIndex]?.deviceId;
      camera.stream = await navigator.mediaDevices.getUserMedia({
        audio: false, video: deviceId ? { deviceId: { exact: deviceId } } : { facingMode: { ideal: "environment" } },
      });
      camera.view.srcObject = camera.stream;
      camera.view.hidden = false;
      await camera.view.play();
      await reader;
      camera.devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === "videoinput");
      camera.switchButton.hidden = camera.devices.length < 2;
      const track = camera.stream.getVideoTracks()[0];
      camera.torchButton.hidden = !(track.getCapabilities && track.getCapabilities().torch);
    } catch (error) {
      stopCamera();
      return say(`The camera could not start: ${error.message || error.name}.`);
    }
    camera.on = true;
    camera.toggle.textContent = "Stop camera";
    camera.toggle.setAttribute("aria-pressed", "true");
    document.body.classList.add("camera-on");
    say("");
    look();
  }

  function stopCamera() {
    clearTimeout(camera.timer);
    camera.stream?.getTracks().forEach((track) => track.stop());
    camera.stream = null;
    camera.on = false;
    camera.torch = false;
    camera.view.hidden = true;
    camera.torchButton.hidden = true;
    camera.switchButton.hidden = true;
    camera.toggle.textContent = "Scan with camera";
    camera.toggle.setAttribute("aria-pressed", "false");
    document.body.classList.remove("camera-on");
  }

  async function look() {
    if (!camera.on) return;
    try {
      if (camera.view.readyState >= 2) {
        const codes = await camera.detector.detect(camera.view);
        const code = codes.length ? codes[0].rawValue.trim() : "";
        const now = Date.now();
        if (code && code === camera.last && now - camera.lastSeen < SAME_CODE_MS) {
          camera.lastSeen = now; // still in view: not again
        } else if (code) {
          camera.last = code;
          camera.lastSeen = now;
          submit(code);
        }
      }
    } catch (error) { /* a frame that could not be read: the next one will */ }
    camera.timer = setTimeout(look, LOOK_EVERY_MS);
  }

  camera.toggle.addEventListener("click", () => (camera.on ? stopCamera() : startCamera()));
  camera.torchButton.addEventListener("click", async () => {
    const track = camera.stream?.getVideoTracks()[0];
    if (!track) return;
    camera.torch = !camera.torch;
    await track.applyConstraints({ advanced: [{ torch: camera.torch }] }).catch(() => { camera.torch = false; });
    camera.torchButton.setAttribute("aria-pressed", String(camera.torch));
  });
  camera.switchButton.addEventListener("click", async () => {
    camera.deviceIndex = (camera.deviceIndex + 1) % Math.max(camera.devices.length, 1);
    stopCamera();
    await startCamera();
  });

  // --- start ---------------------------------------------------------------------------------
  window.addEventListener("online", flush);
  setInterval(() => { if (pending().length) flush(); }, FLUSH_EVERY_MS);
  setInterval(refreshCounts, COUNTS_EVERY_MS);
  showPending();
  if (pending().length) flush();
  input.focus();
})();
