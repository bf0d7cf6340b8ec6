// The access matrix printed in the README ("Who may do what"), made from the rules the routes
// declare: per role, « oui », « — », or how far the route reaches for that role (« soi-même »,
// « son collectif », « tout le réseau »…). test/access.test.ts checks that the README holds
// exactly this table.
import { roles } from '../src/db/schema.ts';
import { type Access, reachOf, reachWords } from '../src/policy/route-rules.ts';

function cell(access: Access, who: 'anonymous' | (typeof roles)[number]): string {
  const reach = reachOf(access, who);
  return reach === null ? '—' : reachWords[reach];
}

export function accessMatrix(
  routes: Array<{ method: string; url: string; access: Access | undefined }>,
): string {
  const lines = [
    '| route | anonyme | membre | formateur·rice | coordination | équipe nationale |',
    '|---|---|---|---|---|---|',
  ];
  const seen = new Set<string>();
  const sorted = routes
    .filter((r) => r.method !== 'HEAD' && r.access !== undefined)
    .sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
  for (const r of sorted) {
    const key = `${r.method} ${r.url}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const access = r.access!;
    lines.push(
      `| \`${r.method} ${r.url}\` | ${cell(access, 'anonymous')} | ${roles.map((role) => cell(access, role)).join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
