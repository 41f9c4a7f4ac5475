import { EVIDENCE_KINDS } from '../../catalog/evidence-kinds';
import { ICT_SERVICE_TYPES } from '../../catalog/ict-service-types';
import { DOSSIER_LABELS, REPORT_COMMON } from '../../catalog/report-labels';
import { Report, type Cell } from '../../lib/pdf/report';
import { formatDay, formatTime, humanize, percent } from '../../lib/pdf/text';
import { COLOR, LEVEL_COLOR } from '../../lib/pdf/theme';
import type { RiskModel } from '../../scoring/risk-model';
import { allQuestions, visibleQuestionKeys, type StoredAnswer } from '../assessments/answer-rules';
import type { StoredExplanation } from '../risk/risk.rescore';
import { answerScore } from '../risk/risk.queries';
import type { TemplateDocument } from '../questionnaire-templates/template-document.schemas';
import type { OffboardingView } from '../offboarding/offboarding.view';
import type { OnboardingView } from '../onboarding/onboarding.view';
import { buildTree } from '../supply-chain/supply-chain.handlers';
import type { ChainRow } from '../supply-chain/supply-chain.queries';
import type { SupplyChainNode } from '../supply-chain/supply-chain.schemas';
import { DOSSIER_LIST_LIMIT, type DossierData, type ReportedAssessment, type SupplierRow } from './reports.queries';
import { level, milestoneCells, moreNote, toDate, validity, yesNo } from './reports.present';

const L = DOSSIER_LABELS.sections;

export interface DomainResult {
  domain: string;
  label: string;
  questions: number;
  answered: number;
  /** Mean of scored answers, 0–100; null when none is scored. */
  score: number | null;
  /** Answers that chose an option declared as failing the question's expectation. */
  failing: number;
  clarifications: number;
}

/** Per-domain results of one assessment, over the questions its answers make visible. */
export function domainResults(document: TemplateDocument, answers: Record<string, { value: unknown; reviewStatus: string }>, model: RiskModel): DomainResult[] {
  const stored = new Map<string, StoredAnswer>(Object.entries(answers).map(([key, answer]) => [key, { value: answer.value, evidenceIds: [] }]));
  const visible = visibleQuestionKeys(document, stored);
  const byDomain = new Map<string, DomainResult & { sum: number; weight: number }>();
  for (const question of allQuestions(document)) {
    if (!visible.has(question.key)) continue;
    const label = Object.hasOwn(model.controls.domains, question.domain) ? model.controls.domains[question.domain]!.label : humanize(question.domain);
    const entry = byDomain.get(question.domain) ?? { domain: question.domain, label, questions: 0, answered: 0, score: null, failing: 0, clarifications: 0, sum: 0, weight: 0 };
    entry.questions += 1;
    const answer = answers[question.key];
    if (answer && answer.value !== null && answer.value !== undefined) {
      entry.answered += 1;
      if (answer.reviewStatus === 'needs_clarification') entry.clarifications += 1;
      const score = answerScore(question, answer.value);
      if (score !== null) {
        entry.sum += score * question.weight;
        entry.weight += question.weight;
      }
      const chosen = Array.isArray(answer.value) ? answer.value : [answer.value];
      if (question.options?.some((option) => option.finding && chosen.includes(option.value))) entry.failing += 1;
    }
    byDomain.set(question.domain, entry);
  }
  return [...byDomain.values()].map(({ sum, weight, ...result }) => ({ ...result, score: weight > 0 ? Math.round(sum / weight) : null }));
}

const capitalize = (text: string) => (text ? text[0]!.toUpperCase() + text.slice(1) : text);

function flattenChain(node: SupplyChainNode, depth = 0, out: { node: SupplyChainNode; depth: number }[] = []) {
  if (depth > 0) out.push({ node, depth });
  for (const child of node.children) flattenChain(child, depth + 1, out);
  return out;
}

