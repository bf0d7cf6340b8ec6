// Ids as SQL parameters for `IN (…)`: `IN (${idList(ids)})`. An empty list gives `NULL`, which
// matches nothing (SQL has no empty list).
import { type SQL, sql } from 'drizzle-orm';

export function idList(ids: readonly number[]): SQL {
  return ids.length === 0
    ? sql`NULL`
    : sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      );
}
