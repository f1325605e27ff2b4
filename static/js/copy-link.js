// "Copy link": copies the link's own address. Without script, or without clipboard access, it
// stays a plain link to the same address, which can be opened, long-pressed or copied.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-copy-link]");
  if (!link || !navigator.clipboard) return;
  event.preventDefault();
  const status = document.querySelector("[data-copy-status]");
  navigator.clipboard.writeText(link.href).then(
    () => { if (status) status.textContent = "Link copied. Paste it into a message or a post."; },
    () => { window.location.href = link.href; },
  );
});
