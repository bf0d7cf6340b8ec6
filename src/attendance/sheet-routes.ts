// The feuille d'émargement to print before a séance and have signed by hand (the sheet funders
// ask for): GET /gatherings/:id/sign-in-sheet.pdf, at any time, before or after the séance. The
// closed roll call's own exports (attendance.pdf / .csv) stay with the roll call in routes.ts.
// Access: whoever may take the séance's roll call (getManagedGathering: the cycle's trainers and
// coordinators, the national team, the séance's facilitator); anyone else gets 404.
import type { FastifyInstance } from 'fastify';
import { getManagedGathering } from '../gatherings/gatherings.ts';
import { asDownload } from '../lib/download.ts';
import { params, type ZodTypeProvider } from '../lib/forms.ts';
import { rules } from '../policy/route-rules.ts';
import { signInSheetFileName, signInSheetPdf } from './attendance-sheet.ts';
import { signInSheetOf } from './sign-in-sheet.ts';

export default async function sheetRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;

  app.get(
    '/gatherings/:id/sign-in-sheet.pdf',
    { schema: { params: params.id() }, config: { access: rules.seanceRunners } },
    async (request, reply) => {
      const { gathering, cycle } = getManagedGathering(db, request.user!, request.params.id);
      const sheet = signInSheetOf(db, gathering, cycle);
      return asDownload(reply, 'application/pdf', signInSheetFileName(sheet)).send(
        await signInSheetPdf(sheet),
      );
    },
  );
}
