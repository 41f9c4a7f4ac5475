import type { Db } from '../../db/types';
import { emitEvent } from '../../lib/events';
import type { FindingRow } from './findings.queries';

export function emitFindingCreated(tx: Db, row: FindingRow): Promise<void> {
  return emitEvent(tx, row.tenantId, row.createdAt, {
    type: 'finding.created',
    data: { findingId: row.id, supplierId: row.supplierId, severity: row.severity, source: row.source, title: row.title },
  });
}
