/** The look of every report: A4, one type scale, a few muted colours. */

export const PAGE = {
  size: 'A4' as const,
  /** Points (1/72 inch). The top and bottom leave room for the running header and footer. */
  margins: { top: 64, bottom: 60, left: 54, right: 54 },
};

export const FONT = {
  regular: 'Helvetica',
  bold: 'Helvetica-Bold',
  italic: 'Helvetica-Oblique',
};

export const SIZE = {
  title: 26,
  subtitle: 13,
  section: 15,
  subsection: 11,
  body: 9.5,
  table: 8.5,
  small: 7.5,
};

export const COLOR = {
  ink: '#1f2933',
  muted: '#616e7c',
  faint: '#9aa5b1',
  accent: '#2f5d8a',
  accentLight: '#dbe6f0',
  rule: '#d9dee3',
  zebra: '#f5f7f9',
  headerFill: '#e9eef3',
  ok: '#2f7d57',
  warn: '#b7791f',
  bad: '#a63d32',
  okFill: '#e6f2ec',
  warnFill: '#fbf3e2',
  badFill: '#f8e8e6',
};

/** Severity and rating colours, from least to most serious. */
export const LEVEL_COLOR: Record<string, string> = {
  low: '#4f7f63',
  routine: '#4f7f63',
  medium: '#b7791f',
  strategic: '#b7791f',
  high: '#c0603a',
  critical: '#9b2c2c',
};
