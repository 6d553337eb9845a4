import { isOn } from './is-on.ts';
import type { TrackerOptions } from './types.ts';

/**
 * Whether this page load must send nothing at all: the visitor's opt-out
 * (`localStorage.skopos_ignore = 'true'`), localhost (unless allowed), or Do-Not-Track / Global
 * Privacy Control when the site chose to respect them.
 */
export function isBlocked(options: TrackerOptions): unknown {
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean };
  try {
    if (localStorage.skopos_ignore === 'true') return 1;
  } catch {
    // Storage can be disabled or throw in sandboxed frames: no opt-out flag there.
  }
  return (
    (!isOn(options.allowLocalhost) && /^(localhost|127\.|\[::1\])/.test(location.hostname)) ||
    (isOn(options.respectDnt) && (nav.doNotTrack === '1' || nav.globalPrivacyControl))
  );
}
