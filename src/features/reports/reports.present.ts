import { REPORT_COMMON } from '../../catalog/report-labels';
import type { Cell } from '../../lib/pdf/report';
import { formatDay } from '../../lib/pdf/text';
import { COLOR, LEVEL_COLOR } from '../../lib/pdf/theme';
import { deadlinesOf } from '../incidents/incidents.deadlines';

/** Small presentation helpers shared by both reports. */

export const toDate = (value: Date | string | null | undefined): Date | null => (value ? (value instanceof Date ? value : new Date(value)) : null);

/** A severity, tier or rating, coloured by how serious it is. */
export const level = (value: string | null | undefined): Cell =>
  value ? { text: value, color: LEVEL_COLOR[value] ?? COLOR.ink, bold: true } : { text: '-', color: COLOR.faint };

export const yesNo = (value: boolean) => (value ? REPORT_COMMON.yes : REPORT_COMMON.no);

export const moreNote = (shown: number, total: number) => (total > shown ? REPORT_COMMON.more.replace('{n}', total > shown + 1 ? `${total - shown}+` : '1') : undefined);

/** "done 2026-11-02", "overdue (due 2026-11-03)" or "due 2026-11-03" for each NIS2 Art. 23 milestone. */
export function milestoneCells(
  row: { awareAt: Date; earlyWarning: Date | null; notification: Date | null; finalReport: Date | null },
  now: Date,
): Cell[] {
  const deadlines = deadlinesOf(row.awareAt, { earlyWarning: row.earlyWarning, notification: row.notification, finalReport: row.finalReport }, now);
  return (['earlyWarning', 'notification', 'finalReport'] as const).map((key) => {
    const state = deadlines[key];
    if (state.completedAt) return { text: `done ${formatDay(state.completedAt)}`, color: COLOR.ok };
    if (state.overdue) return { text: `overdue (${formatDay(state.dueAt)})`, color: COLOR.bad, bold: true };
    return { text: `due ${formatDay(state.dueAt)}`, color: COLOR.muted };
  });
}

/** Validity of a piece of evidence on `day`. */
export function validity(validUntil: string | null, day: string): Cell {
  if (!validUntil) return { text: 'no end date', color: COLOR.muted };
  if (validUntil < day) return { text: 'expired', color: COLOR.bad, bold: true };
  const days = Math.round((Date.parse(validUntil) - Date.parse(day)) / 86_400_000);
  if (days <= 60) return { text: `valid, ${days} d left`, color: COLOR.warn, bold: true };
  return { text: 'valid', color: COLOR.ok };
}
