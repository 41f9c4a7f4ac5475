import { describe, expect, it } from 'vitest';
import { isValidDuns, isValidEuid, isValidLei, isValidVat, normalizeDuns, normalizeVat } from '../src/lib/identifiers';

describe('identifier checks', () => {
  it('accepts real LEIs and rejects a changed check digit or character', () => {
    for (const lei of ['5493001KJTIIGC8Y1R12', '7LTWFZYICNSX8D621K86', 'HWUPKR0MPOU8FGXBT394', '529900T8BM49AURSDO55']) {
      expect(isValidLei(lei), lei).toBe(true);
    }
    for (const lei of ['5493001KJTIIGC8Y1R13', '5493001KJTIIGC8Y1R1', '5493001kjtiigc8y1r12', '6493001KJTIIGC8Y1R12']) {
      expect(isValidLei(lei), lei).toBe(false);
    }
  });

  it('checks VAT numbers by country prefix and format', () => {
    for (const vat of ['DE 123 456 789', 'ATU12345678', 'FR40303265045', 'NL123456789B01', 'EL123456789', 'IE1234567WA', 'CHE-123.456.789 MWST']) {
      expect(isValidVat(normalizeVat(vat)), vat).toBe(true);
    }
    for (const vat of ['DE12345678', 'GR123456789', 'XX123456789', 'NL123456789', '123456789']) {
      expect(isValidVat(normalizeVat(vat)), vat).toBe(false);
    }
  });

  it('checks DUNS and EUID', () => {
    expect(isValidDuns(normalizeDuns('15-048-3782'))).toBe(true);
    expect(isValidDuns('12345678')).toBe(false);
    expect(isValidEuid('DEK1101R.HRB116737')).toBe(true);
    expect(isValidEuid('FRRCS.552100554')).toBe(true);
    expect(isValidEuid('USDE.12345')).toBe(false);
    expect(isValidEuid('DEK1101R')).toBe(false);
  });
});
