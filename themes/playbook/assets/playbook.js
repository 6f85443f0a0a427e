// Playbook theme behaviour, no dependencies: the phone menu, the dark-mode toggle
// (remembered in localStorage; base.html applies it before the first paint) and the
// Pagefind search box with its "/" shortcut. Without JavaScript the site still reads fine.
(() => {
  const root = document.documentElement;
  const THEME_KEY = "playbook-theme";

  const menuToggle = document.querySelector(".nav-toggle");
  const sidebar = document.getElementById("sidebar");
  if (menuToggle && sidebar) {
    menuToggle.addEventListener("click", () => {
      const open = sidebar.classList.toggle("is-open");
      document.body.classList.toggle("menu-open", open);
      menuToggle.setAttribute("aria-expanded", String(open));
    });
  }

  const themeToggle = document.querySelector(".theme-toggle");
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  const isDark = () => (root.dataset.theme ? root.dataset.theme === "dark" : systemDark.matches);
  const showTheme = () => themeToggle.setAttribute("aria-pressed", String(isDark()));
  if (themeToggle) {
    themeToggle.hidden = false;
    showTheme();
    systemDark.addEventListener("change", showTheme);
    themeToggle.addEventListener("click", () => {
      root.dataset.theme = isDark() ? "light" : "dark";
      try {
        localStorage.setItem(THEME_KEY, root.dataset.theme);
      } catch {
        // Storage may be disabled; the choice then lasts for this page only.
      }
      showTheme();
    });
  }

  const search = document.getElementById("search");
  if (search && window.PagefindUI) {
    const siteRoot = new URL(search.dataset.root, window.location.href);
    new window.PagefindUI({
      element: "#search",
      bundlePath: new URL(search.dataset.bundle, window.location.href).pathname,
      baseUrl: siteRoot.pathname,
      showSubResults: true,
      showImages: false,
      translations: JSON.parse(search.dataset.translations || "{}"),
    });
    search.parentElement.hidden = false;
    const input = () => search.querySelector("input");
    input()?.setAttribute("aria-label", input().title || input().placeholder);
    document.addEventListener("keydown", (event) => {
      const typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey && input()) {
        event.preventDefault();
        input().focus();
      } else if (event.key === "Escape" && event.target === input() && input().value) {
        search.querySelector(".pagefind-ui__search-clear")?.click();
      }
    });
  }
})();
