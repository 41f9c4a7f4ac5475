/**
 * Everything the supplier reads, apart from the questionnaire itself. Kept out of the markup so the
 * portal can be translated: add a language by adding an object with the same keys.
 */
export const PORTAL_STRINGS = {
  en: {
    pageTitle: (supplier: string) => `Security questionnaire for ${supplier}`,
    requestedBy: (tenant: string) => `Requested by ${tenant}`,
    due: (date: string) => `Due ${date}`,
    progress: (answered: number, total: number) => `${answered} of ${total} questions answered`,
    requiredMarker: 'required',
    evidenceMarker: 'evidence required',
    yes: 'Yes',
    no: 'No',
    selectPlaceholder: 'Choose…',
    commentLabel: 'Comment (optional)',
    save: 'Save draft',
    submit: 'Submit questionnaire',
    saved: 'Saved.',
    submitted: 'Submitted. Thank you — the questionnaire is now read-only.',
    readOnly: 'This questionnaire has been submitted and can no longer be changed.',
    clarificationRequested: 'Clarification requested',
    missingRequired: 'These required questions are still unanswered:',
    linkInvalidTitle: 'This link does not work',
    linkInvalidBody: 'The link may have expired or been replaced. Ask the person who sent it for a new one.',
    fileHint: 'Attach the file in the web portal with JavaScript enabled, or send it to your contact.',
    numberUnit: (unit: string) => `in ${unit}`,
    skipToForm: 'Skip to the questions',
  },
} as const;

export type PortalStrings = (typeof PORTAL_STRINGS)['en'];

export function portalStrings(language: string): PortalStrings {
  return (PORTAL_STRINGS as Record<string, PortalStrings>)[language.slice(0, 2)] ?? PORTAL_STRINGS.en;
}
