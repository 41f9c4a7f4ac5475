/** The UTC calendar day of an instant, as YYYY-MM-DD: how dates (due, valid until) are compared. */
export const dayOf = (now: Date): string => now.toISOString().slice(0, 10);
