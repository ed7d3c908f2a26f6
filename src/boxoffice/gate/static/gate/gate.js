// The gate page: a keyboard-wedge scanner types the barcode and presses Enter. Each scan is
// posted to the server (with a fresh scan id, so a retried request is answered once) and the
// answer replaces the result panel; the field is cleared and focused for the next scan.
// Scans that arrive while one is being answered wait their turn.
(() => {
  "use strict";
  const form = document.getElementById("scan-form");
  const input = document.getElementById("barcode");
  const area = document.getElementById("result");
  const ready = document.getElementById("ready-panel");
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const RESET_AFTER_MS = 8000;
  const RETRIES = 2;
  let queue = Promise.resolve();
  let resetTimer = null;

  const direction = () => form.querySelector("[name=direction]:checked").value;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function scanId() {
    const bytes = new Uint8Array(12); // crypto.getRandomValues works outside secure contexts too
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function show(html) {
    area.innerHTML = html;
    const panel = area.firstElementChild;
    const verdict = panel ? panel.dataset.verdict : "ready";
    document.body.dataset.state = verdict;
    if (navigator.vibrate) navigator.vibrate(verdict === "reject" ? [180, 80, 180] : 60);
    clearTimeout(resetTimer);
    resetTimer = setTimeout(() => {
      area.replaceChildren(ready.content.cloneNode(true));
      document.body.dataset.state = "ready";
    }, RESET_AFTER_MS);
  }

  function failed(text) {
    show(`<div class="result reject" data-verdict="reject" data-reason="offline"><p class="verdict-word">STOP</p>
      <p class="message"></p><p class="read">Scan the ticket again.</p></div>`);
    area.querySelector(".message").textContent = text;
  }

  async function send(barcode, dir) {
    const body = new FormData();
    body.set("barcode", barcode);
    body.set("direction", dir);
    body.set("scan_id", scanId());
    document.body.dataset.state = "busy";
    for (let attempt = 0; attempt <= RETRIES; attempt++) {
      let response;
      try {
        response = await fetch(form.action, {
          method: "POST", body, credentials: "same-origin",
          headers: { "X-CSRFToken": csrf, "X-Gate-Fetch": "1" },
        });
      } catch (error) {
        if (attempt < RETRIES) { await sleep(250 * (attempt + 1)); continue; } // same scan id: answered once
        return failed("no connection to the server");
      }
      if (response.status === 401) { window.location.assign(form.dataset.signin); return; }
      if (response.status >= 500) {
        if (attempt < RETRIES) { await sleep(250 * (attempt + 1)); continue; } // same scan id: answered once
        return failed("the server could not answer");
      }
      if (response.status === 403) { window.location.reload(); return; } // an expired page: load it again
      return show(await response.text());
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const barcode = input.value.trim();
    const dir = direction();
    input.value = "";
    input.focus();
    if (!barcode) return;
    queue = queue.then(() => send(barcode, dir)).finally(() => input.focus());
  });

  form.querySelectorAll("[name=direction]").forEach((radio) =>
    radio.addEventListener("change", () => input.focus()));

  // A tap anywhere but on a control puts the cursor back in the field, ready for the scanner.
  document.addEventListener("click", (event) => {
    if (!event.target.closest("button, a, input, label, select, textarea")) input.focus();
  });

  input.focus();
})();
