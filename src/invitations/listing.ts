// The invitations a coordinator can come back to: a page of their collective's invitations (by
// status, searched by name or email), one invitation, one import's invitations — each pending one
// with its link to copy — and the rows of the "nom ; email ; lien" CSV for a mail merge.
import { type SQL, sql } from 'drizzle-orm';
import { type InvitationLinks, shownLink } from '../auth/invitations.ts';
import type { Db } from '../db/client.ts';
import { idList } from '../db/id-list.ts';
import type { Role } from '../db/schema.ts';
import type { Translate } from '../i18n/index.ts';
import { spreadsheetCsv } from '../lib/csv.ts';
import { NotFoundError } from '../lib/errors.ts';
import { searchable } from '../lib/text.ts';
import { managementScope, organizationInScopeSql } from '../organizations/scope.ts';
import type { CurrentUser } from '../people/users.ts';
import { mayGrantRole } from '../policy/policy.ts';

export const PAGE_SIZE = 50;
const byName = new Intl.Collator('fr', { sensitivity: 'base' });
export const listStatuses = ['pending', 'accepted', 'expired', 'revoked', 'all'] as const;
export type ListStatus = (typeof listStatuses)[number];
export type InvitationStatus = Exclude<ListStatus, 'all'>;

export interface InvitationCard {
  id: number;
  email: string;
  displayName: string;
  organizationName: string;
  role: Role;
  status: InvitationStatus;
  expiresAt: Date;
  sentAt: Date;
  invitedByName: string | null;
  /** The link to copy: pending invitations whose link can still be shown. */
  link: string | null;
  /** What the reader may do with it (policy.ts: mayGrantRole, the rule of inviting). */
  mayResend: boolean;
  mayRevoke: boolean;
  mayReinvite: boolean;
}

export interface InvitationPage {
  rows: InvitationCard[];
  total: number;
  page: number;
  pages: number;
  query: string;
  status: ListStatus;
}

interface Row {
  id: number;
  organizationId: number;
  parentId: number | null;
  federationId: number | null;
  email: string;
  displayName: string;
  organizationName: string;
  role: Role;
  acceptedAt: number | null;
  revokedAt: number | null;
  expiresAt: number;
  createdAt: number;
  lastSentAt: number | null;
  invitedByName: string | null;
  linkNonce: string | null;
  tokenHash: string;
}

const columns = sql`i.id, i.organization_id AS organizationId, o.parent_id AS parentId,
  o.federation_id AS federationId, i.email, i.display_name AS displayName, o.name AS organizationName, i.role,
  i.accepted_at AS acceptedAt, i.revoked_at AS revokedAt, i.expires_at AS expiresAt,
  i.created_at AS createdAt, i.last_sent_at AS lastSentAt, u.display_name AS invitedByName,
  i.link_nonce AS linkNonce, i.token_hash AS tokenHash`;
const from = sql`FROM invitations i JOIN organizations o ON o.id = i.organization_id
  LEFT JOIN users u ON u.id = i.invited_by`;

function statusSql(status: ListStatus, now: Date): SQL {
  const t = now.getTime();
  switch (status) {
    case 'pending':
      return sql`i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > ${t}`;
    case 'accepted':
      return sql`i.accepted_at IS NOT NULL`;
    case 'revoked':
      return sql`i.accepted_at IS NULL AND i.revoked_at IS NOT NULL`;
    case 'expired':
      return sql`i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at <= ${t}`;
    case 'all':
      return sql`1 = 1`;
  }
}

function statusOf(row: Row, now: Date): InvitationStatus {
  if (row.acceptedAt) return 'accepted';
  if (row.revokedAt) return 'revoked';
  return row.expiresAt <= now.getTime() ? 'expired' : 'pending';
}

function toCard(actor: CurrentUser, links: InvitationLinks, row: Row, now: Date): InvitationCard {
  const status = statusOf(row, now);
  const grants = mayGrantRole(actor, row.role, {
    id: row.organizationId,
    parentId: row.parentId,
    federationId: row.federationId,
  });
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    organizationName: row.organizationName,
    role: row.role,
    status,
    expiresAt: new Date(row.expiresAt),
    sentAt: new Date(row.lastSentAt ?? row.createdAt),
    invitedByName: row.invitedByName,
    // A link is a credential: shown only to those who may give its role (not a coordinator for
    // the national team's coordinator invitation).
    link: status === 'pending' && grants ? shownLink(links, row) : null,
    mayResend: grants && (status === 'pending' || status === 'expired'),
    mayRevoke: grants && status === 'pending',
    mayReinvite: grants && status === 'revoked',
  };
}

