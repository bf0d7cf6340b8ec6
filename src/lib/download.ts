// A response to save as a file: its type, the name it is saved under, and how long a browser may
// keep it (by default not at all: what is downloaded here is someone's data).
import type { FastifyReply } from 'fastify';

export function asDownload(
  reply: FastifyReply,
  type: string,
  filename: string,
  cacheControl = 'private, no-store',
): FastifyReply {
  return reply
    .header('Content-Type', type)
    .header('Content-Disposition', `attachment; filename="${filename}"`)
    .header('Cache-Control', cacheControl);
}