function scoreColor(score: number | null) {
  if (score === null) return COLOR.faint;
  return score >= 75 ? LEVEL_COLOR.low! : score >= 50 ? LEVEL_COLOR.medium! : score >= 30 ? LEVEL_COLOR.high! : LEVEL_COLOR.critical!;
}

export interface DossierInput {
  tenantName: string;
  supplier: SupplierRow;
  data: DossierData;
  chainRows: ChainRow[];
  chainLimits: { maxDepth: number; maxNodes: number };
  documents: Map<string, TemplateDocument>;
  model: RiskModel;
  onboarding: OnboardingView;
  offboarding: OffboardingView;
  now: Date;
}

/** Lays out the supplier dossier; the returned stream carries the PDF bytes. */
export async function renderDossier(input: DossierInput): Promise<ReadableStream<Uint8Array>> {
  const { supplier, data, now } = input;
  const report = await Report.open({
    title: `${DOSSIER_LABELS.kicker}: ${supplier.name}`,
    tenantName: input.tenantName,
    generatedAt: now,
    subject: `${DOSSIER_LABELS.kicker} of ${supplier.name}`,
    labels: { page: REPORT_COMMON.page, generated: REPORT_COMMON.generated, none: REPORT_COMMON.none },
  });
  const explanation = data.score?.explanation as StoredExplanation | undefined;

  report.titlePage({
    kicker: DOSSIER_LABELS.kicker,
    title: supplier.name,
    subtitle: [supplier.legalName && supplier.legalName !== supplier.name ? supplier.legalName : null, `${supplier.country} · ${humanize(supplier.status)}`]
      .filter(Boolean)
      .join('\n'),
    facts: [
      ['Tier', `${supplier.tier}${supplier.tierOverride ? ' (override)' : ''}`],
      ['Residual risk', supplier.residualRisk === null ? REPORT_COMMON.notScored : `${supplier.residualRisk} / 100 (${supplier.riskRating ?? '-'})`],
      ['Inherent risk', `${supplier.inherentScore} / 100`],
      ['Open findings', String(data.findings.filter((row) => row.status !== 'risk_accepted').length)],
      ['Next review', formatDay(supplier.nextReviewAt) || '-'],
      ['Prepared for', input.tenantName],
      ['Date', formatTime(now)],
    ],
    note: DOSSIER_LABELS.confidential,
  });

  // 1. Identity
  report.section(L.identity.title, L.identity.intro);
  if (supplier.archivedAt) report.callout(DOSSIER_LABELS.archived.replace('{date}', formatDay(supplier.archivedAt)), 'warn');
  report.keyValues([
    ['Name', supplier.name],
    ['Legal name', supplier.legalName ?? ''],
    ['Country', supplier.country],
    ['Status', humanize(supplier.status)],
    ['LEI', supplier.lei ?? ''],
    ['EUID', supplier.euid ?? ''],
    ['VAT', supplier.vat ?? ''],
    ['DUNS', supplier.duns ?? ''],
    ['ERP vendor id', supplier.externalRef ?? ''],
    ['Website', supplier.website ?? ''],
    ['Owner', supplier.owner ?? ''],
    ['Category', humanize(supplier.category)],
    ['Tags', supplier.tags.join(', ')],
    ['Data sensitivity', humanize(supplier.dataSensitivity)],
    ['Access', humanize(supplier.accessLevel)],
    ['Critical function', yesNo(supplier.supportsCriticalFunction || supplier.hasCriticalService)],
    ['Substitutability', humanize(supplier.substitutability)],
    ['Outside the EEA', yesNo(supplier.outsideEea)],
    ['Annual spend', supplier.annualSpendAmount ? `${supplier.annualSpendAmount} ${supplier.annualSpendCurrency ?? ''}` : ''],
  ]);
  report.subsection('Contact points');
  report.table(
    [
      { header: 'Name', width: 3 },
      { header: 'Role', width: 2.5 },
      { header: 'E-mail', width: 4 },
      { header: 'Phone', width: 2.5 },
      { header: 'Primary', width: 1.2 },
    ],
    data.contacts.map((contact) => [contact.name, contact.role ?? '', contact.email, contact.phone ?? '', contact.isPrimary ? REPORT_COMMON.yes : '']),
  );

  // 2. Services
  report.section(L.services.title, L.services.intro);
  report.table(
    [
      { header: 'Service', width: 3.5 },
      { header: 'Type', width: 3 },
      { header: 'Supported function', width: 3 },
      { header: 'Critical', width: 1.3 },
      { header: 'Data stored in', width: 1.8 },
      { header: 'Reliance', width: 1.5 },
    ],
    data.services.map((service) => [
      { text: service.name, bold: service.criticalOrImportant },
      `${service.serviceType} ${ICT_SERVICE_TYPES[service.serviceType as keyof typeof ICT_SERVICE_TYPES] ?? ''}`,
      service.supportedFunction ?? '',
      service.criticalOrImportant ? { text: REPORT_COMMON.yes, color: LEVEL_COLOR.critical!, bold: true } : REPORT_COMMON.no,
      service.dataStorageCountries.join(', '),
      humanize(service.reliance),
    ]),
  );

  // 3. Supply chain
  report.section(L.chain.title, L.chain.intro);
  const { tree, summary } = buildTree(input.chainRows, input.chainLimits.maxDepth, input.chainLimits.maxNodes);
  const chain = tree ? flattenChain(tree) : [];
  report.paragraph(
    `${summary.subcontractors} subcontractor(s) over ${summary.depth} rank(s); ${summary.outsideEea} in the chain outside the EEA.${summary.truncated ? ' The chain is longer than shown.' : ''}`,
  );
  report.table(
    [
      { header: 'Subcontractor', width: 5 },
      { header: 'Rank', width: 1, align: 'right' },
      { header: 'Country', width: 1.3 },
      { header: 'Tier', width: 1.5 },
      { header: 'Notes', width: 4 },
    ],
    chain.map(({ node, depth }) => [
      `${'    '.repeat(depth - 1)}${depth > 1 ? '- ' : ''}${node.name}`,
      String(node.rank),
      node.country,
      level(node.tier),
      [node.outsideEea ? 'outside EEA' : '', node.substitutability === 'not_substitutable' ? 'not substitutable' : '', node.archived ? 'archived' : '', node.description ?? '']
        .filter(Boolean)
        .join('; '),
    ]),
    { empty: 'No subcontractors recorded.' },
  );

  // 4. Risk
  report.section(L.risk.title, L.risk.intro, 160);
  if (data.score) {
    report.figures([
      { value: supplier.tier, label: `Tier${explanation?.tierOverridden ? ` (computed: ${explanation.computedTier})` : ''}` },
      { value: String(data.score.inherentRisk), label: 'Inherent risk (0-100)' },
      { value: String(data.score.controlStrength), label: 'Control strength (0-100)', tone: 'ok' },
      { value: `${data.score.residualRisk}`, label: `Residual risk: ${data.score.rating}`, tone: data.score.rating === 'low' ? 'ok' : data.score.rating === 'medium' ? 'warn' : 'bad' },
    ]);
    if (supplier.tierOverride) report.paragraph(`Tier override to ${supplier.tierOverride}: ${supplier.tierOverrideReason ?? ''}`, { muted: true });
    if (explanation?.summary) report.callout(explanation.summary, data.score.rating === 'low' ? 'ok' : data.score.rating === 'medium' ? 'warn' : 'bad');
    report.paragraph(`Scored ${formatTime(data.score.computedAt)} with risk model version ${data.score.modelVersion}; trigger: ${humanize(data.score.trigger)}.`, { muted: true, size: 8 });
    const groups: Record<string, string> = { inherent: 'Inherent', control: 'Control', penalty: 'Penalty' };
    report.table(
      [
        { header: 'Group', width: 1.4 },
        { header: 'Factor', width: 5 },
        { header: 'Input', width: 2.5 },
        { header: 'Points', width: 1.2, align: 'right' },
      ],
      (explanation?.factors ?? []).map((factor) => [
        groups[factor.group] ?? factor.group,
        { text: factor.label, bold: explanation?.topFactor?.key === factor.key },
        factor.input === null ? '' : typeof factor.input === 'boolean' ? yesNo(factor.input) : humanize(String(factor.input)),
        `${factor.group === 'control' ? '' : '+'}${Math.round(factor.contribution * 10) / 10}`,
      ]),
    );
  } else {
    report.paragraph(`Not scored yet. Inherent risk ${supplier.inherentScore} / 100, tier ${supplier.tier}.`);
  }

  // 5. Questionnaires
  report.section(L.questionnaires.title, L.questionnaires.intro);
  if (data.reported.length === 0) report.paragraph('No accepted or submitted questionnaire yet.', { italic: true, muted: true });
  for (const assessment of data.reported) {
    const document = input.documents.get(documentKey(assessment));
    if (!document) continue;
    const answers = (typeof assessment.answers === 'string' ? JSON.parse(assessment.answers) : assessment.answers) as Record<string, { value: unknown; reviewStatus: string }>;
    const results = domainResults(document, answers, input.model);
    const when = assessment.status === 'accepted' ? `accepted ${formatDay(toDate(assessment.accepted_at))}` : `${humanize(assessment.status)}, submitted ${formatDay(toDate(assessment.submitted_at))}`;
    report.subsection(`${assessment.template_name} (version ${assessment.template_version}, ${when})`, 120);
    const scored = results.filter((result) => result.score !== null);
    if (scored.length > 0) {
      report.barChart(
        scored.map((result) => ({ label: capitalize(result.label), value: result.score!, color: scoreColor(result.score), note: `${result.score} / 100` })),
        { max: 100, labelWidth: 170 },
      );
    }
    report.table(
      [
        { header: 'Domain', width: 4 },
        { header: 'Questions', width: 1.5, align: 'right' },
        { header: 'Answered', width: 1.5, align: 'right' },
        { header: 'Score', width: 1.3, align: 'right' },
        { header: 'Failing answers', width: 1.8, align: 'right' },
        { header: 'Clarifications', width: 1.8, align: 'right' },
      ],
      results.map((result) => [
        capitalize(result.label),
        String(result.questions),
        `${result.answered} (${percent(result.answered, result.questions)})`,
        { text: result.score === null ? '-' : String(result.score), color: scoreColor(result.score), bold: true },
        result.failing > 0 ? { text: String(result.failing), color: COLOR.bad, bold: true } : '0',
        String(result.clarifications),
      ]),
    );
  }
  if (data.overdueAssessments > 0) report.callout(`${data.overdueAssessments} assessment(s) overdue: past the due date while the supplier still has to answer.`, 'warn');

  // 6. Findings
  report.section(L.findings.title, L.findings.intro);
  const findings = data.findings.slice(0, DOSSIER_LIST_LIMIT);
  const open = findings.filter((row) => row.status !== 'risk_accepted');
  const accepted = findings.filter((row) => row.status === 'risk_accepted');
  report.table(
    [
      { header: 'Finding', width: 5.5 },
      { header: 'Severity', width: 1.5 },
      { header: 'Status', width: 1.8 },
      { header: 'Source', width: 1.7 },
      { header: 'Owner', width: 2.2 },
      { header: 'Due', width: 1.7 },
    ],
    open.map((row) => [
      row.title,
      level(row.severity),
      humanize(row.status),
      humanize(row.source),
      row.owner ?? '',
      row.dueDate && row.dueDate < data.day ? { text: row.dueDate, color: COLOR.bad, bold: true } : (row.dueDate ?? ''),
    ]),
    { empty: 'No open findings.' },
  );
  report.subsection('Accepted risks');
  report.table(
    [
      { header: 'Finding', width: 4 },
      { header: 'Severity', width: 1.4 },
      { header: 'Justification', width: 5 },
      { header: 'Accepted', width: 1.7 },
      { header: 'Expires', width: 1.7 },
    ],
    accepted.map((row) => [row.title, level(row.severity), row.riskAcceptanceJustification ?? '', formatDay(row.riskAcceptedAt), row.riskAcceptanceExpiresAt ?? '']),
    { empty: 'No accepted risks.' },
  );
  const findingsMore = moreNote(DOSSIER_LIST_LIMIT, data.findings.length);
  if (findingsMore) report.paragraph(findingsMore, { muted: true });

  // 7. Contracts
  report.section(L.contracts.title, L.contracts.intro);
  report.table(
    [
      { header: 'Reference', width: 2.8 },
      { header: 'Title', width: 3.2 },
      { header: 'Status', width: 1.4 },
      { header: 'Term', width: 2.8 },
      { header: 'Notice', width: 1.2, align: 'right' },
      { header: 'Clauses satisfied', width: 2.2, align: 'right' },
    ],
    data.contracts.map((contract) => {
      const counts = input.data.clauseCounts.get(contract.id) ?? { applicable: 0, satisfied: 0 };
      const full = counts.applicable > 0 && counts.satisfied === counts.applicable;
      return [
        contract.reference,
        contract.title,
        humanize(contract.status),
        `${contract.startDate ?? '?'} to ${contract.endDate ?? 'open'}${contract.autoRenewal ? ' (renews)' : ''}`,
        contract.noticePeriodDays === null ? '' : `${contract.noticePeriodDays} d`,
        { text: `${counts.satisfied} / ${counts.applicable} (${percent(counts.satisfied, counts.applicable)})`, color: full ? COLOR.ok : COLOR.warn, bold: true },
      ];
    }),
    { empty: 'No contracts recorded.' },
  );
  if (data.gaps.length > 0) {
    report.subsection('Open clause gaps');
    const byContract = new Map(data.contracts.map((contract) => [contract.id, contract.reference]));
    report.table(
      [
        { header: 'Contract', width: 2.8 },
        { header: 'Clause', width: 5.6 },
        { header: 'State', width: 1.8 },
        { header: 'Notes', width: 3.5 },
      ],
      data.gaps.slice(0, DOSSIER_LIST_LIMIT).map((gap) => [
        byContract.get(gap.contract_id) ?? gap.contract_reference,
        `${gap.clause_title} (${gap.clause_key})`,
        { text: humanize(gap.status), color: gap.status === 'missing' ? COLOR.bad : COLOR.warn, bold: true },
        gap.notes ?? '',
      ]),
    );
  }

  // 8. Evidence
  report.section(L.evidence.title, L.evidence.intro);
  report.table(
    [
      { header: 'Kind', width: 3 },
      { header: 'Title / file', width: 4.5 },
      { header: 'Issued', width: 1.8 },
      { header: 'Valid from', width: 1.8 },
      { header: 'Valid until', width: 1.8 },
      { header: 'Validity', width: 2 },
    ],
    data.evidence.slice(0, DOSSIER_LIST_LIMIT).map((row) => [
      EVIDENCE_KINDS[row.kind as keyof typeof EVIDENCE_KINDS] ?? humanize(row.kind),
      row.title ? `${row.title}\n${row.fileName}` : row.fileName,
      row.issuedAt ?? '',
      row.validFrom ?? '',
      row.validUntil ?? '',
      validity(row.validUntil, data.day),
    ]),
    { empty: 'No evidence kept.' },
  );

  // 9. Audits
  report.section(L.audits.title, L.audits.intro);
  const serviceNames = new Map(data.services.map((service) => [service.id, service.name]));
  report.table(
    [
      { header: 'Type', width: 2.1 },
      { header: 'Status', width: 1.7 },
      { header: 'Planned', width: 1.9 },
      { header: 'Performed', width: 1.9 },
      { header: 'Scope', width: 3.2 },
      { header: 'Auditor', width: 2 },
      { header: 'Result', width: 2.8 },
    ],
    data.audits.slice(0, DOSSIER_LIST_LIMIT).map((row) => [
      humanize(row.type),
      humanize(row.status),
      row.plannedDate ?? '',
      row.performedDate ?? '',
      [row.serviceId ? serviceNames.get(row.serviceId) : null, row.scope].filter(Boolean).join(': '),
      row.auditor ?? '',
      row.result ?? '',
    ]),
    { empty: 'No audits recorded.' },
  );

  // 10. Incidents
  report.section(L.incidents.title, L.incidents.intro);
  report.table(
    [
      { header: 'Incident', width: 4 },
      { header: 'Severity', width: 1.4 },
      { header: 'Status', width: 1.4 },
      { header: 'Aware', width: 1.7 },
      { header: 'Early warning, 24 h', width: 2.2 },
      { header: 'Notification, 72 h', width: 2.2 },
      { header: 'Final report, 1 month', width: 2.2 },
    ],
    data.incidents.slice(0, DOSSIER_LIST_LIMIT).map((row) => [
      row.significant ? { text: `${row.title} (significant)`, bold: true } : row.title,
      level(row.severity),
      humanize(row.status),
      formatDay(row.awareAt),
      ...milestoneCells({ awareAt: row.awareAt, earlyWarning: row.earlyWarningCompletedAt, notification: row.notificationCompletedAt, finalReport: row.finalReportCompletedAt }, now),
    ]) as (string | Cell)[][],
    { empty: 'No incidents recorded.' },
  );

  // 11. Onboarding and offboarding
  lifecycleSection(report, input.onboarding, input.offboarding);

  return report.finish();
}

