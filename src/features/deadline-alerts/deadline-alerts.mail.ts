import { DEADLINE_ALERT_MAIL } from '../../catalog/deadline-alerts';
import { EVIDENCE_KINDS, type EvidenceKind } from '../../catalog/evidence-kinds';
import type { DueDeadline } from './deadline-alerts.queries';

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u001f\u007f]+/g;
const oneLine = (value: string) => value.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in values ? values[name]! : match));
}

/** One line saying what falls due when, e.g. "Contract CTR-7 with Acme ends in 30 days (2027-01-01)". */
export function alertSummary(due: DueDeadline, language: keyof typeof DEADLINE_ALERT_MAIL = 'en'): string {
  const words = DEADLINE_ALERT_MAIL[language];
  const days = Number(due.days_left);
  const phrases = words.when[due.kind];
  const when = fill(days > 0 ? phrases.future : days === 0 ? phrases.today : phrases.past, { days: String(Math.abs(days)), deadline: due.deadline });
  const kindLabel = due.evidence_kind ? (EVIDENCE_KINDS[due.evidence_kind as EvidenceKind] ?? due.evidence_kind) : '';
  return oneLine(
    fill(words.subjects[due.kind], {
      reference: due.label,
      evidence: `${kindLabel} "${due.label}"`,
      supplier: due.supplier_name,
      when,
    }),
  ).slice(0, 500);
}

/** The plain-text mail of an alert; values are single-lined so none can add a header or a fake paragraph. */
export function renderAlertMail(due: DueDeadline, alertId: string, language: keyof typeof DEADLINE_ALERT_MAIL = 'en') {
  const words = DEADLINE_ALERT_MAIL[language];
  const summary = alertSummary(due, language);
  const subjectLine = due.kind === 'evidence_expiry' ? 'Evidence' : 'Contract';
  const text = [
    `${summary}.`,
    '',
    fill(words.actions[due.kind], { renewal: due.auto_renewal ? words.autoRenewal : '' }),
    '',
    `Supplier: ${oneLine(due.supplier_name)} (${due.supplier_id})`,
    `${subjectLine}: ${oneLine(due.label)} (${due.subject_id})`,
    `Deadline: ${due.deadline}`,
    '',
    '-- ',
    fill(words.footer, { id: alertId, organisation: oneLine(due.organisation) }),
    '',
  ].join('\n');
  return { subject: summary, text };
}
