/** A visible label: whitespace runs (newlines, indentation of nested markup) as one space, trimmed, cut. */
export const squeeze = (text: string, max: number): string => text.replace(/\s+/g, ' ').trim().slice(0, max);