function conditions(actor: CurrentUser, status: ListStatus, importId: number | undefined, now: Date): SQL {
  const parts = [organizationInScopeSql(managementScope(actor)), statusSql(status, now)];
  if (importId !== undefined) parts.push(sql`i.import_id = ${importId}`);
  return sql.join(parts, sql` AND `);
}

/** One page of the actor's invitations, most recent first; `query` looks in names and emails. */
export function listInvitations(
  db: Db,
  actor: CurrentUser,
  links: InvitationLinks,
  options: { status?: ListStatus; query?: string; page?: number; importId?: number } = {},
  now = new Date(),
): InvitationPage {
  const status = options.status ?? 'pending';
  const query = (options.query ?? '').trim().slice(0, 100);
  const needle = searchable(query);
  const where = conditions(actor, status, options.importId, now);
  const requested = Math.max(1, Math.trunc(options.page ?? 1));
  let total: number;
  let page: number;
  let rows: Row[];
  if (!needle) {
    total = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM invitations i
      JOIN organizations o ON o.id = i.organization_id WHERE ${where}`)!.n;
    page = Math.min(requested, Math.max(1, Math.ceil(total / PAGE_SIZE)));
    rows = db.all<Row>(sql`SELECT ${columns} ${from} WHERE ${where}
      ORDER BY i.id DESC LIMIT ${PAGE_SIZE} OFFSET ${(page - 1) * PAGE_SIZE}`);
  } else {
    // Names are compared without accents or case ("kone" finds "Koné"): the scope's invitations
    // are few enough (a collective has hundreds, the whole network tens of thousands) to filter here.
    const ids = db
      .all<{ id: number; displayName: string; email: string }>(sql`SELECT i.id, i.display_name AS displayName,
        i.email FROM invitations i JOIN organizations o ON o.id = i.organization_id WHERE ${where}
        ORDER BY i.id DESC`)
      .filter((r) => searchable(`${r.displayName} ${r.email}`).includes(needle))
      .map((r) => r.id);
    total = ids.length;
    page = Math.min(requested, Math.max(1, Math.ceil(total / PAGE_SIZE)));
    const pageIds = ids.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
    rows =
      pageIds.length === 0
        ? []
        : db.all<Row>(sql`SELECT ${columns} ${from} WHERE i.id IN (${idList(pageIds)}) ORDER BY i.id DESC`);
  }
  return {
    rows: rows.map((r) => toCard(actor, links, r, now)),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
    query,
    status,
  };
}

/** One invitation of the actor's scope (404 otherwise). */
export function getInvitationCard(
  db: Db,
  actor: CurrentUser,
  links: InvitationLinks,
  id: number,
  now = new Date(),
): InvitationCard {
  const row = db.get<Row>(
    sql`SELECT ${columns} ${from} WHERE i.id = ${id} AND ${organizationInScopeSql(managementScope(actor))}`,
  );
  if (!row) throw new NotFoundError();
  return toCard(actor, links, row, now);
}

/**
 * Every pending invitation of the actor's scope (or of one import), in name order, for the
 * "nom ; email ; lien" CSV. A link that cannot be shown any more has `link` null.
 */
export function pendingLinks(
  db: Db,
  actor: CurrentUser,
  links: InvitationLinks,
  options: { importId?: number } = {},
  now = new Date(),
): Array<{ name: string; email: string; link: string | null }> {
  const rows = db.all<Row>(sql`SELECT ${columns} ${from}
    WHERE ${conditions(actor, 'pending', options.importId, now)} ORDER BY i.id`);
  return rows
    .filter((r) =>
      mayGrantRole(actor, r.role, {
        id: r.organizationId,
        parentId: r.parentId,
        federationId: r.federationId,
      }),
    )
    .map((r) => ({ name: r.displayName, email: r.email, link: shownLink(links, r) }))
    .sort((a, b) => byName.compare(a.name, b.name));
}

/** Those rows as the CSV a coordinator opens in a spreadsheet: nom ; email ; lien. */
export function linksCsv(
  rows: Array<{ name: string; email: string; link: string | null }>,
  t: Translate,
): string {
  return spreadsheetCsv(
    [t('invite.csv.name'), t('invite.csv.email'), t('invite.csv.link')],
    rows.map((r) => [r.name, r.email, r.link ?? t('invite.link.csvToResend')]),
  );
}
