// The audit log: who did what to whom, when. Append-only; read by the national team.
import { sql } from 'drizzle-orm';
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

const PAGE_SIZE = 100;

export interface AuditRow {
  id: number;
  action: string;
  createdAt: number;
  actorName: string | null;
  subjectId: number | null;
  subjectName: string | null;
  organizationName: string | null;
  details: string | null;
}

/** One page of the log, newest first, with names instead of ids; a page past the last shows the last. */
export function auditLogPage(db: Db, requested: number) {
  const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`)!.n;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(Math.max(1, requested), pages);
  const entries = db.all<AuditRow>(sql`
    SELECT a.id, a.action, a.created_at AS createdAt, actor.display_name AS actorName,
      a.subject_user_id AS subjectId, subject.display_name AS subjectName,
      o.name AS organizationName, a.details
    FROM audit_log a
    LEFT JOIN users actor ON actor.id = a.actor_user_id
    LEFT JOIN users subject ON subject.id = a.subject_user_id
    LEFT JOIN organizations o ON o.id = a.organization_id
    ORDER BY a.id DESC
    LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE}`);
  return {
    entries: entries.map((e) => ({
      ...e,
      details: e.details ? (JSON.parse(e.details) as Record<string, unknown>) : {},
    })),
    page,
    pages,
    total,
  };
}
