// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".nav-toggle");
  const nav = document.getElementById("mainnav");
  if (toggle && nav) {
    toggle.addEventListener("click", () => {
      const open = nav.classList.toggle("open");
      toggle.setAttribute("aria-expanded", String(open));
    });
  }
  // A destructive form asks first: data-confirm on the form, or on the chosen option of its select.
  document.querySelectorAll("form").forEach((form) => {
    form.addEventListener("submit", (event) => {
      const option = form.querySelector("option[data-confirm]:checked");
      const question = form.dataset.confirm || (option && option.dataset.confirm);
      if (question && !window.confirm(question)) { event.preventDefault(); }
    });
  });
  document.querySelectorAll("select.autosubmit").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
});
