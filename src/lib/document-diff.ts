/** Leaf-level differences between two versions of a settings document (risk model, onboarding policy) for the audit log. */
const MAX_DIFF_ENTRIES = 50;

/** Leaf paths that changed, added or removed, with their values: what an auditor needs, kept bounded. */
export function documentDiff(before: object, after: object): { changed: Record<string, { from: unknown; to: unknown }>; changedCount: number } {
  const a = flatten(before);
  const b = flatten(after);
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  let changedCount = 0;
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const path of paths) {
    const from = a.get(path) ?? null;
    const to = b.get(path) ?? null;
    // Only empty objects and arrays are leaves that are not primitives.
    if (from === to || JSON.stringify(from) === JSON.stringify(to)) continue;
    changedCount += 1;
    if (changedCount <= MAX_DIFF_ENTRIES) changed[path] = { from, to };
  }
  return { changed, changedCount };
}

/** Leaves by dotted path; array items by index (`rules.2.templates.0`), so key order never counts as a change. */
function flatten(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, value);
  }
  return out;
}
