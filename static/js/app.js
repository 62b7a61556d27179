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
// The navigation's Menu (<details data-nav-menu>) is always open on wide screens, where app.css hides its button;
// on a phone it starts closed and closes again on Escape or a tap elsewhere.
const wideScreen = window.matchMedia("(min-width: 768px)");
function syncNavMenus() {
  document.querySelectorAll("details[data-nav-menu]").forEach((menu) => { menu.open = wideScreen.matches; });
}
syncNavMenus();
wideScreen.addEventListener("change", syncNavMenus);
document.addEventListener("click", (event) => {
  if (wideScreen.matches) return;
  document.querySelectorAll("details[data-nav-menu][open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.open = false;
  });
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || wideScreen.matches) return;
  document.querySelectorAll("details[data-nav-menu][open]").forEach((menu) => { menu.open = false; });
});

// A table that scrolls inside its wrapper must be reachable by keyboard: make the wrapper focusable while it
// overflows and holds nothing focusable itself (checked on load, after each htmx swap and on resize).
const FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]";
function markScrollableTables(root) {
  root.querySelectorAll(".table-responsive").forEach((wrapper) => {
    const scrolls = wrapper.scrollWidth > wrapper.clientWidth;
    if (scrolls && !wrapper.querySelector(FOCUSABLE)) {
      wrapper.tabIndex = 0;
      if (!wrapper.hasAttribute("aria-label")) {
        const caption = wrapper.querySelector("caption");
        wrapper.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table (scrolls sideways)");
        wrapper.setAttribute("role", "region");
      }
    } else if (!scrolls && wrapper.getAttribute("tabindex") === "0") {
      wrapper.removeAttribute("tabindex");
    }
  });
}
markScrollableTables(document);
document.addEventListener("htmx:load", () => markScrollableTables(document));
let resizeTimer = 0;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => markScrollableTables(document), 150);
});

// A form that comes back with errors (data-focus-error) puts the cursor in its first invalid field.
const invalid = document.querySelector("form[data-focus-error] [aria-invalid='true'], form[data-focus-error] .is-invalid");
if (invalid) invalid.focus();
