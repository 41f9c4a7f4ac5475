import { randomBytes } from './crypto';

// Crockford base32, as in ULID: sorts the same as text and as time.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export const ID_PREFIXES = {
  tenant: 'ten',
  apiKey: 'key',
  auditEntry: 'aud',
  supplier: 'sup',
  contact: 'con',
  service: 'svc',
  importRun: 'imp',
  template: 'tpl',
  mail: 'mail',
  invitation: 'inv',
  assessment: 'asm',
  contract: 'ctr',
  evidence: 'evd',
  riskScore: 'rsk',
  recalculation: 'rcl',
  finding: 'fnd',
  findingComment: 'fcm',
  audit: 'adt',
  incident: 'inc',
  incidentLink: 'irl',
  deadlineAlert: 'dla',
  webhookEndpoint: 'whk',
  webhookEvent: 'msg',
  webhookDelivery: 'dlv',
  function: 'fun',
  supplierCase: 'cas',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

/** `prefix_` + 26 characters: 10 of millisecond time, then 16 random. Sortable by creation time. */
export function newId(kind: IdKind, now: Date = new Date()): string {
  let time = now.getTime();
  let timePart = '';
  for (let index = 0; index < 10; index += 1) {
    timePart = ALPHABET[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  let randomPart = '';
  for (const byte of randomBytes(16)) randomPart += ALPHABET[byte % 32];
  return `${ID_PREFIXES[kind]}_${timePart}${randomPart}`;
}

export const idLength = (kind: IdKind) => ID_PREFIXES[kind].length + 27;

export function idPattern(kind: IdKind): RegExp {
  return new RegExp(`^${ID_PREFIXES[kind]}_[0-9A-HJKMNP-TV-Z]{26}$`);
}
