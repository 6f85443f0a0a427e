// A "Copy" button on every highlighted code block.
document.querySelectorAll(".prose .highlight").forEach(function (block) {
  var code = block.querySelector("code");
  if (!code || !navigator.clipboard) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "copy-code";
  button.textContent = block.closest("[data-copy-label]") ? block.closest("[data-copy-label]").dataset.copyLabel : "Copy";
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(code.textContent).then(function () {
      var label = button.textContent;
      button.textContent = "✓";
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });
  block.appendChild(button);
});
