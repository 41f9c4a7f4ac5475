import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, problemOf, type TestContext, type TestTenant } from './support/context';
import { sampleTemplate } from './support/fixtures';

let t: TestContext;
let tenant: TestTenant;

beforeAll(async () => {
  t = await createTestContext();
  tenant = await t.createTenant();
});
afterAll(() => t.close());

interface Template {
  id: string;
  key: string;
  name: string;
  builtIn: boolean;
  latestVersion: number | null;
  latestQuestionCount: number | null;
  hasDraft: boolean;
  version: number;
  draft: { name: string } | null;
  versions: { version: number; questionCount: number }[];
}

const createTemplate = (json: unknown, query = '') =>
  t.request(`/v1/questionnaire-templates${query}`, { method: 'POST', key: tenant.adminKey, json });

describe('built-in templates', () => {
  it('are listed for every tenant, published once, read-only, and exportable', async () => {
    const list = async () =>
      (await (await t.request('/v1/questionnaire-templates?builtIn=true', { key: tenant.adminKey })).json()) as { data: Template[] };
    const first = await list();
    expect(first.data.map((template) => template.key).sort()).toEqual([
      'builtin.nis2-supplier-baseline',
      'builtin.onboarding-intake',
      'builtin.ot-service-provider',
      'builtin.product-secure-development',
    ]);
    expect(first.data.every((template) => template.builtIn && template.latestVersion === 1)).toBe(true);
    const again = await list();
    expect(again.data.map((template) => template.version)).toEqual(first.data.map((template) => template.version));

    const ot = first.data.find((template) => template.key === 'builtin.ot-service-provider')!;
    expect(ot.latestQuestionCount).toBeGreaterThanOrEqual(30);
    const exported = await t.request(`/v1/questionnaire-templates/${ot.id}/versions/1`, { key: tenant.adminKey });
    expect(exported.status).toBe(200);
    const version = (await exported.json()) as { document: { key: string; sections: unknown[] } };
    expect(version.document.key).toBe('ot-service-provider');

    const edit = await t.request(`/v1/questionnaire-templates/${ot.id}/draft`, {
      method: 'PUT',
      key: tenant.adminKey,
      json: version.document,
    });
    expect(edit.status).toBe(409);
    expect((await problemOf(edit)).code).toBe('template_read_only');
    expect((await t.request(`/v1/questionnaire-templates/${ot.id}`, { method: 'DELETE', key: tenant.adminKey })).status).toBe(409);

    // Export, adapt, import under an own key: the way to customise a built-in.
    const copy = await createTemplate({ ...version.document, key: 'ot-service-provider-acme', name: 'OT service provider (ACME)' }, '?publish=true');
    expect(copy.status).toBe(201);
  });
});

