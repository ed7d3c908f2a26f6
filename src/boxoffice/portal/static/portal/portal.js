// Small behaviours of portal pages, each starting only where its elements are. No inline
// scripts anywhere: the Content-Security-Policy allows scripts from our own files only.
(() => {
  "use strict";

  // Ticket operations: one checkbox selects every valid ticket.
  function selectAll() {
    const all = document.getElementById("select-all");
    const boxes = Array.from(document.querySelectorAll('#bulk-form input[name="tickets"]'));
    if (!all || !boxes.length) return;
    all.hidden = false;
    const sync = () => {
      const n = boxes.filter((b) => b.checked).length;
      all.checked = n === boxes.length;
      all.indeterminate = n > 0 && n < boxes.length;
    };
    all.addEventListener("change", () => { boxes.forEach((b) => { b.checked = all.checked; }); sync(); });
    boxes.forEach((b) => b.addEventListener("change", sync));
    sync();
  }

  // Buyer details: an existing buyer found by email fills in what the operator has not typed.
  function buyerMatch() {
    document.body.addEventListener("htmx:afterSwap", (event) => {
      const found = document.querySelector("#buyer-match [data-found]");
      if (!found || event.target.id !== "buyer-match") return;
      [["id_name", found.dataset.name], ["id_phone", found.dataset.phone]].forEach(([id, value]) => {
        const input = document.getElementById(id);
        if (input && !input.value && value) input.value = value;
      });
      const language = document.getElementById("id_language");
      if (language && found.dataset.language) language.value = found.dataset.language;
    });
  }

  // A new token shown once: selected on focus, and a Copy button.
  function copyToken() {
    const input = document.getElementById("new-token");
    const button = document.getElementById("copy-token");
    if (!input) return;
    input.addEventListener("focus", () => input.select());
    if (!button) return;
    button.addEventListener("click", () => {
      input.select();
      const copied = navigator.clipboard ? navigator.clipboard.writeText(input.value) : Promise.reject();
      copied.catch(() => document.execCommand("copy"));
      button.textContent = "Copied";
    });
  }

  // Look up orders from the keyboard: "/" goes to the search box; after a lookup its text is
  // selected, so that the next scan replaces it; the arrow keys walk the results; a click
  // anywhere on a result row opens its order.
  function lookups() {
    const searchBox = () => document.getElementById("id_q") || document.getElementById("topbar-q");
    const selectSearch = () => { const box = searchBox(); if (box) { box.focus(); box.select(); } };
    const landed = document.querySelector("[data-select-on-load]");
    if (landed) { landed.focus(); landed.select(); }
    document.addEventListener("keydown", (event) => {
      const typing = event.target.closest("input, textarea, select, [contenteditable]");
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        selectSearch();
        return;
      }
      if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
      const links = Array.from(document.querySelectorAll("#order-results .row-link"));
      if (!links.length) return;
      const at = links.indexOf(document.activeElement);
      if (at === -1 && event.target.id !== "id_q") return;
      event.preventDefault();
      const next = event.key === "ArrowDown" ? Math.min(at + 1, links.length - 1) : at - 1;
      if (next < 0) selectSearch(); else links[next].focus();
    });
    document.addEventListener("click", (event) => {
      const row = event.target.closest("tr.result-row");
      if (!row || event.target.closest("a, button, input, select")) return;
      const link = row.querySelector(".row-link");
      if (link) window.location.assign(link.href);
    });
    document.body.addEventListener("htmx:afterSwap", (event) => {
      if (event.target.id === "results") selectSearch();
    });
  }

  // A step's errors: the summary at the top takes the focus (and scrolls into view); an error
  // goes away as soon as its field is changed, and the summary with its last error.
  // A form refused further down a page (a series under the event's time blocks) comes back
  // scrolled to itself, its first wrong field focused.
  function errors() {
    const summary = document.querySelector("[data-focus-on-load]");
    const refused = !summary && document.querySelector("form .has-error, form [role=alert]");
    if (summary) { summary.focus(); summary.scrollIntoView({ block: "start" }); }
    if (refused) {
      const form = refused.closest("form");
      form.scrollIntoView({ block: "start" });
      const field = form.querySelector(".has-error input, .has-error select, [aria-invalid=true]");
      if (field) field.focus({ preventScroll: true });
    }
    document.addEventListener("input", (event) => {
      const field = event.target;
      if (!field.id) return;
      const inline = document.getElementById(`${field.id}_error`);
      if (inline) inline.remove();
      field.removeAttribute("aria-invalid");
      const item = document.querySelector(`#error-summary [data-field="${field.id}"]`);
      if (item) item.remove();
      const box = document.getElementById("error-summary");
      if (box && !box.querySelector("li")) box.remove();
    });
  }

  // Step 1 of a sale: the total so far, as quantities are typed.
  function runningTotal() {
    const out = document.getElementById("running-total");
    if (!out) return;
    const inputs = Array.from(document.querySelectorAll("input.qty[data-price]"));
    const update = () => {
      let cents = 0, count = 0;
      inputs.forEach((input) => {
        const n = parseInt(input.value, 10);
        if (n > 0) { count += n; cents += n * Math.round(parseFloat(input.dataset.price) * 100); }
      });
      out.textContent = count ? `${count} ticket${count === 1 ? "" : "s"} · ${out.dataset.currency} ${(cents / 100).toFixed(2)}` : "No tickets yet";
    };
    inputs.forEach((input) => input.addEventListener("input", update));
    update();
  }

  // Cash tendered: shown while cash is the payment method, the change worked out in cents as
  // it is typed, and buttons for the notes a visitor is likely to hand over.
  function cashTendered() {
    const box = document.getElementById("cash");
    if (!box) return;
    const input = box.querySelector("input");
    const out = document.getElementById("cash-change");
    const quick = box.querySelector("[data-quick]");
    const amountField = box.dataset.amountField ? document.getElementById(box.dataset.amountField) : null;
    const cents = (text) => Math.round(parseFloat(text) * 100);
    const amount = () => (amountField ? cents(amountField.value) : cents(box.dataset.amount));
    const money = (n) => `${box.dataset.currency} ${(n / 100).toFixed(2)}`;
    const choosers = Array.from(document.querySelectorAll(`[name="${box.dataset.methodField}"]`));
    const chosenMethod = () => {
      const chosen = choosers.find((c) => c.tagName === "SELECT" || c.checked);
      return chosen ? chosen.value : "";
    };
    const update = () => {
      const typed = input.value.trim(), given = cents(typed), due = amount();
      out.classList.remove("short");
      if (!typed || Number.isNaN(given) || Number.isNaN(due)) out.textContent = "";
      else if (given < due) { out.textContent = `${money(due - given)} short`; out.classList.add("short"); }
      else out.textContent = `Change ${money(given - due)}`;
    };
    // The amount itself, then the next round amounts a visitor hands over (40, 50, 100 for 35).
    const quickButtons = () => {
      const due = amount();
      quick.replaceChildren();
      quick.hidden = !(due > 0);
      if (quick.hidden) return;
      const rounded = [500, 1000, 2000, 5000, 10000].map((unit) => Math.ceil(due / unit) * unit).filter((n) => n > due);
      [due, ...new Set(rounded)].slice(0, 4).forEach((n, i) => {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = i === 0 ? "Exact" : money(n);
        button.addEventListener("click", () => { input.value = (n / 100).toFixed(2); update(); input.focus(); });
        quick.appendChild(button);
      });
    };
    const showForMethod = () => { box.hidden = choosers.length > 0 && chosenMethod() !== "cash"; };
    input.addEventListener("input", update);
    if (amountField) amountField.addEventListener("input", () => { quickButtons(); update(); });
    choosers.forEach((c) => c.addEventListener("change", showForMethod));
    quickButtons();
    showForMethod();
    update();
  }

  // Print tickets / Print receipt: the PDF loads in a hidden frame and the browser's print
  // dialog opens on it. Without scripts (or where a browser refuses), the link opens the PDF.
  function printButtons() {
    document.addEventListener("click", (event) => {
      const link = event.target.closest("a[data-print]");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      const old = document.getElementById("print-frame");
      if (old) old.remove();
      const frame = document.createElement("iframe");
      frame.id = "print-frame";
      frame.title = link.textContent.trim();
      frame.className = "print-frame";
      frame.addEventListener("load", () => {
        // Cancelable, for a page (or a test) that prints its own way.
        const asked = new CustomEvent("boxoffice:print", { cancelable: true, detail: { url: link.href } });
        if (!document.dispatchEvent(asked)) return;
        try { frame.contentWindow.focus(); frame.contentWindow.print(); } catch (e) { window.open(link.href, "_blank"); }
      });
      frame.src = link.href;
      document.body.appendChild(frame);
    });
  }

  function start() { selectAll(); buyerMatch(); copyToken(); lookups(); errors(); runningTotal(); cashTendered(); printButtons(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
