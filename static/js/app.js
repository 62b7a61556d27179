// Small progressive enhancements; pages work without them.
"use strict";

// Ask before destructive or outward-facing form submissions: <form data-confirm="Really?">.
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});

// Disable a submit button while its request is in flight, so a double click sends once.
document.addEventListener("submit", (event) => {
  if (event.defaultPrevented) return;
  const button = event.submitter;
  if (button && !button.dataset.keepEnabled) {
    setTimeout(() => { button.disabled = true; }, 0);
  }
});

// An element that refreshes itself (hx-trigger="every ...", e.g. the bell) marks its requests as background polls,
// so an open tab nobody uses still reaches the idle timeout (apps/accounts/middleware.py).
document.addEventListener("htmx:configRequest", (event) => {
  const trigger = event.detail.elt.getAttribute("hx-trigger") || "";
  if (/\bevery\s/.test(trigger)) {
    event.detail.headers["X-Background-Poll"] = "true";
  }
});
