/**
 * An option that is set: `true`, or a `data-*` attribute that is present and empty or `"true"`
 * (the script tag passes its attributes as strings: `data-allow-localhost` alone is `""`).
 */
export function isOn(value: unknown): boolean {
  return /^(true)?$/.test(value as string);
}
