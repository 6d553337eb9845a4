// A tiny single-page app: history.pushState route changes are navigations (page views) for the tracker.
import { tracker } from '@skopos/vite/client';

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
  tracker.track('custom-button', { at: new Date().toISOString() });
});
document.querySelector('#signin').addEventListener('click', () => {
  tracker.setUser('user-42', { attributes: { plan: 'pro' } });
});
show();
