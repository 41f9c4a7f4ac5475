import { EVIDENCE_KINDS } from '../../catalog/evidence-kinds';
import { NIS2_CLAUSE_POINTS, NIS2_LABELS, REPORT_COMMON } from '../../catalog/report-labels';
import { SUPPLIER_TIERS } from '../../catalog/supplier-profile';
import type { ChainVerification } from '../../lib/audit';
import { Report, type Cell, type Tone } from '../../lib/pdf/report';
import { formatDay, formatTime, humanize, percent } from '../../lib/pdf/text';
import { COLOR, LEVEL_COLOR } from '../../lib/pdf/theme';
import { RISK_RATINGS, SEVERITIES } from '../../scoring/types';
import type { ConcentrationRow } from '../supply-chain/supply-chain.queries';
import {
  EXPIRING_WITHIN_DAYS,
  INCIDENT_WINDOW_DAYS,
  NIS2_DIRECTORY_LIMIT,
  NIS2_LIST_LIMIT,
  type ClauseCoverageRow,
  type CoverageRow,
  type DirectoryRow,
  type ExpiringEvidenceRow,
  type FindingSeverityRow,
  type IncidentRow,
  type OpenFindingRow,
  type OverdueRow,
} from './reports.queries';
import { level, milestoneCells, moreNote, toDate } from './reports.present';

const L = NIS2_LABELS.sections;
const SATISFIED = new Set(['present', 'waived', 'not_applicable']);

