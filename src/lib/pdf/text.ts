/*
 * The standard PDF fonts (Helvetica) encode WinAnsi only: Latin-1 plus a few typographic
 * characters. Anything else (arrows, CJK, emoji) would print as garbage, so it is replaced by a
 * readable stand-in or a question mark before it reaches pdfkit.
 */

const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

const STAND_INS: Record<string, string> = {
  '→': '->',
  '←': '<-',
  '≥': '>=',
  '≤': '<=',
  '≠': '!=',
  '−': '-',
  '‐': '-',
  '‑': '-',
  '✓': 'yes',
  '✗': 'no',
  '\u00a0': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
};

export function pdfText(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '\n' || (code >= 0x20 && code < 0x7f) || (code >= 0xa1 && code <= 0xff) || WIN_ANSI_EXTRA.has(char)) out += char;
    else if (char === '\t' || char === '\r') out += ' ';
    else out += STAND_INS[char] ?? (code < 0x20 || (code >= 0x7f && code < 0xa0) ? '' : '?');
  }
  return out;
}

/** `2026-11-20` from a Date or an ISO string; empty for nothing. */
export function formatDay(value: Date | string | null | undefined): string {
  if (!value) return '';
  if (typeof value === 'string') return value.slice(0, 10);
  return value.toISOString().slice(0, 10);
}

/** `2026-11-20 14:02 UTC`. */
export function formatTime(value: Date | string | null | undefined): string {
  if (!value) return '';
  const date = typeof value === 'string' ? new Date(value) : value;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `not_substitutable` -> `not substitutable`. */
export const humanize = (code: string | null | undefined): string => (code ? code.replace(/[_-]+/g, ' ') : '');

export const percent = (part: number, whole: number): string => (whole > 0 ? `${Math.round((100 * part) / whole)}%` : '-');
