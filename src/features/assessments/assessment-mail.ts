/**
 * The e-mails an assessment sends: invitation, reminder, overdue notice and forwarded link, each
 * as plain text and HTML. The words live in `ASSESSMENT_MAIL_MESSAGES` (placeholders in braces), apart from the
 * code, so that they can be translated; English comes first. Every interpolated value is
 * HTML-escaped in the HTML body, and stripped of line breaks in the subject.
 */

export const ASSESSMENT_MAIL_MESSAGES = {
  en: {
    invitation: {
      subject: '{organisation}: security questionnaire for {supplier}',
      greeting: 'Hello {name},',
      intro: '{organisation} asks you to complete the security questionnaire "{template}" for {supplier}.',
      due: 'Please submit it by {dueAt}.',
      messageLabel: 'Message from {organisation}:',
      action: 'Open the questionnaire',
      linkNote: 'The link is personal to you and works until {expiresAt}. You can save your answers and come back later; nothing is sent until you submit.',
      footer: 'You receive this e-mail because {organisation} lists you as a contact of {supplier}. If that is wrong, please tell them.',
    },
    reminder: {
      subject: 'Reminder – {organisation}: security questionnaire for {supplier}',
      greeting: 'Hello {name},',
      intro: 'This is a reminder: {organisation} is waiting for the security questionnaire "{template}" for {supplier}.',
      due: 'It is due by {dueAt}.',
      messageLabel: 'Message from {organisation}:',
      action: 'Continue the questionnaire',
      linkNote: 'The link is personal to you and works until {expiresAt}. Answers you saved before are kept.',
      footer: 'You receive this e-mail because {organisation} lists you as a contact of {supplier}. If that is wrong, please tell them.',
    },
    overdue: {
      subject: 'Overdue – {organisation}: security questionnaire for {supplier}',
      greeting: 'Hello {name},',
      intro: 'The security questionnaire "{template}" that {organisation} asked you to complete for {supplier} is overdue.',
      due: 'It was due by {dueAt}. Please submit it as soon as you can.',
      messageLabel: 'Message from {organisation}:',
      action: 'Continue the questionnaire',
      linkNote: 'The link is personal to you and works until {expiresAt}; after that the questionnaire closes and can no longer be submitted. Answers you saved before are kept.',
      footer: 'You receive this e-mail because {organisation} lists you as a contact of {supplier}. If that is wrong, please tell them.',
    },
    forwarded: {
      subject: '{sender} forwarded you a security questionnaire from {organisation}',
      greeting: 'Hello {name},',
      intro: '{sender} asks you to help complete the security questionnaire "{template}" that {organisation} sent to {supplier}.',
      due: 'It is due by {dueAt}.',
      messageLabel: 'Note from {sender}:',
      action: 'Open the questionnaire',
      linkNote: 'The link is personal to you and works until {expiresAt}. Everyone with a link works on the same answers; nothing is sent to {organisation} until someone submits.',
      footer: 'You receive this e-mail because {sender} forwarded the questionnaire to this address. If that is wrong, please tell them.',
    },
  },
} as const;

export type MailLanguage = keyof typeof ASSESSMENT_MAIL_MESSAGES;
export type AssessmentMailKind = keyof (typeof ASSESSMENT_MAIL_MESSAGES)['en'];

export interface AssessmentMailInput {
  kind: AssessmentMailKind;
  organisation: string;
  supplier: string;
  template: string;
  recipientName: string;
  dueAt: Date;
  expiresAt: Date;
  link: string;
  message?: string | null | undefined;
  /** Who forwarded the link (the `forwarded` kind). */
  sender?: string | undefined;
  language?: MailLanguage;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}

function fill(template: string, values: Record<string, string>, escape: (value: string) => string = (value) => value): string {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in values ? escape(values[name]!) : match));
}

// eslint-disable-next-line no-control-regex -- the point is to find control characters
const CONTROL = /[\u0000-\u001f\u007f]+/g;
const oneLine = (value: string) => value.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();

function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function renderAssessmentMail(input: AssessmentMailInput): RenderedMail {
  const words = ASSESSMENT_MAIL_MESSAGES[input.language ?? 'en'][input.kind];
  const values = {
    organisation: input.organisation,
    supplier: input.supplier,
    template: input.template,
    name: input.recipientName,
    dueAt: formatTime(input.dueAt),
    expiresAt: formatTime(input.expiresAt),
    sender: input.sender ?? input.organisation,
  };
  const subjectValues = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, oneLine(value)]));
  const message = input.message?.trim() || null;

  const text = [
    fill(words.greeting, values),
    '',
    fill(words.intro, values),
    fill(words.due, values),
    ...(message ? ['', fill(words.messageLabel, values), message] : []),
    '',
    `${words.action}: ${input.link}`,
    '',
    fill(words.linkNote, values),
    '',
    '-- ',
    fill(words.footer, values),
    '',
  ].join('\n');

  const html = (template: string) => fill(escapeHtml(template), values, escapeHtml);
  const link = escapeHtml(input.link);
  const htmlBody = [
    '<!doctype html>',
    '<html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;max-width:40em">',
    `<p>${html(words.greeting)}</p>`,
    `<p>${html(words.intro)}<br>${html(words.due)}</p>`,
    ...(message ? [`<p><strong>${html(words.messageLabel)}</strong><br>${escapeHtml(message).replace(/\r?\n/g, '<br>')}</p>`] : []),
    `<p><a href="${link}" style="display:inline-block;padding:.6em 1.2em;background:#1f4f8f;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(words.action)}</a></p>`,
    `<p style="font-size:.9em">${link}</p>`,
    `<p style="font-size:.9em">${html(words.linkNote)}</p>`,
    `<hr><p style="font-size:.8em;color:#555">${html(words.footer)}</p>`,
    '</body></html>',
  ].join('\n');

  return { subject: fill(words.subject, subjectValues).slice(0, 900), text, html: htmlBody };
}
