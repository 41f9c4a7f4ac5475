import { isEeaCountry } from '../catalog/countries';
import { VAT_FORMATS } from '../catalog/vat-formats';

/** ISO 17442: 18 characters, then two check digits; the whole code mod 97 must be 1 (ISO 7064). */
export function isValidLei(lei: string): boolean {
  if (!/^[A-Z0-9]{18}[0-9]{2}$/.test(lei)) return false;
  let remainder = 0;
  for (const char of lei) {
    const value = char >= 'A' ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

export const normalizeVat = (vat: string) => vat.replace(/[\s.-]/g, '').toUpperCase();

export function isValidVat(normalized: string): boolean {
  const format = VAT_FORMATS[normalized.slice(0, 2)];
  return format !== undefined && format.test(normalized);
}

export const normalizeDuns = (duns: string) => duns.replace(/[\s-]/g, '');
export const isValidDuns = (normalized: string) => /^\d{9}$/.test(normalized);

/**
 * European Unique Identifier (BRIS): EEA country code, the business register's code, a dot, and
 * the registration number in that register, e.g. DEK1101R.HRB116737.
 */
export function isValidEuid(euid: string): boolean {
  const match = /^([A-Z]{2})[A-Z0-9]{1,14}\.[A-Z0-9][A-Z0-9./-]{0,39}$/.exec(euid);
  return match !== null && isEeaCountry(match[1]!);
}
