// Disclosures marked data-open-wide (the header's menu, a listing's filters) are shown on wide
// screens by the stylesheet alone, button hidden, even while closed. Opening them there says so
// to assistive technology and checkers, which treat a closed one's contents as hidden, and
// shows them in browsers without ::details-content. Narrowing closes those opened here.
// The stylesheet's wide-screen width.
const wide = window.matchMedia("(min-width: 48rem)");

function followWidth() {
  for (const details of document.querySelectorAll("details[data-open-wide]")) {
    if (wide.matches && !details.open) {
      details.open = true;
      details.dataset.openedWide = "";
    } else if (!wide.matches && "openedWide" in details.dataset) {
      details.open = false;
      delete details.dataset.openedWide;
    }
  }
}

followWidth();
wide.addEventListener("change", followWidth);
