// The audit log page, for the national team: who did what to whom, when, newest first.
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { params, type ZodTypeProvider } from '../lib/forms.ts';
import { rules } from '../policy/route-rules.ts';

const PAGE_SIZE = 100;
const query = z.object({ page: params.page() });

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

export default async function auditRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;

  app.get(
    '/admin/audit',
    { schema: { querystring: query }, config: { access: rules.national } },
    async (request, reply) => {
      const total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM audit_log`)!.n;
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      const page = Math.min(Math.max(1, request.query.page ?? 1), pages);
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
      return reply.render('audit/index', {
        entries: entries.map((e) => ({
          ...e,
          details: e.details ? (JSON.parse(e.details) as Record<string, unknown>) : {},
        })),
        page,
        pages,
        total,
      });
    },
  );
}
