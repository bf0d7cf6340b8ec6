import { describe, expect, it } from 'vitest';
import {
  type AttendanceSheet,
  attendanceCsv,
  attendanceFileName,
  attendancePdf,
  SIGN_IN_BLANK_ROWS,
  type SignInSheet,
  signInSheetFileName,
  signInSheetPdf,
} from '../../src/attendance/attendance-sheet.ts';
import { A4, readPdf } from '../pdf.ts';

function sheet(overrides: Partial<AttendanceSheet['gathering']> = {}, rows?: AttendanceSheet['rows']) {
  return {
    gathering: {
      title: 'Atelier budget : monter son plan de financement',
      cycleName: 'Cycle Bretagne 2026',
      collectiveName: 'COSIM Bretagne',
      startsAt: new Date('2026-03-26T17:30:00Z'),
      endsAt: new Date('2026-03-26T19:30:00Z'),
      timeZone: 'Europe/Paris',
      mode: 'hybrid',
      placeName: 'Maison de quartier du Blosne',
      address: '7 boulevard de Yougoslavie',
      town: 'Rennes',
      placeInQpv: true,
      videoUrl: 'https://visio.example.org/atelier-budget',
      ...overrides,
    },
    trainer: { name: 'Mariama Koné-Ricœur' },
    rows: rows ?? [
      {
        name: 'Aïssatou Ndiaye-Lefèvre',
        organization: 'Solidarité Blosne',
        status: 'present',
        walkIn: false,
      },
      { name: 'François Mbappé', organization: "Œuvre d'entraide", status: 'absent', walkIn: false },
      { name: 'Hélène Traoré', organization: 'Les Amis de Kayes', status: 'excused', walkIn: false },
      { name: 'Joël Ouédraogo', organization: 'Cœurs unis — Burkina', status: 'present', walkIn: true },
      { name: '=HYPERLINK("http://x")', organization: '@SUM(A1)', status: 'present', walkIn: false },
    ],
    closedAt: new Date('2026-03-26T19:45:00Z'),
    closedBy: 'Mariama Koné-Ricœur',
  } satisfies AttendanceSheet;
}

/** The text as laid out on the A4 pages, pages separated by form feeds, no-break spaces as spaces. */
async function pdfText(pdf: Buffer): Promise<string> {
  const { pages } = await readPdf(pdf);
  for (const page of pages) {
    expect(page.width).toBeCloseTo(A4.width, 1);
    expect(page.height).toBeCloseTo(A4.height, 1);
  }
  return pages.map((page) => page.text).join('\f');
}

function pageCount(text: string): number {
  return text.split('\f').filter((page) => page.trim() !== '').length;
}

describe('attendanceCsv', () => {
  const csv = attendanceCsv(sheet());
  const lines = csv.slice(1).split('\r\n').filter(Boolean);

  it('is UTF-8 with a BOM, separated by semicolons, one CRLF line per person under the header', () => {
    expect(csv.startsWith('\ufeff')).toBe(true);
    expect(lines[0]).toBe(
      'Séance;Date;Début;Fin;Fuseau;Lieu;Ville;QPV;Formateur·rice;Nom;Association;Présence;Sans inscription',
    );
    expect(lines).toHaveLength(1 + 5);
    expect(csv.replaceAll('\r\n', '')).not.toContain('\n');
  });

  it('repeats the séance on every line, in local time', () => {
    expect(lines[1]).toBe(
      'Atelier budget : monter son plan de financement;26/03/2026;18:30;20:30;Europe/Paris;' +
        'Maison de quartier du Blosne, 7 boulevard de Yougoslavie (et en ligne);Rennes;oui;' +
        'Mariama Koné-Ricœur;Aïssatou Ndiaye-Lefèvre;Solidarité Blosne;Présent·e;non',
    );
    expect(lines[4]).toMatch(/;Joël Ouédraogo;Cœurs unis — Burkina;Présent·e;oui$/);
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(lines[5]).toContain(`;"'=HYPERLINK(""http://x"")";'@SUM(A1);`);
  });

  it('says "En ligne" and no town for an online séance', () => {
    const online = attendanceCsv(sheet({ mode: 'online', placeName: '', address: '', town: '' }));
    expect(online.split('\r\n')[1]).toContain(';Europe/Paris;En ligne;;non;');
  });
});

