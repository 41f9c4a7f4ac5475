/**
 * Whether a JSON text decodes to a string with a lone surrogate (`"\uD800"`). Postgres keeps text
 * as UTF-8 and its jsonb parser refuses such escapes (22P02), so the audit entry of a change that
 * holds one failed with a 500, and a text column silently got U+FFFD instead.
 */
export function hasLoneSurrogate(jsonText: string): boolean {
  // Only a \uD8xx–\uDFxx escape can make one (decoding the body already replaced raw ones).
  if (!/\\u[dD][89a-fA-F]/.test(jsonText)) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(jsonText);
  } catch {
    return false; // the route's JSON validator answers this one
  }
  const pending: unknown[] = [parsed];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === 'string') {
      if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) return true;
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) pending.push(key, item);
    }
  }
  return false;
}
