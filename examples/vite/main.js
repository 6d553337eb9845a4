// A tiny single-page app: history.pushState route changes are page views for the tracker.
const where = document.querySelector('#where');
const show = () => {
  where.textContent = `You are on ${location.pathname}`;
};
for (const link of document.querySelectorAll('[data-route]')) {
  link.addEventListener('click', (event) => {
    event.preventDefault();
    history.pushState(null, '', link.dataset.route);
    show();
  });
}
document.querySelector('#custom').addEventListener('click', () => {
  // window.skopos is set by the injected tracker script (deferred, so it exists after parsing).
  window.skopos?.track('custom-button', { at: new Date().toISOString() });
});
show();
