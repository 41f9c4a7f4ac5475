import { INCIDENT_MILESTONE_CODES, INCIDENT_MILESTONES, type IncidentMilestone } from '../../catalog/incidents';

const HOUR_MS = 3_600_000;

/** `date` plus whole calendar months in UTC; a day the target month lacks becomes its last day (31 Jan → 28/29 Feb). */
export function addMonthsUtc(date: Date, months: number): Date {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds()),
  );
}

export function milestoneDueAt(awareAt: Date, milestone: IncidentMilestone): Date {
  const rule = INCIDENT_MILESTONES[milestone];
  return new Date(addMonthsUtc(awareAt, rule.months).getTime() + rule.hours * HOUR_MS);
}

export interface MilestoneState {
  dueAt: string;
  completedAt: string | null;
  overdue: boolean;
}

export function deadlinesOf(awareAt: Date, completed: Record<IncidentMilestone, Date | null>, now: Date) {
  const result = {} as Record<IncidentMilestone, MilestoneState>;
  for (const milestone of INCIDENT_MILESTONE_CODES) {
    const dueAt = milestoneDueAt(awareAt, milestone);
    const completedAt = completed[milestone];
    result[milestone] = { dueAt: dueAt.toISOString(), completedAt: completedAt?.toISOString() ?? null, overdue: completedAt === null && dueAt < now };
  }
  return result;
}
