// The feuilles d'émargement to download: the sign-in sheet to print before a séance and have signed
// by hand (the sheet funders ask for), GET /gatherings/:id/sign-in-sheet.pdf, at any time, before or
// after the séance; and the closed roll call's exports, GET /gatherings/:id/attendance.pdf / .csv.
// Access: whoever may take the séance's roll call (getManagedGathering: the cycle's trainers and
// coordinators, the national team, the séance's facilitator); anyone else gets 404.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { getManagedGathering } from '../gatherings/gatherings.ts';
import { asDownload } from '../lib/download.ts';
import { params, type ZodTypeProvider } from '../lib/forms.ts';
import { rules } from '../policy/route-rules.ts';
import { closedAttendanceSheetOf } from './attendance.ts';
import {
  attendanceCsv,
  attendanceFileName,
  attendancePdf,
  signInSheetFileName,
  signInSheetPdf,
} from './attendance-sheet.ts';
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

  app.get(
    '/gatherings/:id/attendance.:format',
    {
      schema: { params: params.id().extend({ format: z.enum(['pdf', 'csv']) }) },
      config: { access: rules.seanceRunners },
    },
    async (request, reply) => {
      const { gathering, cycle } = getManagedGathering(db, request.user!, request.params.id);
      const sheet = closedAttendanceSheetOf(db, gathering, cycle);
      const format = request.params.format;
      const name = attendanceFileName(sheet, format);
      if (format === 'csv')
        return asDownload(reply, 'text/csv; charset=utf-8', name).send(attendanceCsv(sheet));
      return asDownload(reply, 'application/pdf', name).send(await attendancePdf(sheet));
    },
  );
}