describe('own templates', () => {
  it('creates a draft, saves it, publishes immutable versions', async () => {
    const created = await createTemplate(sampleTemplate('vendor-short'));
    expect(created.status).toBe(201);
    const template = (await created.json()) as Template;
    expect(template).toMatchObject({ key: 'vendor-short', hasDraft: true, latestVersion: null, versions: [], builtIn: false });
    expect(created.headers.get('etag')).toBe('"1"');

    const publish = await t.request(`/v1/questionnaire-templates/${template.id}/publish`, { method: 'POST', key: tenant.adminKey });
    expect(publish.status).toBe(200);
    expect(await publish.json()).toMatchObject({ version: 1, questionCount: 3 });
    const noDraft = await t.request(`/v1/questionnaire-templates/${template.id}/publish`, { method: 'POST', key: tenant.adminKey });
    expect(noDraft.status).toBe(409);
    expect((await problemOf(noDraft)).code).toBe('no_draft');

    const renamed = sampleTemplate('vendor-short', { name: 'Vendor short v2' });
    const saved = await t.request(`/v1/questionnaire-templates/${template.id}/draft`, {
      method: 'PUT',
      key: tenant.adminKey,
      headers: { 'if-match': '"2"' },
      json: renamed,
    });
    expect(saved.status).toBe(200);
    const stale = await t.request(`/v1/questionnaire-templates/${template.id}/draft`, {
      method: 'PUT',
      key: tenant.adminKey,
      headers: { 'if-match': '"2"' },
      json: renamed,
    });
    expect(stale.status).toBe(412);
    await t.request(`/v1/questionnaire-templates/${template.id}/publish`, { method: 'POST', key: tenant.adminKey });

    const v1 = (await (await t.request(`/v1/questionnaire-templates/${template.id}/versions/1`, { key: tenant.adminKey })).json()) as {
      document: { name: string };
    };
    const v2 = (await (await t.request(`/v1/questionnaire-templates/${template.id}/versions/2`, { key: tenant.adminKey })).json()) as {
      document: { name: string };
    };
    expect(v1.document.name).toBe('Template vendor-short');
    expect(v2.document.name).toBe('Vendor short v2');
    expect((await t.request(`/v1/questionnaire-templates/${template.id}/versions/3`, { key: tenant.adminKey })).status).toBe(404);

    const full = (await (await t.request(`/v1/questionnaire-templates/${template.id}`, { key: tenant.adminKey })).json()) as Template;
    expect(full.versions.map((version) => version.version)).toEqual([2, 1]);
    const audit = (await (await t.request(`/v1/audit-log?entityId=${template.id}&order=asc`, { key: tenant.adminKey })).json()) as {
      data: { action: string }[];
    };
    expect(audit.data.map((entry) => entry.action)).toEqual([
      'questionnaire_template.created',
      'questionnaire_template.published',
      'questionnaire_template.draft_saved',
      'questionnaire_template.published',
    ]);
  });

  it('validates documents and names the field', async () => {
    const cases: [unknown, string][] = [
      [sampleTemplate('Bad Key'), 'key'],
      [sampleTemplate('x', { audience: 'everyone' }), 'audience'],
      [sampleTemplate('x', { sections: [] }), 'sections'],
      [
        sampleTemplate('x', {
          sections: [{ key: 's', title: 'S', questions: [{ key: 'q', text: 'Q', type: 'yes_no', domain: 'd', options: [{ value: 'yes', label: 'Yes', score: 100 }] }] }],
        }),
        'sections.0.questions.0.options',
      ],
      [
        sampleTemplate('x', {
          sections: [
            {
              key: 's',
              title: 'S',
              questions: [
                { key: 'a', text: 'A', type: 'text', domain: 'd', dependsOn: { question: 'b', anyOf: ['yes'] } },
                { key: 'b', text: 'B', type: 'text', domain: 'd' },
              ],
            },
          ],
        }),
        'sections.0.questions.0.dependsOn.question',
      ],
      [
        sampleTemplate('x', {
          sections: [
            { key: 's', title: 'S', questions: [{ key: 'a', text: 'A', type: 'text', domain: 'd' }, { key: 'a', text: 'B', type: 'text', domain: 'd' }] },
          ],
        }),
        'sections.0.questions.1.key',
      ],
      [sampleTemplate('builtin.sneaky'), 'key'],
    ];
    for (const [json, path] of cases) {
      const response = await createTemplate(json);
      expect(response.status, path).toBe(422);
      expect((await problemOf(response)).errors!.map((error) => error.path), path).toContain(path);
    }
  });

  it('refuses a duplicate key and a key change', async () => {
    expect((await createTemplate(sampleTemplate('dupe'))).status).toBe(201);
    const dupe = await createTemplate(sampleTemplate('dupe'));
    expect(dupe.status).toBe(409);
    const template = (await (await createTemplate(sampleTemplate('fixed-key'))).json()) as Template;
    const changed = await t.request(`/v1/questionnaire-templates/${template.id}/draft`, {
      method: 'PUT',
      key: tenant.adminKey,
      json: sampleTemplate('other-key'),
    });
    expect(changed.status).toBe(422);
  });

  it('discards drafts and archives templates out of the list', async () => {
    const template = (await (await createTemplate(sampleTemplate('to-archive'), '?publish=true')).json()) as Template;
    const archived = await t.request(`/v1/questionnaire-templates/${template.id}`, { method: 'DELETE', key: tenant.adminKey });
    expect(archived.status).toBe(200);
    const visible = (await (await t.request('/v1/questionnaire-templates?builtIn=false&limit=200', { key: tenant.adminKey })).json()) as { data: Template[] };
    expect(visible.data.map((item) => item.id)).not.toContain(template.id);
    const all = (await (await t.request('/v1/questionnaire-templates?builtIn=false&archived=true&limit=200', { key: tenant.adminKey })).json()) as { data: Template[] };
    expect(all.data.map((item) => item.id)).toContain(template.id);

    const draft = (await (await createTemplate(sampleTemplate('drafty'))).json()) as Template;
    expect((await t.request(`/v1/questionnaire-templates/${draft.id}/draft`, { method: 'DELETE', key: tenant.adminKey })).status).toBe(204);
    const after = (await (await t.request(`/v1/questionnaire-templates/${draft.id}`, { key: tenant.adminKey })).json()) as Template;
    expect(after.hasDraft).toBe(false);
  });

  it('pages by name and keeps tenants apart', async () => {
    const own = await t.createTenant();
    for (const key of ['c-tpl', 'a-tpl', 'b-tpl']) {
      await t.request('/v1/questionnaire-templates', { method: 'POST', key: own.adminKey, json: sampleTemplate(key) });
    }
    const page1 = (await (await t.request('/v1/questionnaire-templates?builtIn=false&limit=2', { key: own.adminKey })).json()) as {
      data: Template[];
      nextCursor: string;
    };
    expect(page1.data.map((item) => item.key)).toEqual(['a-tpl', 'b-tpl']);
    const page2 = (await (await t.request(`/v1/questionnaire-templates?builtIn=false&limit=2&cursor=${page1.nextCursor}`, { key: own.adminKey })).json()) as {
      data: Template[];
      nextCursor: string | null;
    };
    expect(page2.data.map((item) => item.key)).toEqual(['c-tpl']);
    expect(page2.nextCursor).toBeNull();
    const mine = (await (await t.request('/v1/questionnaire-templates?builtIn=false&limit=200', { key: tenant.adminKey })).json()) as { data: Template[] };
    expect(mine.data.map((item) => item.key)).not.toContain('a-tpl');
  });
});
