/** A URL as messages may show it: the password it may carry (`user:pw@`, or `pw@` for Redis) hidden. */
export function redactUrl(raw: string): string {
  return raw.replace(/\/\/([^/@\s]*)@/, (_, credentials: string) => {
    const colon = credentials.indexOf(':');
    return colon < 0 ? '//***@' : `//${credentials.slice(0, colon)}:***@`;
  });
}
