// The main menu's progressive enhancement (the menu works without it: <details>).
// - A browser that cannot show a closed <details>'s content (no ::details-content) gets the
//   menu opened on screens of 600 px and wider, where site.css hides the button.
// - Escape closes the open menu on a phone and gives the focus back to its button.
(() => {
  const wide = window.matchMedia("(min-width: 37.5rem)");
  const styled = window.CSS && CSS.supports("selector(::details-content)");
  for (const menu of document.querySelectorAll("details[data-menu]")) {
    const sync = () => {
      if (!styled) menu.open = wide.matches;
    };
    sync();
    wide.addEventListener("change", sync);
    menu.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && menu.open && !wide.matches) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  }
})();
