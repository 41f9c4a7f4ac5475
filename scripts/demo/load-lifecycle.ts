// The demo's onboarding and offboarding cases (issue 8), through the API like the rest of the
// demo: one supplier mid-onboarding, one approved with conditions, one offboarded with proof and
// one mid-offboarding. The plan is data: lifecycle.json.
import { demoFile, type DemoFileSpec } from './demo-files';
import lifecyclePlan from './lifecycle.json';
import type { OversightDeps } from './load-oversight';

interface DemoCondition {
  title: string;
  dueInDays: number;
  owner: string;
  severity: string;
}

interface DemoOnboarding {
  supplier: string;
  note: string;
  decision?: { decision: string; note: string; override?: { justification: string }; conditions?: DemoCondition[] };
}

interface DemoOffboarding {
  supplier: string;
  reason: string;
  items: Record<string, { state: string; note: string; confirmation?: DemoFileSpec }>;
  complete?: boolean;
}

export interface LifecycleCounts {
  onboardingCases: number;
  decisions: number;
  offboardingCases: number;
  offboarded: number;
  /** Confirmations uploaded as evidence (data destruction). */
  evidence: number;
}

const DAY_MS = 24 * 3_600_000;

/** Categories by supplier key, for the supplier bodies the demo creates. */
export const DEMO_CATEGORIES: Record<string, string> = lifecyclePlan.categories;

export async function loadLifecycle(deps: Omit<OversightDeps, 'serviceIds'>): Promise<LifecycleCounts> {
  const { call, adminKey, workKey } = deps;
  const plan = lifecyclePlan as unknown as { onboarding: DemoOnboarding[]; offboarding: DemoOffboarding[] };
  const today = deps.now.toISOString().slice(0, 10);
  const day = (offset: number) => new Date(deps.now.getTime() + offset * DAY_MS).toISOString().slice(0, 10);
  const supplierId = (key: string) => {
    const id = deps.supplierIds.get(key);
    if (!id) throw new Error(`demo: unknown supplier "${key}"`);
    return id;
  };
  const counts: LifecycleCounts = { onboardingCases: 0, decisions: 0, offboardingCases: 0, offboarded: 0, evidence: 0 };

  for (const entry of plan.onboarding) {
    const id = supplierId(entry.supplier);
    await call('POST', `/v1/suppliers/${id}/onboarding`, workKey, { note: entry.note });
    counts.onboardingCases += 1;
    if (!entry.decision) continue;
    const { conditions, ...decision } = entry.decision;
    const body = { ...decision, ...(conditions ? { conditions: conditions.map(({ dueInDays, ...condition }) => ({ ...condition, dueDate: day(dueInDays) })) } : {}) };
    // The policy may want a second approver (critical tier): the risk manager first, then the admin.
    let view = await call('POST', `/v1/suppliers/${id}/onboarding/decision`, workKey, body);
    if (view.status === 'open') view = await call('POST', `/v1/suppliers/${id}/onboarding/decision`, adminKey, body);
    if (view.status === 'open') throw new Error(`demo: onboarding of "${entry.supplier}" is still open after two approvals`);
    counts.decisions += 1;
  }

  for (const entry of plan.offboarding) {
    const id = supplierId(entry.supplier);
    await call('POST', `/v1/suppliers/${id}/offboarding`, workKey, { reason: entry.reason });
    counts.offboardingCases += 1;
    for (const [item, record] of Object.entries(entry.items)) {
      const evidenceIds: string[] = [];
      if (record.confirmation) {
        const file = demoFile(record.confirmation, (text) => text.replace('{today}', today));
        const form = new FormData();
        form.set('file', new Blob([file.bytes], { type: file.type }), file.name);
        form.set('supplierId', id);
        form.set('kind', 'other');
        form.set('title', record.confirmation.heading ?? file.name);
        form.set('issuedAt', today);
        evidenceIds.push((await deps.upload(workKey, form)).id as string);
        counts.evidence += 1;
      }
      await call('PUT', `/v1/suppliers/${id}/offboarding/items/${item}`, workKey, { state: record.state, note: record.note, ...(evidenceIds.length > 0 ? { evidenceIds } : {}) });
    }
    if (entry.complete) {
      await call('POST', `/v1/suppliers/${id}/offboarding/complete`, adminKey, {});
      counts.offboarded += 1;
    }
  }
  return counts;
}
