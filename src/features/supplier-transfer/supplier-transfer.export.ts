import type { Db } from '../../db/types';
import { keysetCsvStream, type CsvColumn, type CsvStreamHooks, type CsvValue } from '../../lib/csv';
import { listSuppliers, sortValue, type SupplierFilter, type SupplierRow } from '../suppliers/suppliers.queries';
import { contactsOfSuppliers, servicesOfSuppliers, type ExportContact, type ExportService } from './supplier-transfer.queries';
import { EXPORT_CSV_COLUMNS, type ExportCsvColumn } from './supplier-transfer.schemas';

interface SupplierExportRow {
  row: SupplierRow;
  contacts: readonly ExportContact[];
  services: readonly ExportService[];
}

const primaryOf = ({ contacts }: SupplierExportRow) => contacts.find((contact) => contact.isPrimary);

const CELLS: Record<ExportCsvColumn, (supplier: SupplierExportRow) => CsvValue> = {
  id: ({ row }) => row.id,
  name: ({ row }) => row.name,
  legalName: ({ row }) => row.legalName,
  country: ({ row }) => row.country,
  status: ({ row }) => row.status,
  tier: ({ row }) => row.tier,
  inherentScore: ({ row }) => row.inherentScore,
  lei: ({ row }) => row.lei,
  euid: ({ row }) => row.euid,
  vat: ({ row }) => row.vat,
  duns: ({ row }) => row.duns,
  externalRef: ({ row }) => row.externalRef,
  owner: ({ row }) => row.owner,
  tags: ({ row }) => row.tags.join('; '),
  primaryContactName: (supplier) => primaryOf(supplier)?.name,
  primaryContactEmail: (supplier) => primaryOf(supplier)?.email,
  primaryContactPhone: (supplier) => primaryOf(supplier)?.phone,
  contacts: ({ contacts }) => contacts.map((contact) => `${contact.name} <${contact.email}>`).join('; '),
  ictServices: ({ services }) =>
    services.map((service) => `${service.name} [${service.serviceType}]${service.criticalOrImportant ? ' (critical)' : ''}`).join('; '),
  updatedAt: ({ row }) => row.updatedAt,
};

/** Columns of the directory, in the order of EXPORT_CSV_COLUMNS (the documented list). */
const SUPPLIER_EXPORT_COLUMNS: readonly CsvColumn<SupplierExportRow>[] = EXPORT_CSV_COLUMNS.map((header) => ({ header, value: CELLS[header] }));

/**
 * The supplier directory (NIS2 IR 5.2) as a CSV byte stream, in keyset pages of the supplier list;
 * three queries per page (suppliers, contacts, services), whatever the tenant's size.
 */
export function supplierExportStream(db: Db, filter: Omit<SupplierFilter, 'limit' | 'after'>, hooks: CsvStreamHooks): ReadableStream<Uint8Array> {
  return keysetCsvStream(
    {
      columns: SUPPLIER_EXPORT_COLUMNS,
      page: (after: SupplierFilter['after'], limit) => listSuppliers(db, { ...filter, limit, ...(after ? { after } : {}) }),
      keyOf: (row) => ({ value: sortValue(row, filter.sort), id: row.id }),
      expand: async (rows) => {
        const ids = rows.map((row) => row.id);
        const [contacts, services] = await Promise.all([contactsOfSuppliers(db, filter.tenantId, ids), servicesOfSuppliers(db, filter.tenantId, ids)]);
        return rows.map((row) => ({ row, contacts: contacts.get(row.id) ?? [], services: services.get(row.id) ?? [] }));
      },
    },
    hooks,
  );
}
