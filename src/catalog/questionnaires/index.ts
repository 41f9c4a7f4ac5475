/**
 * The built-in questionnaire templates that ship with the product (DESIGN.md "Questionnaire
 * template"). The documents are JSON in the import/export format of TemplateDocumentSchema, so
 * tenants can export one, adapt it and import it back. All wording is our own, written from the EU
 * texts and the topic names of the standards (REFERENCE.md "Questionnaire standards and licensing").
 *
 * JSON imports are bundled by esbuild for both `npm start` and Workers (wrangler). The documents are
 * not parsed at import time; tests/questionnaire-catalog.test.ts proves each one parses unchanged.
 */
import type { TemplateDocument } from '../../features/questionnaire-templates/template-document.schemas';
import nis2SupplierBaseline from './nis2-supplier-baseline.json';
import onboardingIntake from './onboarding-intake.json';
import otServiceProvider from './ot-service-provider.json';
import productSecureDevelopment from './product-secure-development.json';

// JSON imports widen literals (audience: string), so each document is asserted to its parsed type;
// the catalog test checks that parsing returns the same document, which makes the assertion safe.
export const BUILT_IN_TEMPLATES: readonly TemplateDocument[] = [
  nis2SupplierBaseline as TemplateDocument,
  otServiceProvider as TemplateDocument,
  productSecureDevelopment as TemplateDocument,
  onboardingIntake as TemplateDocument,
];

export const BUILT_IN_TEMPLATE_KEYS: readonly string[] = BUILT_IN_TEMPLATES.map((template) => template.key);

export function findBuiltInTemplate(key: string): TemplateDocument | undefined {
  return BUILT_IN_TEMPLATES.find((template) => template.key === key);
}
