// The audit log: who did what to whom, when. Append-only; read by the national team.
import type { Db } from '../db/client.ts';
import { auditLog } from '../db/schema.ts';

export interface AuditEntry {
  actorUserId: number | null;
  action: string;
  subjectUserId?: number | null;
  organizationId?: number | null;
  details?: Record<string, unknown>;
}

export function recordAudit(db: Db, entry: AuditEntry): void {
  db.insert(auditLog)
    .values({
      actorUserId: entry.actorUserId,
      action: entry.action,
      subjectUserId: entry.subjectUserId ?? null,
      organizationId: entry.organizationId ?? null,
      details: entry.details ?? null,
    })
    .run();
}
