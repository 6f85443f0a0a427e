// Playbook theme behaviour, no dependencies: the phone menu, the language menu, the dark-mode
// toggle (remembered in localStorage; base.html applies it before the first paint) and search,
// whose Pagefind UI (CSS and script) is loaded on first use only, with a switch between this
// language's index and all languages. Without JavaScript the site still reads fine.
(() => {
  const root = document.documentElement;
  const THEME_KEY = "playbook-theme";
  const SCOPE_KEY = "playbook-search-scope";

  const menuToggle = document.querySelector(".nav-toggle");
  const sidebar = document.getElementById("sidebar");
  if (menuToggle && sidebar) {
    menuToggle.addEventListener("click", () => {
      const open = sidebar.classList.toggle("is-open");
      document.body.classList.toggle("menu-open", open);
      menuToggle.setAttribute("aria-expanded", String(open));
    });
  }

  const languageMenu = document.querySelector(".language-menu");
  if (languageMenu) {
    const close = () => languageMenu.removeAttribute("open");
    document.addEventListener("click", (event) => languageMenu.contains(event.target) || close());
    languageMenu.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && languageMenu.open) {
        close();
        languageMenu.querySelector("summary").focus();
      }
    });
  }

  const themeToggle = document.querySelector(".theme-toggle");
  const systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  const isDark = () => (root.dataset.theme ? root.dataset.theme === "dark" : systemDark.matches);
  const showTheme = () => themeToggle.setAttribute("aria-pressed", String(isDark()));
  if (themeToggle) {
    showTheme();
    systemDark.addEventListener("change", showTheme);
    themeToggle.addEventListener("click", () => {
      root.dataset.theme = isDark() ? "light" : "dark";
      remember(THEME_KEY, root.dataset.theme);
      showTheme();
    });
  }

  function remember(key, value) {
    try {
      localStorage.setItem(key, value);
    } catch {
      // Storage may be disabled; the choice then lasts for this page only.
    }
  }

  function recall(key) {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  }

  const box = document.querySelector(".site-search");
  if (box) enhanceSearch(box);

  function load(tag, attributes) {
    return new Promise((resolve, reject) => {
      const element = Object.assign(document.createElement(tag), attributes);
      element.addEventListener("load", resolve);
      element.addEventListener("error", reject);
      document.head.append(element);
    });
  }

  function enhanceSearch(box) {
    const starter = box.querySelector(".search-input");
    const scope = box.querySelector(".search-scope");
    const target = box.querySelector("#search");
    const bundle = new URL(box.dataset.bundle, window.location.href);
    const siteRoot = new URL(box.dataset.root, window.location.href).pathname;
    const here = (root.lang || "").toLowerCase();
    const others = JSON.parse(box.dataset.languages || "[]").map((code) => code.toLowerCase()).filter((code) => code !== here);
    const translations = { ...JSON.parse(box.dataset.translations || "{}"), placeholder: starter.placeholder };
    let ui = null;
    let loading = null;

    const input = () => target.querySelector(".pagefind-ui__search-input");

    // Every other language's index from the same bundle; the absolute URL keeps Pagefind
    // from taking it for the page's own index, which it would skip.
    const mergeIndex = (everywhere) =>
      everywhere ? others.map((language) => ({ bundlePath: bundle.href, baseUrl: siteRoot, language })) : [];

    const mount = (everywhere) => {
      const term = input() ? input().value : starter.value;
      if (ui) ui.destroy();
      box.classList.toggle("scope-all", everywhere);
      ui = new window.PagefindUI({
        element: "#search",
        bundlePath: bundle.pathname,
        baseUrl: siteRoot,
        showSubResults: true,
        showImages: false,
        translations,
        mergeIndex: mergeIndex(everywhere),
      });
      input().setAttribute("aria-label", starter.getAttribute("aria-label"));
      if (scope) {
        target.querySelector(".pagefind-ui__drawer").prepend(scope);
        scope.hidden = false;
      }
      if (term) {
        input().value = term;
        ui.triggerSearch(term);
      }
    };

    const start = () => {
      loading ??= Promise.all([
        load("link", { rel: "stylesheet", href: new URL("pagefind-ui.css", bundle).href }),
        load("script", { src: new URL("pagefind-ui.js", bundle).href }),
      ]).then(() => {
        const typing = document.activeElement === starter;
        mount(recall(SCOPE_KEY) === "all");
        box.classList.add("is-loaded");
        if (typing) input().focus();
      });
      return loading;
    };

    if (scope) {
      scope.querySelector(`input[value="${recall(SCOPE_KEY) === "all" ? "all" : "language"}"]`).checked = true;
      scope.addEventListener("change", (event) => {
        remember(SCOPE_KEY, event.target.value);
        mount(event.target.value === "all");
      });
    }
    starter.addEventListener("focus", start);
    starter.addEventListener("pointerdown", start);
    box.querySelector(".search-start").addEventListener("submit", (event) => event.preventDefault());

    document.addEventListener("keydown", (event) => {
      const typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        (input() || starter).focus();
      } else if (event.key === "Escape" && input() && event.target === input() && input().value) {
        target.querySelector(".pagefind-ui__search-clear")?.click();
      }
    });
  }
})();