export interface Nis2Input {
  tenantName: string;
  regime: string;
  now: Date;
  directory: DirectoryRow[];
  coverage: CoverageRow[];
  overdue: OverdueRow[];
  clauses: ClauseCoverageRow[];
  evidence: ExpiringEvidenceRow[];
  findingCounts: FindingSeverityRow[];
  serious: OpenFindingRow[];
  concentration: ConcentrationRow[];
  incidents: IncidentRow[];
  verification: ChainVerification;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
/** Green from 90%, amber from 60%, red below; neutral when there is nothing to count. */
const shareTone = (part: number, whole: number): Tone => (whole === 0 ? 'neutral' : part / whole >= 0.9 ? 'ok' : part / whole >= 0.6 ? 'warn' : 'bad');

/** Lays out the NIS2 supply-chain report; the returned stream carries the PDF bytes. */
export async function renderNis2Report(input: Nis2Input): Promise<ReadableStream<Uint8Array>> {
  const { now } = input;
  const report = await Report.open({
    title: NIS2_LABELS.kicker,
    tenantName: input.tenantName,
    generatedAt: now,
    labels: { page: REPORT_COMMON.page, generated: REPORT_COMMON.generated, none: REPORT_COMMON.none },
  });
  const directory = input.directory.slice(0, NIS2_DIRECTORY_LIMIT);
  const tierCount = (tier: string) => directory.filter((row) => row.tier === tier).length;
  const findingsOpen = sum(input.findingCounts.filter((row) => row.status !== 'risk_accepted').map((row) => Number(row.findings)));
  const findingsOverdue = sum(input.findingCounts.map((row) => Number(row.overdue)));
  const coverageTotal = sum(input.coverage.map((row) => Number(row.suppliers)));
  const assessed12m = sum(input.coverage.map((row) => Number(row.assessed_12m)));
  const expired = input.evidence.filter((row) => Number(row.days_left) < 0).length;

  const clauseTotals = new Map<string, { total: number; satisfied: number; missing: number }>();
  for (const row of input.clauses) {
    const entry = clauseTotals.get(row.clause_key) ?? { total: 0, satisfied: 0, missing: 0 };
    entry.total += Number(row.contracts);
    if (SATISFIED.has(row.status)) entry.satisfied += Number(row.contracts);
    if (row.status === 'missing') entry.missing += Number(row.contracts);
    clauseTotals.set(row.clause_key, entry);
  }
  const activeContracts = Math.max(0, ...[...clauseTotals.values()].map((entry) => entry.total));
  const clauseSatisfied = sum([...clauseTotals.values()].map((entry) => entry.satisfied));
  const clauseApplicable = sum([...clauseTotals.values()].map((entry) => entry.total));

  report.titlePage({
    kicker: NIS2_LABELS.kicker,
    title: input.tenantName,
    subtitle: `${NIS2_LABELS.title}\n${NIS2_LABELS.subtitle}`,
    facts: [
      ['Suppliers in the register', String(directory.length)],
      ['Critical suppliers', String(tierCount('critical'))],
      ['Open findings', `${findingsOpen} (${findingsOverdue} overdue)`],
      ['Regime', input.regime === 'both' ? 'NIS2 and DORA' : input.regime.toUpperCase()],
      ['Audit log', input.verification.valid ? `verified, ${input.verification.checked} entries` : 'verification FAILED'],
      ['Date', formatTime(now)],
    ],
    note: NIS2_LABELS.note,
  });

  // 1. Summary
  report.section(L.summary.title, L.summary.intro);
  report.figures([
    { value: String(directory.length), label: 'suppliers in the register' },
    { value: String(tierCount('critical')), label: 'critical suppliers', tone: 'bad' },
    { value: percent(assessed12m, coverageTotal), label: 'assessed in 12 months', tone: shareTone(assessed12m, coverageTotal) },
    { value: String(input.overdue.length), label: 'overdue assessments and reviews', tone: input.overdue.length > 0 ? 'warn' : 'ok' },
  ]);
  report.figures([
    { value: percent(clauseSatisfied, clauseApplicable), label: `5.1.4 clauses present in ${activeContracts} active contracts`, tone: shareTone(clauseSatisfied, clauseApplicable) },
    { value: String(findingsOpen), label: 'open findings', tone: findingsOpen > 0 ? 'warn' : 'ok' },
    { value: String(expired), label: `evidence expired (${EXPIRING_WITHIN_DAYS} d)`, tone: expired > 0 ? 'bad' : 'ok' },
    { value: input.verification.valid ? 'intact' : 'BROKEN', label: 'audit log chain', tone: input.verification.valid ? 'ok' : 'bad' },
  ]);

  // 2. Tiers
  report.section(L.tiers.title, L.tiers.intro);
  report.barChart(SUPPLIER_TIERS.map((tier) => ({ label: humanize(tier), value: tierCount(tier), color: LEVEL_COLOR[tier] })));
  report.subsection('By residual risk rating');
  const unscored = directory.filter((row) => !row.risk_rating).length;
  report.barChart([
    ...[...RISK_RATINGS].reverse().map((rating) => ({ label: rating, value: directory.filter((row) => row.risk_rating === rating).length, color: LEVEL_COLOR[rating] })),
    { label: 'not scored', value: unscored, color: COLOR.faint },
  ]);

  // 3. Coverage and overdue
  report.section(L.coverage.title, L.coverage.intro);
  const coverageByTier = new Map(input.coverage.map((row) => [row.tier, row]));
  report.table(
    [
      { header: 'Tier', width: 2 },
      { header: 'Suppliers', width: 1.5, align: 'right' },
      { header: 'Accepted, 12 months', width: 2.2, align: 'right' },
      { header: 'Accepted, ever', width: 1.8, align: 'right' },
      { header: 'Being assessed', width: 1.8, align: 'right' },
      { header: 'Never assessed', width: 1.8, align: 'right' },
      { header: 'Review overdue', width: 1.8, align: 'right' },
    ],
    SUPPLIER_TIERS.map((tier) => {
      const row = coverageByTier.get(tier);
      const n = Number(row?.suppliers ?? 0);
      const never = Number(row?.never ?? 0);
      return [
        level(tier),
        String(n),
        `${row?.assessed_12m ?? 0} (${percent(Number(row?.assessed_12m ?? 0), n)})`,
        String(row?.assessed ?? 0),
        String(row?.open_assessment ?? 0),
        never > 0 && tier !== 'routine' ? { text: String(never), color: COLOR.bad, bold: true } : String(never),
        Number(row?.reviews_overdue ?? 0) > 0 ? { text: String(row?.reviews_overdue), color: COLOR.warn, bold: true } : '0',
      ];
    }),
  );
  report.barChart(
    SUPPLIER_TIERS.map((tier) => {
      const row = coverageByTier.get(tier);
      const n = Number(row?.suppliers ?? 0);
      const share = n > 0 ? Math.round((100 * Number(row?.assessed_12m ?? 0)) / n) : 0;
      return { label: `${humanize(tier)}: assessed in 12 months`, value: share, color: LEVEL_COLOR[tier], note: `${share}%` };
    }),
    { max: 100, labelWidth: 190 },
  );
  report.subsection('Overdue');
  report.table(
    [
      { header: 'Supplier', width: 4 },
      { header: 'Tier', width: 1.5 },
      { header: 'What', width: 5 },
      { header: 'Due', width: 1.7 },
      { header: 'Days over', width: 1.5, align: 'right' },
    ],
    input.overdue.slice(0, NIS2_LIST_LIMIT).map((row) => {
      const due = toDate(row.due)!;
      return [row.supplier_name, level(row.tier), row.what, formatDay(due), { text: String(Math.floor((now.getTime() - due.getTime()) / 86_400_000)), color: COLOR.bad, bold: true }];
    }),
    { empty: 'Nothing is overdue.' },
  );
  const overdueMore = moreNote(NIS2_LIST_LIMIT, input.overdue.length);
  if (overdueMore) report.paragraph(overdueMore, { muted: true });

  // 4. Clauses
  report.section(L.clauses.title, L.clauses.intro);
  if (activeContracts === 0) report.paragraph('No active contracts are recorded.', { italic: true, muted: true });
  else {
    report.barChart(
      Object.entries(NIS2_CLAUSE_POINTS).map(([key, label]) => {
        const entry = clauseTotals.get(key) ?? { total: 0, satisfied: 0, missing: 0 };
        const share = entry.total > 0 ? Math.round((100 * entry.satisfied) / entry.total) : 0;
        return { label, value: share, note: `${share}%`, color: share >= 90 ? LEVEL_COLOR.low : share >= 60 ? LEVEL_COLOR.medium : LEVEL_COLOR.critical };
      }),
      { max: 100, labelWidth: 190 },
    );
    const statuses = ['present', 'partial', 'negotiating', 'missing', 'waived', 'not_applicable', 'unassessed'];
    const countOf = (key: string, status: string) => Number(input.clauses.find((row) => row.clause_key === key && row.status === status)?.contracts ?? 0);
    report.table(
      [
        { header: 'Point', width: 3.6 },
        ...statuses.map((status) => ({
          header: status === 'not_applicable' ? 'n/a' : humanize(status),
          width: status === 'negotiating' || status === 'unassessed' ? 1.7 : 1.25,
          align: 'right' as const,
        })),
      ],
      Object.entries(NIS2_CLAUSE_POINTS).map(([key, label]) => [
        label,
        ...statuses.map((status): string | Cell => {
          const count = countOf(key, status);
          return count > 0 && (status === 'missing' || status === 'unassessed') ? { text: String(count), color: COLOR.bad, bold: true } : String(count);
        }),
      ]),
    );
  }

  // 5. Evidence
  report.section(L.evidence.title, L.evidence.intro.replaceAll('{days}', String(EXPIRING_WITHIN_DAYS)));
  report.table(
    [
      { header: 'Supplier', width: 3.5 },
      { header: 'Kind', width: 3 },
      { header: 'Title / file', width: 4 },
      { header: 'Valid until', width: 1.7 },
      { header: 'Days left', width: 1.5, align: 'right' },
    ],
    input.evidence.slice(0, NIS2_LIST_LIMIT).map((row) => {
      const days = Number(row.days_left);
      return [
        row.supplier_name,
        EVIDENCE_KINDS[row.kind as keyof typeof EVIDENCE_KINDS] ?? humanize(row.kind),
        row.title ?? row.file_name,
        row.valid_until,
        { text: days < 0 ? `expired ${-days} d ago` : String(days), color: days < 0 ? COLOR.bad : days <= 30 ? COLOR.warn : COLOR.ink, bold: days <= 30 },
      ];
    }),
    { empty: 'No evidence expires in this window.' },
  );
  const evidenceMore = moreNote(NIS2_LIST_LIMIT, input.evidence.length);
  if (evidenceMore) report.paragraph(evidenceMore, { muted: true });

  // 6. Findings
  report.section(L.findings.title, L.findings.intro);
  const countBy = (severity: string, predicate: (row: FindingSeverityRow) => boolean, field: 'findings' | 'overdue' = 'findings') =>
    sum(input.findingCounts.filter((row) => row.severity === severity && predicate(row)).map((row) => Number(row[field])));
  const active = (row: FindingSeverityRow) => row.status !== 'risk_accepted';
  report.barChart([...SEVERITIES].reverse().map((severity) => ({ label: severity, value: countBy(severity, active), color: LEVEL_COLOR[severity] })));
  report.table(
    [
      { header: 'Severity', width: 2 },
      { header: 'Open', width: 1.5, align: 'right' },
      { header: 'In remediation', width: 1.8, align: 'right' },
      { header: 'Overdue', width: 1.5, align: 'right' },
      { header: 'Risk accepted', width: 1.8, align: 'right' },
    ],
    [...SEVERITIES].reverse().map((severity) => [
      level(severity),
      String(countBy(severity, (row) => row.status === 'open')),
      String(countBy(severity, (row) => row.status === 'in_remediation')),
      String(countBy(severity, active, 'overdue')),
      String(countBy(severity, (row) => row.status === 'risk_accepted')),
    ]),
  );
  report.subsection('Open critical and high findings');
  report.table(
    [
      { header: 'Supplier', width: 3 },
      { header: 'Finding', width: 5.5 },
      { header: 'Severity', width: 1.4 },
      { header: 'Source', width: 1.6 },
      { header: 'Due', width: 1.7 },
    ],
    input.serious.slice(0, NIS2_LIST_LIMIT).map((row) => [
      row.supplier_name,
      row.title,
      level(row.severity),
      humanize(row.source),
      row.due_date && row.due_date < formatDay(now) ? { text: row.due_date, color: COLOR.bad, bold: true } : (row.due_date ?? ''),
    ]),
    { empty: 'No open critical or high findings.' },
  );
  const seriousMore = moreNote(NIS2_LIST_LIMIT, input.serious.length);
  if (seriousMore) report.paragraph(seriousMore, { muted: true });

  // 7. Concentration
  report.section(L.concentration.title, L.concentration.intro);
  const concentration = input.concentration.slice(0, NIS2_LIST_LIMIT);
  if (concentration.length > 0) {
    report.barChart(
      concentration.slice(0, 12).map((row) => ({ label: row.name, value: Number(row.critical_services), color: row.substitutability === 'not_substitutable' ? LEVEL_COLOR.critical : COLOR.accent })),
      { labelWidth: 190 },
    );
  }
  report.table(
    [
      { header: 'Provider', width: 4 },
      { header: 'Country', width: 1.3 },
      { header: 'Tier', width: 1.5 },
      { header: 'Critical services', width: 1.8, align: 'right' },
      { header: 'Direct', width: 1.2, align: 'right' },
      { header: 'Via subcontracting', width: 1.9, align: 'right' },
      { header: 'Notes', width: 3 },
    ],
    concentration.map((row) => [
      row.name,
      row.country,
      level(row.tier),
      String(row.critical_services),
      String(row.direct),
      String(Number(row.critical_services) - Number(row.direct)),
      [row.substitutability === 'not_substitutable' ? 'no alternative' : '', row.outside_eea ? 'outside EEA' : ''].filter(Boolean).join('; '),
    ]),
    { empty: 'No provider carries two or more critical or important services.' },
  );

  // 8. Incidents
  report.section(L.incidents.title, L.incidents.intro.replace('{days}', String(INCIDENT_WINDOW_DAYS)));
  report.table(
    [
      { header: 'Supplier', width: 2.6 },
      { header: 'Incident', width: 3.4 },
      { header: 'Severity', width: 1.4 },
      { header: 'Status', width: 1.4 },
      { header: 'Aware', width: 1.7 },
      { header: 'Early warning', width: 2 },
      { header: 'Notification', width: 2 },
      { header: 'Final report', width: 2 },
    ],
    input.incidents.slice(0, NIS2_LIST_LIMIT).map((row) => [
      row.supplier_name,
      row.significant ? { text: `${row.title} (significant)`, bold: true } : row.title,
      level(row.severity),
      humanize(row.status),
      formatDay(toDate(row.aware_at)),
      ...milestoneCells(
        {
          awareAt: toDate(row.aware_at)!,
          earlyWarning: toDate(row.early_warning_completed_at),
          notification: toDate(row.notification_completed_at),
          finalReport: toDate(row.final_report_completed_at),
        },
        now,
      ),
    ]),
    { empty: 'No supplier incidents in this period.' },
  );

  // 9. Directory
  report.section(L.directory.title, L.directory.intro);
  report.table(
    [
      { header: 'Supplier', width: 3.1 },
      { header: 'Ctry', width: 0.9 },
      { header: 'Tier', width: 1.7 },
      { header: 'Risk', width: 1.6 },
      { header: 'Contact point', width: 3.8 },
      { header: 'ICT services', width: 4.4 },
      { header: 'Contract end', width: 1.7 },
    ],
    directory.map((row) => [
      { text: `${row.name}${row.status !== 'active' ? ` (${humanize(row.status)})` : ''}`, bold: Number(row.critical_services) > 0 },
      row.country,
      level(row.tier),
      row.residual_risk === null ? { text: '-', color: COLOR.faint } : { text: `${row.residual_risk} ${row.risk_rating ?? ''}`, color: LEVEL_COLOR[row.risk_rating ?? ''] ?? COLOR.ink },
      row.contact ?? { text: 'no contact point', color: COLOR.bad },
      row.services ?? { text: 'no services recorded', color: COLOR.faint },
      row.contract_end ?? '',
    ]),
    { empty: 'The register is empty.', fontSize: 7.5 },
  );
  const directoryMore = moreNote(NIS2_DIRECTORY_LIMIT, input.directory.length);
  if (directoryMore) report.paragraph(directoryMore, { muted: true });
  report.paragraph('Bold: the supplier provides a service that supports a critical or important function. Risk: residual risk 0-100 and rating.', { muted: true, size: 8 });

  // 10. Audit log
  report.section(L.auditLog.title, L.auditLog.intro);
  const { verification } = input;
  report.callout(
    verification.valid
      ? NIS2_LABELS.auditValid.replace('{checked}', String(verification.checked))
      : NIS2_LABELS.auditBroken.replace('{seq}', String(verification.firstBrokenSeq)).replace('{checked}', String(verification.checked)),
    verification.valid ? 'ok' : 'bad',
  );
  report.paragraph(`Verified ${formatTime(now)} by recomputing every entry's SHA-256 hash and its link to the previous one. Anyone with the audit_log:read scope can repeat this with GET /v1/audit-log/verify.`, {
    muted: true,
  });

  return report.finish();
}