describe('attendanceFileName', () => {
  it('is an ASCII slug of the local day and the title', () => {
    expect(attendanceFileName(sheet({ title: 'Atelier budget' }), 'pdf')).toBe(
      'emargement-2026-03-26-atelier-budget.pdf',
    );
    expect(attendanceFileName(sheet({ title: 'Œuvres & Réseaux d’été' }), 'csv')).toBe(
      'emargement-2026-03-26-oeuvres-reseaux-d-ete.csv',
    );
    // 23:30 UTC is already 27 March in Paris: the file is named after the local day.
    const late = sheet({ startsAt: new Date('2026-03-26T23:30:00Z'), title: 'Veillée' });
    expect(attendanceFileName(late, 'pdf')).toBe('emargement-2026-03-27-veillee.pdf');
  });
});

describe('attendancePdf', () => {
  it('is a PDF whose text keeps every accent, with the séance in French local time', async () => {
    const pdf = await attendancePdf(sheet());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    for (const expected of [
      'Feuille d’émargement',
      'FORIM — Forum des Organisations de Solidarité Internationale issues des Migrations',
      'Cycle Bretagne 2026',
      'COSIM Bretagne',
      'jeudi 26 mars 2026, de 18 h 30 à 20 h 30 (heure de Paris)',
      'situé en quartier prioritaire (QPV)',
      'Mariama Koné-Ricœur',
      'Aïssatou Ndiaye-Lefèvre',
      'Solidarité Blosne',
      "Œuvre d'entraide",
      'Excusé·e',
      'Absent·e',
      'dont 1 sans inscription',
      'Feuille close le 26/03/2026 à 20 h 45 par Mariama Koné-Ricœur — éditée avec Passerelle',
      'Page 1 / 1',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toMatch(/Présent·e — venu·e sans\s/);
    expect(text).toMatch(/Inscrit·es\s+Présent·es\s+Absent·es\s+Excusé·es\s*\n\s*4\s+3\s+1\s+1\s*\n/);
    expect(text).toMatch(/Sur place\s+Maison de quartier du Blosne, 7 boulevard de Yougoslavie, Rennes/);
    expect(text).toMatch(/En ligne\s+https:\/\/visio\.example\.org\/atelier-budget/);
  });

  it('shows summer time in Paris, and other zones by their city', async () => {
    const summer = sheet({
      mode: 'online',
      startsAt: new Date('2026-07-02T16:30:00Z'),
      endsAt: new Date('2026-07-02T18:00:00Z'),
    });
    const text = await pdfText(await attendancePdf(summer));
    expect(text).toContain('jeudi 2 juillet 2026, de 18 h 30 à 20 h (heure de Paris)');
    expect(text).toContain('En ligne : https://visio.example.org/atelier-budget');
    expect(text).not.toContain('QPV');

    const reunion = sheet({
      timeZone: 'Indian/Reunion',
      startsAt: new Date('2026-10-01T14:00:00Z'),
      endsAt: new Date('2026-10-01T16:15:00Z'),
    });
    expect(await pdfText(await attendancePdf(reunion))).toContain(
      'jeudi 1er octobre 2026, de 18 h à 20 h 15 (heure de La Réunion)',
    );
  });

  it('runs a 120-person sheet over several pages, header repeated, every name kept', async () => {
    const rows: AttendanceSheet['rows'] = Array.from({ length: 120 }, (_, i) => ({
      name: `Personne ${i + 1} Ndiaye-Lefèvre${i % 17 === 0 ? ' de la Rochefoucauld-Mbappé Ouédraogo' : ''}`,
      organization:
        i % 11 === 0
          ? 'Association des ressortissants de Kayes et de ses environs pour le développement solidaire'
          : 'Solidarité Blosne',
      status: i % 10 === 0 ? 'absent' : i % 15 === 0 ? 'excused' : 'present',
      walkIn: i % 13 === 0,
    }));
    const started = performance.now();
    const pdf = await attendancePdf(sheet({}, rows));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(2000);

    const text = await pdfText(pdf);
    const pages = pageCount(text);
    expect(pages).toBeGreaterThan(2);
    expect(text).toContain(`Page 1 / ${pages}`);
    expect(text).toContain(`Page ${pages} / ${pages}`);
    expect(text.match(/Nom et prénom/g)).toHaveLength(pages);
    for (const page of text.split('\f')) expect(page.match(/Nom et prénom/g)).toHaveLength(1);
    // Wrapped cells break names over lines: compare the text in drawing order, spacing ignored.
    const flat = (await readPdf(pdf)).text.replace(/\s+/g, '');
    for (let i = 1; i <= 120; i++) expect(flat).toContain(`Personne${i}Ndiaye-Lefèvre`);
  });
});

describe('signInSheetPdf', () => {
  const signIn = (people: SignInSheet['people']): SignInSheet => ({
    gathering: sheet().gathering,
    trainer: { name: 'Mariama Koné-Ricœur' },
    people,
    printedAt: new Date('2026-03-20T09:05:00Z'),
  });

  it('is named apart from the closed sheet', () => {
    expect(signInSheetFileName(signIn([]))).toBe(
      'emargement-a-signer-2026-03-26-atelier-budget-monter-son-plan-de-financement.pdf',
    );
  });

  it('lists the people to sign with an empty signature column, then blank rows for walk-ins', async () => {
    const text = await pdfText(
      await signInSheetPdf(
        signIn([
          { name: 'Aïssatou Ndiaye-Lefèvre', organization: 'Solidarité Blosne' },
          { name: 'François Mbappé', organization: "Œuvre d'entraide" },
        ]),
      ),
    );
    for (const expected of [
      'FORIM — Forum des Organisations de Solidarité Internationale issues des Migrations',
      'Feuille d’émargement',
      'Atelier budget : monter son plan de financement',
      'Cycle Bretagne 2026',
      'COSIM Bretagne',
      'jeudi 26 mars 2026, de 18 h 30 à 20 h 30 (heure de Paris)',
      'situé en quartier prioritaire (QPV)',
      '2 personnes inscrites.',
      'Signature de Mariama Koné-Ricœur',
      'Nombre de personnes présentes',
      // When it was printed, in the séance's zone: a sheet printed early may miss late sign-ups.
      'Liste des inscrit·es au 20/03/2026 à 10 h 05 — éditée avec Passerelle',
      'Page 1 / 1',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toMatch(/Sur place\s+Maison de quartier du Blosne, 7 boulevard de Yougoslavie, Rennes/);
    expect(text).toMatch(/En ligne\s+https:\/\/visio\.example\.org\/atelier-budget/);
    expect(text).toMatch(/N°\s+Nom et prénom\s+Association \(OSIM\)\s+Signature\n/);
    expect(text).toMatch(
      /\n1\s+Aïssatou Ndiaye-Lefèvre\s+Solidarité Blosne\n2\s+François Mbappé\s+Œuvre d'entraide\n/,
    );
    // Blank rows, numbered on, nothing else on them: a name, an association and a signature by hand.
    expect(SIGN_IN_BLANK_ROWS).toBe(5);
    expect(text).toMatch(/\n3\n4\n5\n6\n7\nNombre de personnes présentes/);
    // No statuses on a sheet printed before the séance.
    expect(text).not.toMatch(/Présent·e|Absent·e|Excusé·e/);
  });

  it('runs 120 people over several pages, header repeated, every name kept, blank rows at the end', async () => {
    const people = Array.from({ length: 120 }, (_, i) => ({
      name: `Personne ${i + 1} Ndiaye-Lefèvre${i % 17 === 0 ? ' de la Rochefoucauld-Mbappé Ouédraogo' : ''}`,
      organization:
        i % 11 === 0
          ? 'Association des ressortissants de Kayes et de ses environs pour le développement solidaire'
          : 'Solidarité Blosne',
    }));
    const started = performance.now();
    const pdf = await signInSheetPdf(signIn(people));
    expect(performance.now() - started).toBeLessThan(2000);

    const text = await pdfText(pdf);
    const pages = text.split('\f');
    expect(pages.length).toBeGreaterThan(3);
    pages.forEach((page, i) => {
      expect(page.match(/N°\s+Nom et prénom\s+Association \(OSIM\)\s+Signature/g)).toHaveLength(1);
      expect(page).toContain(`Page ${i + 1} / ${pages.length}`);
      if (i > 0) {
        expect(page).toContain(
          'Feuille d’émargement — Atelier budget : monter son plan de financement — 26/03/2026 (suite)',
        );
      }
    });
    const flat = (await readPdf(pdf)).text.replace(/\s+/g, '');
    for (let i = 1; i <= 120; i++) expect(flat).toContain(`${i}Personne${i}Ndiaye-Lefèvre`);
    expect(pages.at(-1)).toMatch(/\n121\n122\n123\n124\n125\nNombre de personnes présentes/);
  });
});
