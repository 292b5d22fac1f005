// The dashboard's only script of its own: "Copy as curl" buttons copy the text of the element they name
// (data-copy="<id>"). Everything else is server-rendered HTML, enhanced by the vendored htmx.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) { return; }
  var source = document.getElementById(button.getAttribute("data-copy"));
  if (!source || !navigator.clipboard) { return; }
  navigator.clipboard.writeText(source.textContent).then(function () {
    button.textContent = "Copied";
  });
});
