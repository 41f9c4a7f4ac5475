/**
 * Everything the supplier reads, apart from the questionnaire itself. Kept out of the markup so the
 * portal can be translated: add a language by adding an object with the same keys. The page hands
 * the strings the script needs to it through data attributes, so the script holds no words.
 */
export const PORTAL_STRINGS = {
  en: {
    pageTitle: (supplier: string) => `Security questionnaire for ${supplier}`,
    requestedBy: (tenant: string) => `Requested by ${tenant}`,
    due: (date: string) => `Due ${date}`,
    progress: (answered: number | string, total: number | string) => `${answered} of ${total} questions answered`,
    requiredMarker: 'required',
    evidenceMarker: 'evidence required',
    commentLabel: 'Comment (optional)',
    save: 'Save draft',
    submit: 'Submit questionnaire',
    saved: 'Your answers are saved.',
    submitted: 'Submitted. Thank you — the questionnaire is now read-only.',
    uploaded: 'The file is attached.',
    removed: 'The file is removed.',
    forwarded: (email: string) => `A link was sent to ${email}.`,
    readOnly: 'This questionnaire has been submitted and can no longer be changed.',
    returnedTitle: 'Returned for clarification',
    returnedBody: 'Please look at the requests beside the answers below, change what is needed and submit again.',
    clarificationRequested: 'Clarification requested',
    reviewerNote: 'Reviewer\'s note',
    errorTitle: 'There is a problem',
    missingRequired: 'These required questions are still unanswered:',
    requiredMessage: 'Answer this question before you submit.',
    notANumber: 'Enter a number, such as 24 or 2.5.',
    staleMessage: 'Someone else changed this answer in the meantime. It now shows their answer; yours was not saved.',
    staleBeside: (value: string) => `Someone else saved this answer meanwhile: ${value}. Change it again to overwrite it.`,
    autosaveSaving: 'Saving…',
    autosaveSaved: 'All changes saved.',
    autosaveFailed: 'Not saved. Check your connection; the Save draft button also works.',
    crossSite: 'This form can only be sent from the questionnaire page itself.',
    linkInvalidTitle: 'This link does not work',
    linkInvalidBody: 'The link may have expired or been replaced. Ask the person who sent it for a new one.',
    tooManyTitle: 'Too many attempts',
    tooManyBody: 'Please wait a minute and try again.',
    filesLabel: 'Attached files',
    attachLabel: 'Attach a file',
    upload: 'Upload',
    remove: 'Remove',
    removeFile: (name: string) => `Remove ${name}`,
    fileRequiredHint: 'Answer this question by attaching one or more files.',
    numberUnit: (unit: string) => `in ${unit}`,
    skipToForm: 'Skip to the questions',
    forwardTitle: 'Forward to a colleague',
    forwardHint: 'They get their own link to the same questionnaire; everyone works on the same answers.',
    forwardEmail: 'Their e-mail address',
    forwardName: 'Their name (optional)',
    forwardNote: 'Note (optional)',
    forwardSend: 'Send link',
    forwardInvalidEmail: 'Enter an e-mail address, such as name@example.com.',
    yourLink: (email: string) => `Link for ${email}`,
  },
} as const;

export type PortalStrings = (typeof PORTAL_STRINGS)['en'];

export function portalStrings(language: string): PortalStrings {
  return (PORTAL_STRINGS as Record<string, PortalStrings>)[language.slice(0, 2)] ?? PORTAL_STRINGS.en;
}
