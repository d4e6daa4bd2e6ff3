// Refuse a file over the upload limit before sending it; the server refuses it too.
document.addEventListener("change", (event) => {
  const input = event.target;
  const form = input.closest && input.closest("#feedback-upload");
  if (!form || input.type !== "file") return;
  const error = form.querySelector("#file-error");
  const file = input.files && input.files[0];
  const tooLarge = file && file.size > Number(form.dataset.maxBytes);
  input.setCustomValidity(tooLarge ? form.dataset.tooLarge : "");
  error.hidden = !tooLarge;
  error.textContent = tooLarge ? form.dataset.tooLarge : "";
});
