// The access matrix printed in the README ("Who may do what"), made from the rules the routes
// declare; test/access.test.ts checks that the README holds exactly this table.
import type { Access } from '../src/plugins/access.ts';

const ROLES = ['member', 'trainer', 'coordinator', 'admin'] as const;

function cell(access: Access, who: 'anonymous' | (typeof ROLES)[number]): string {
  if (access === 'public') return 'oui';
  if (who === 'anonymous') return '—';
  if (access === 'signed-in') return 'oui';
  return access.roles.includes(who) ? 'oui' : '—';
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
      `| \`${r.method} ${r.url}\` | ${cell(access, 'anonymous')} | ${ROLES.map((role) => cell(access, role)).join(' | ')} |`,
    );
  }
  return lines.join('\n');
}
