import type { Db } from '../../db/types';
import { listSuppliers, sortValue, type SupplierFilter, type SupplierRow } from '../suppliers/suppliers.queries';
import { csvLine, UTF8_BOM } from './supplier-transfer.csv';
import { contactsOfSuppliers, servicesOfSuppliers, type ExportContact, type ExportService } from './supplier-transfer.queries';
import { EXPORT_CSV_COLUMNS } from './supplier-transfer.schemas';

/** Suppliers per page: three queries (suppliers, contacts, services) per page, whatever the tenant's size. */
export const EXPORT_PAGE_SIZE = 1_000;

function exportCells(row: SupplierRow, contacts: readonly ExportContact[], services: readonly ExportService[]) {
  const primary = contacts.find((contact) => contact.isPrimary);
  const cells: Record<(typeof EXPORT_CSV_COLUMNS)[number], string | number | null | undefined> = {
    id: row.id,
    name: row.name,
    legalName: row.legalName,
    country: row.country,
    status: row.status,
    tier: row.tier,
    inherentScore: row.inherentScore,
    lei: row.lei,
    euid: row.euid,
    vat: row.vat,
    duns: row.duns,
    externalRef: row.externalRef,
    owner: row.owner,
    tags: row.tags.join('; '),
    primaryContactName: primary?.name,
    primaryContactEmail: primary?.email,
    primaryContactPhone: primary?.phone,
    contacts: contacts.map((contact) => `${contact.name} <${contact.email}>`).join('; '),
    ictServices: services
      .map((service) => `${service.name} [${service.serviceType}]${service.criticalOrImportant ? ' (critical)' : ''}`)
      .join('; '),
    updatedAt: row.updatedAt.toISOString(),
  };
  return EXPORT_CSV_COLUMNS.map((column) => cells[column]);
}

export interface ExportHooks {
  /** Called once when the stream has ended, failed or been cancelled: the database is no longer needed. */
  onSettled(): void;
  onError(error: unknown): void;
}

/**
 * The supplier directory (NIS2 IR 5.2) as a CSV byte stream. Pages are read on demand with keyset
 * pagination, so memory holds one page however large the tenant; a client that stops reading
 * stops the queries.
 */
export function supplierExportStream(db: Db, filter: Omit<SupplierFilter, 'limit' | 'after'>, hooks: ExportHooks): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: SupplierFilter['after'];
  let headerSent = false;
  let settled = false;
  const settle = () => {
    if (settled) return;
    settled = true;
    hooks.onSettled();
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (!headerSent) {
          headerSent = true;
          controller.enqueue(encoder.encode(UTF8_BOM + csvLine(EXPORT_CSV_COLUMNS)));
          return;
        }
        const rows = await listSuppliers(db, { ...filter, limit: EXPORT_PAGE_SIZE, ...(after ? { after } : {}) });
        const page = rows.slice(0, EXPORT_PAGE_SIZE);
        if (page.length > 0) {
          const ids = page.map((row) => row.id);
          const [contacts, services] = await Promise.all([
            contactsOfSuppliers(db, filter.tenantId, ids),
            servicesOfSuppliers(db, filter.tenantId, ids),
          ]);
          const text = page.map((row) => csvLine(exportCells(row, contacts.get(row.id) ?? [], services.get(row.id) ?? []))).join('');
          controller.enqueue(encoder.encode(text));
        }
        if (rows.length > EXPORT_PAGE_SIZE) {
          const last = page.at(-1)!;
          after = { value: sortValue(last, filter.sort), id: last.id };
        } else {
          controller.close();
          settle();
        }
      } catch (error) {
        hooks.onError(error);
        controller.error(error);
        settle();
      }
    },
    cancel() {
      settle();
    },
  });
}
