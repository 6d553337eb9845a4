import type { WireEvent } from './api.ts';
import { el, formatTime } from './format.ts';

/** The fields shown first, in this order; every other field of the answer follows them. */
const FIELDS: readonly (readonly [string, string])[] = [
  ['id', 'ID'],
  ['timestamp', 'Time'],
  ['type', 'Type'],
  ['level', 'Level'],
  ['appId', 'Site'],
  ['path', 'Path'],
  ['route', 'Route'],
  ['sessionId', 'Session'],
  ['session', 'Skopos session'],
  ['userId', 'User'],
  ['groupId', 'Group'],
  ['eventName', 'Name'],
];
/** Shown as pretty-printed JSON, after the plain fields. */
const JSON_FIELDS = ['payload', 'meta', 'context', 'eventData'] as const;

export interface EventDetail {
  open(event: WireEvent): void;
}

/**
 * The detail panel: a modal `<dialog>` with every field of one event as the read endpoint answered
 * it. Everything goes in as text (`textContent`), never as HTML. Escape closes it (the dialog's own
 * behaviour) and the focus goes back to the row.
 */
export function createEventDetail(): EventDetail {
  const title = el('h2', { id: 'event-detail-title' }, 'Event');
  const close = el('button', { type: 'button', class: 'icon-button', 'aria-label': 'Close' }, '×');
  const body = el('div', { class: 'detail-body' });
  const dialog = el(
    'dialog',
    { id: 'event-detail', class: 'detail', 'aria-labelledby': 'event-detail-title' },
    el('header', { class: 'detail-head' }, title, close),
    body,
  );
  document.body.append(dialog);
  close.addEventListener('click', () => dialog.close());
  // A click on the backdrop (outside the panel's box) closes it too.
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) {
      const box = dialog.getBoundingClientRect();
      const inside =
        event.clientX >= box.left &&
        event.clientX <= box.right &&
        event.clientY >= box.top &&
        event.clientY <= box.bottom;
      if (!inside) dialog.close();
    }
  });

  return {
    open(event) {
      const record = event as unknown as Record<string, unknown>;
      const meta = record.meta as Record<string, unknown> | undefined;
      const plain = (key: string): unknown => (key === 'route' ? meta?.route : record[key]);
      const list = el('dl', { class: 'detail-fields' });
      const shown = new Set<string>([...FIELDS.map(([key]) => key), ...JSON_FIELDS]);
      const add = (key: string, label: string, value: unknown): void => {
        if (value === undefined || value === null || value === '') return;
        let text: Node | string;
        if (key === 'timestamp' || key === 'receivedAt') {
          text = el('time', { datetime: String(value) }, formatTime(String(value)));
        } else if (typeof value === 'object' || (JSON_FIELDS as readonly string[]).includes(key)) {
          text = el('pre', { class: 'mono' }, JSON.stringify(value, null, 2));
        } else {
          text = String(value);
        }
        list.append(el('dt', {}, label), el('dd', { 'data-field': key }, text));
      };
      for (const [key, label] of FIELDS) add(key, label, plain(key));
      for (const [key, value] of Object.entries(record)) {
        if (!shown.has(key)) add(key, key, value);
      }
      for (const key of JSON_FIELDS) {
        if (record[key] !== undefined) add(key, key, record[key]);
      }
      title.textContent = `${event.type}${event.eventName ? ` · ${event.eventName}` : ''}`;
      body.replaceChildren(list);
      if (!dialog.open) dialog.showModal();
    },
  };
}