const metCell = (met: boolean): Cell => ({ text: met ? 'Met' : 'Unmet', color: met ? COLOR.ok : COLOR.bad, bold: true });

function lifecycleSection(report: Report, onboarding: OnboardingView, offboarding: OffboardingView) {
  report.section(L.lifecycle.title, L.lifecycle.intro);
  report.subsection('Onboarding');
  const decision = onboarding.decision;
  report.keyValues([
    ['Case', onboarding.status === 'not_started' ? 'Not started (gates as they would be today)' : capitalize(humanize(onboarding.status))],
    ['Policy version', String(onboarding.policyVersion)],
    ['Decision', decision ? `${capitalize(humanize(decision.decision))} on ${formatDay(decision.decidedAt)}` : '-'],
    ['Approvers', `${onboarding.approval.approvals.length} of ${onboarding.approval.approversRequired} (${onboarding.approval.roles.join(', ')})`],
  ]);
  if (decision?.override) report.callout(`Decided with unmet gates (${decision.unmetGatesAtDecision.join(', ')}). Justification: ${decision.override}`, 'warn');
  report.table(
    [
      { header: 'Gate', width: 4.5 },
      { header: 'State', width: 1.3 },
      { header: 'What satisfies it, or what is missing', width: 6.5 },
    ],
    onboarding.gates.map((gate) => [gate.label, metCell(gate.met), gate.detail]),
  );
  if (offboarding.status === 'not_started') return;
  report.subsection('Offboarding');
  report.keyValues([
    ['Case', capitalize(humanize(offboarding.status))],
    ['Reason', offboarding.reason ?? ''],
    ['Completed', offboarding.completion ? formatDay(offboarding.completion.completedAt) : '-'],
  ]);
  if (offboarding.completion?.override) report.callout(`Completed with open items (${offboarding.completion.openItemsAtCompletion.join(', ')}). Justification: ${offboarding.completion.override}`, 'warn');
  report.table(
    [
      { header: 'Item', width: 4 },
      { header: 'State', width: 1.3 },
      { header: 'Record', width: 7 },
    ],
    offboarding.items.map((item) => [item.label, item.applies ? metCell(item.met) : { text: 'n/a', color: COLOR.faint }, item.detail]),
  );
}

export const documentKey = (assessment: Pick<ReportedAssessment, 'template_id' | 'template_version'>) => `${assessment.template_id}@${assessment.template_version}`;
