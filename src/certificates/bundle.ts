// What the FORIM national team downloads in bulk: the PDFs of a cycle's certificates in one zip,
// and the register of certificates issued (and revoked) as a CSV for a spreadsheet or an audit.

import { type Zippable, zipSync } from 'fflate';
import type { Certificate } from '../db/schema.ts';
import { spreadsheetCsv } from '../lib/csv.ts';
import { today } from '../lib/time.ts';
import { certificateFileName, certificatePdf } from './certificate-pdf.ts';
import { revocationCauseLabel } from './certificates.ts';

// ---------------------------------------------------------------------------------------------
// Zip

/** Formats that are compressed already: stored as they are, deflating them again gains nothing. */
const storedExtensions = /\.(pdf|png|jpe?g|gif|webp|zip|gz|docx|xlsx|odt|ods)$/i;

/** A flat file name: no folder (nor "../") a zip tool would create, no control characters. */
function safeName(name: string): string {
  const flat = name
    .replace(/[\\/]+/g, '-')
    .replace(/\p{Cc}/gu, '')
    .trim()
    .replace(/^\.+/, '');
  return flat === '' ? 'fichier' : flat;
}

/** "a.pdf", "a-2.pdf", "a-3.pdf"… compared without case, as Windows and macOS unpack them. */
function uniqueName(name: string, taken: Set<string>): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${stem}-${n}${ext}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** A zip of the files, at its root, in the given order; a repeated name gets "-2", "-3"… */
export function zipFiles(files: Array<{ name: string; data: Uint8Array }>): Uint8Array {
  const taken = new Set<string>();
  const entries: Zippable = {};
  for (const file of files) {
    const name = uniqueName(safeName(file.name), taken);
    entries[name] = [file.data, { level: storedExtensions.test(name) ? 0 : 6 }];
  }
  return zipSync(entries);
}

/** The attestations of a cycle's certificates in one zip: the live ones (a revoked one is not handed out again). */
export async function cycleAttestationsZip(
  list: Certificate[],
  verifyUrl: (code: string) => string,
): Promise<Uint8Array> {
  const live = list.filter((c) => !c.revokedAt);
  const files = [];
  for (const c of live) {
    const data = await certificatePdf({
      snapshot: c.snapshot,
      code: c.code,
      verifyUrl: verifyUrl(c.code),
    });
    files.push({ name: certificateFileName(c.snapshot), data });
  }
  return zipFiles(files);
}

// ---------------------------------------------------------------------------------------------
// Register (CSV)

export interface RegisterRow {
  code: string;
  name: string;
  cycleName: string;
  collectiveName: string;
  /** `YYYY-MM-DD` */
  issuedOn: string;
  issuedHow: 'automatic' | 'manual';
  hours: number;
  /** The skills, already joined, e.g. "POL-1 Expliquer ce qu'est un QPV, PRJ-3 …". */
  skills: string;
  status: 'valide' | 'révoquée';
  /** `YYYY-MM-DD`, or '' when not revoked. */
  revokedOn: string;
  /** The published cause's words (« Délivrée par erreur »…), or '' when not revoked. */
  revokedCause: string;
  /** The national team's own words on the revocation, if any: internal. */
  revokedNote: string;
}

const registerColumns = [
  'Code',
  'Nom',
  'Cycle',
  'Collectif',
  'Délivrée le',
  'Mode de délivrance',
  'Heures de formation',
  'Compétences',
  'Statut',
  'Révoquée le',
  'Motif de révocation',
  'Précision sur la révocation',
];

const issuedHowLabel: Record<RegisterRow['issuedHow'], string> = {
  automatic: 'automatique',
  manual: 'manuelle',
};

const decimal = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 2, useGrouping: false });

/** "26/03/2026", which French spreadsheets read as a date; anything else as it is. */
function frenchNumericDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

/** The register for a spreadsheet: UTF-8 with a BOM, ";" between cells, CRLF lines, French headers. */
export function certificateRegisterCsv(rows: RegisterRow[]): string {
  return spreadsheetCsv(
    registerColumns,
    rows.map((row) => [
      row.code,
      row.name,
      row.cycleName,
      row.collectiveName,
      frenchNumericDate(row.issuedOn),
      issuedHowLabel[row.issuedHow],
      decimal.format(row.hours),
      row.skills,
      row.status,
      frenchNumericDate(row.revokedOn),
      row.revokedCause,
      row.revokedNote,
    ]),
  );
}

/** A cycle's register: every certificate issued, revoked ones included with their date and cause. */
export function cycleRegisterCsv(list: Certificate[]): string {
  return certificateRegisterCsv(
    list.map((c) => ({
      code: c.code,
      name: c.snapshot.name,
      cycleName: c.snapshot.cycleName,
      collectiveName: c.snapshot.collectiveName ?? '',
      issuedOn: c.snapshot.issuedOn,
      issuedHow: c.issuedHow,
      hours: c.snapshot.hours,
      skills: c.snapshot.skills.map((s) => s.title).join(', '),
      status: c.revokedAt ? 'révoquée' : 'valide',
      revokedOn: c.revokedAt ? today('Europe/Paris', c.revokedAt) : '',
      revokedCause: c.revokedAt ? revocationCauseLabel(c.revokedCause) : '',
      revokedNote: c.revokedReason ?? '',
    })),
  );
}
