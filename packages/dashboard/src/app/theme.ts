/** Remembers the reader's choice; without one the page follows `prefers-color-scheme`. */
export const THEME_KEY = 'skopos-dashboard-theme';

type Theme = 'light' | 'dark';

function current(): Theme {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** The header's toggle: flips between light and dark and stores the choice in localStorage. */
export function startThemeToggle(button: HTMLButtonElement): void {
  try {
    const stored = localStorage.getItem(THEME_KEY);
    if (stored === 'light' || stored === 'dark') document.documentElement.dataset.theme = stored;
  } catch {
    // Storage disabled: follow the system.
  }
  const label = (): void => {
    const dark = current() === 'dark';
    button.ariaPressed = String(dark);
    button.title = dark ? 'Switch to the light theme' : 'Switch to the dark theme';
    button.textContent = dark ? '☀' : '☾';
  };
  button.addEventListener('click', () => {
    const next: Theme = current() === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      // Storage disabled: the choice lasts until the page is left.
    }
    label();
  });
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', label);
  label();
}
