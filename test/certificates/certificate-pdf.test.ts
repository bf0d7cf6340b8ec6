import { unzipSync } from 'fflate';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { certificateRegisterCsv, type RegisterRow, zipFiles } from '../../src/certificates/bundle.ts';
import { certificateFileName, certificatePdf } from '../../src/certificates/certificate-pdf.ts';
import type { CertificateSnapshot } from '../../src/db/schema.ts';
import { A4, cm, pdfImages, readPdf, readQrCode } from '../pdf.ts';

const code = 'K7QM-3XPA-9T2D-WE4H';
const verifyUrl = `https://passerelle.forim.net/verify/${code}`;

function snapshot(overrides: Partial<CertificateSnapshot> = {}): CertificateSnapshot {
  return {
    name: 'Aïssatou Ndiaye-Lefèvre',
    cycleName: 'Cycle 2026 — COSIM Bretagne',
    collectiveName: 'COSIM Bretagne',
    courses: [
      { id: 'politique-de-la-ville', title: 'Politique de la ville et QPV' },
      { id: 'projet', title: 'Monter et cofinancer un projet' },
      { id: 'evenement', title: 'Organiser un événement' },
    ],
    skills: [
      { code: 'POL-1', title: 'Expliquer ce qu’est un quartier prioritaire' },
      { code: 'POL-2', title: 'Vérifier si une adresse est en QPV' },
      { code: 'POL-4', title: 'Répondre aux appels à projets de la politique de la ville' },
      { code: 'PRJ-3', title: 'Construire un budget prévisionnel' },
      { code: 'PRJ-4', title: 'Trouver des cofinancements' },
      { code: 'EVT-1', title: 'Planifier à rebours' },
      { code: 'EVT-3', title: 'Mobiliser des bénévoles' },
    ],
    hours: 24,
    gatherings: [
      { title: 'Retours d’expérience : fêtes de quartier', date: '2026-11-13' },
      { title: 'Lancement du cycle et présentation des parcours', date: '2026-09-24' },
      { title: 'Atelier budget : monter son plan de financement', date: '2026-10-15' },
      { title: 'Clôture et remise des attestations', date: '2026-12-01' },
    ],
    issuedOn: '2026-12-03',
    issuer: 'Mariama Koné-Ricœur',
    reason: null,
    ...overrides,
  };
}

function longSnapshot(): CertificateSnapshot {
  return snapshot({
    name: 'Marie-Françoise Aïssatou Ndiaye-Lefèvre de la Rochefoucauld-Mbappé Ouédraogo épouse Traoré-Kouyaté',
    cycleName:
      'Cycle de formation 2026-2027 des associations de solidarité internationale du COSIM Occitanie Méditerranée, ' +
      'groupe du soir',
    collectiveName: 'COSIM Occitanie Méditerranée',
    courses: Array.from({ length: 20 }, (_, i) => ({
      id: `module-${i + 1}`,
      title: `Module ${i + 1} : comprendre et appliquer les règles de la politique de la ville en QPV`,
    })),
    skills: Array.from({ length: 20 }, (_, i) => ({
      code: `PRJ-${i + 1}`,
      title: `Compétence ${i + 1} : répondre aux appels à projets et rendre compte aux financeurs`,
    })),
    hours: 132.5,
    gatherings: Array.from({ length: 20 }, (_, i) => ({
      title: `Séance ${i + 1} : échange de pratiques entre pairs sur le terrain, avec les partenaires`,
      date: `2026-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + i).padStart(2, '0')}`,
    })),
    issuer: 'Jean-Baptiste Kouassi-Delacroix de Saint-Exupéry, coordinateur national',
    reason:
      'Cycle suivi en présentiel à Montpellier avant l’ouverture de la plateforme ; présence attestée par ' +
      'la feuille d’émargement papier signée par la formatrice et transmise au FORIM le 2 février 2027, ' +
      'avec les fiches d’expérience rédigées pendant le cycle.',
  });
}

/** The text in drawing order, whitespace (no-break spaces and line breaks too) as single spaces. */
async function pdfText(pdf: Buffer): Promise<string> {
  return (await readPdf(pdf)).text;
}

describe('certificateFileName', () => {
  it('is an ASCII slug of the name and the cycle', () => {
    expect(certificateFileName(snapshot())).toBe(
      'attestation-aissatou-ndiaye-lefevre-cycle-2026-cosim-bretagne.pdf',
    );
    const long = certificateFileName(longSnapshot());
    expect(long).toMatch(/^attestation-marie-francoise-[a-z0-9-]+\.pdf$/);
    expect(long.length).toBeLessThan(100);
    expect(certificateFileName(snapshot({ name: 'سلمى', cycleName: 'Œuvres d’été' }))).toBe(
      'attestation-oeuvres-d-ete.pdf',
    );
  });
});

describe('certificatePdf', () => {
  it('is one A4 page in French with the person, the cycle, the skills, the hours and the code', async () => {
    const pdf = await certificatePdf({ snapshot: snapshot(), code, verifyUrl });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { pages, text } = await readPdf(pdf);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.width).toBeCloseTo(A4.width, 1);
    expect(pages[0]?.height).toBeCloseTo(A4.height, 1);

    for (const expected of [
      'FORIM — Forum des Organisations de Solidarité Internationale issues des Migrations',
      'Attestation de formation',
      'Le FORIM atteste que Aïssatou Ndiaye-Lefèvre a suivi le cycle de formation et d’échange entre pairs',
      // The collective is already in the cycle's name: not repeated.
      '« Cycle 2026 — COSIM Bretagne », soit 24 heures de formation.',
      'Modules suivis (3)',
      '• Politique de la ville et QPV • Monter et cofinancer un projet • Organiser un événement',
      'Compétences acquises (7)',
      'POL-1 Expliquer ce qu’est un quartier prioritaire',
      'POL-4 Répondre aux appels à projets de la politique de la ville',
      'EVT-3 Mobiliser des bénévoles',
      // Séances in date order, dates in French.
      'Séances collectives suivies (4) 24 septembre 2026 Lancement du cycle',
      '13 novembre 2026 Retours d’expérience : fêtes de quartier 1er décembre 2026 Clôture',
      'Fait le 3 décembre 2026.',
      'Délivrée par Mariama Koné-Ricœur pour le FORIM.',
      `Code de vérification ${code}`,
      `Vérifiez cette attestation sur ${verifyUrl} ou en scannant le code QR.`,
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('manuellement');
    expect(text).not.toContain('(COSIM Bretagne)');
  });

  it('carries a QR code of about 3 cm that reads as the verification link', async () => {
    const images = await pdfImages(await certificatePdf({ snapshot: snapshot(), code, verifyUrl }));
    expect(images).toHaveLength(1);
    const [qr] = images;
    if (!qr) throw new Error('no image in the PDF');
    expect(qr.page).toBe(1);
    expect(cm(qr.drawnWidth)).toBeGreaterThan(2.7);
    expect(cm(qr.drawnWidth)).toBeLessThan(3.3);
    expect(qr.drawnHeight).toBeCloseTo(qr.drawnWidth, 3);

    // What a phone's scanner reads in it.
    expect(readQrCode(qr)).toBe(verifyUrl);

    // The embedded image, module by module, against the QR code of the link.
    expect(qr.height).toBe(qr.width);
    const side = qr.width;
    const expected = QRCode.create(verifyUrl, { errorCorrectionLevel: 'M' }).modules;
    const scale = side / expected.size;
    expect(Number.isInteger(scale)).toBe(true);
    let mismatches = 0;
    for (let r = 0; r < expected.size; r++) {
      for (let c = 0; c < expected.size; c++) {
        const centre = (Math.floor((r + 0.5) * scale) * side + Math.floor((c + 0.5) * scale)) * 4;
        const dark = (qr.rgba[centre] ?? 255) < 128;
        if (dark !== Boolean(expected.get(r, c))) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('says so when issued by hand, and names a collective the cycle does not', async () => {
    const manual = snapshot({
      cycleName: 'Cycle Rennes 2026',
      reason: 'Séances suivies sur papier avant l’ouverture de la plateforme',
      hours: 1.5,
    });
    const text = await pdfText(await certificatePdf({ snapshot: manual, code, verifyUrl }));
    expect(text).toContain('« Cycle Rennes 2026 » (COSIM Bretagne), soit 1,5 heure de formation.');
    expect(text).toContain(
      'Délivrée manuellement : Séances suivies sur papier avant l’ouverture de la plateforme',
    );
  });

  it('keeps 20 modules, skills and séances, a very long name and reason on one page', async () => {
    const long = longSnapshot();
    const pdf = await certificatePdf({ snapshot: long, code, verifyUrl });
    const { pages, text } = await readPdf(pdf);
    expect(pages).toHaveLength(1);
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain(long.name.replace(/\s+/g, ''));
    expect(text).toContain('Modules suivis (20)');
    expect(text).toContain('Compétences acquises (20)');
    expect(text).toContain('Séances collectives suivies (20)');
    expect(text).toMatch(/… et \d+ autres/);
    expect(text).toContain('132,5 heures de formation');
    expect(text).toContain('Délivrée manuellement : Cycle suivi en présentiel à Montpellier');
    // What must stay whole: the code and the link.
    expect(text).toContain(`${code} Vérifiez cette attestation sur ${verifyUrl} ou en scannant le code QR.`);
    // The QR code is still there, whole, however full the page.
    const [qr] = await pdfImages(pdf);
    expect(qr && readQrCode(qr)).toBe(verifyUrl);
  });

  it('makes each of several PDFs asked for at once with its own person and code', async () => {
    const names = ['Aïssatou Ndiaye', 'Joël Ouédraogo', 'Hélène Traoré', 'Ngọc Ánh Nguyễn', 'Şükrü Yılmaz'];
    const pdfs = await Promise.all(
      names.map((name, i) =>
        certificatePdf({
          snapshot: snapshot({ name }),
          code: `AAAA-BBBB-CCCC-000${i}`,
          verifyUrl: `https://passerelle.forim.net/verify/AAAA-BBBB-CCCC-000${i}`,
        }),
      ),
    );
    for (const [i, pdf] of pdfs.entries()) {
      const text = await pdfText(pdf);
      expect(text).toContain(`Le FORIM atteste que ${names[i]} a suivi`);
      expect(text).toContain(`Code de vérification AAAA-BBBB-CCCC-000${i}`);
      const [qr] = await pdfImages(pdf);
      expect(qr && readQrCode(qr)).toBe(`https://passerelle.forim.net/verify/AAAA-BBBB-CCCC-000${i}`);
    }
  });

  it('shows empty lists as such', async () => {
    const empty = snapshot({ courses: [], skills: [], gatherings: [], hours: 0 });
    const { pages, text } = await readPdf(await certificatePdf({ snapshot: empty, code, verifyUrl }));
    expect(pages).toHaveLength(1);
    expect(text).toContain('Aucun module en ligne.');
    expect(text).toContain('Aucune compétence.');
    expect(text).toContain('Aucune séance collective.');
  });

  it('takes well under 200 ms per PDF once warm (the bench holds it to 50 ms)', async () => {
    const make = (i: number) =>
      certificatePdf({
        snapshot: snapshot(),
        // A new code every time: the QR code is computed, not taken from the cache.
        code: `K7QM-3XPA-${String(i).padStart(4, '0')}-WE4H`,
        verifyUrl: `https://passerelle.forim.net/verify/K7QM-3XPA-${String(i).padStart(4, '0')}-WE4H`,
      });
    for (let i = 0; i < 5; i++) await make(i);
    const runs = 50;
    const started = performance.now();
    for (let i = 0; i < runs; i++) await make(1000 + i);
    const average = (performance.now() - started) / runs;
    console.log(`certificatePdf: ${average.toFixed(1)} ms per PDF (average of ${runs})`);
    expect(average).toBeLessThan(200);
  }, 60_000);
});

describe('zipFiles', () => {
  it('stores every file under a unique name, bytes unchanged', async () => {
    const pdf = new Uint8Array(await certificatePdf({ snapshot: snapshot(), code, verifyUrl }));
    const other = new Uint8Array(
      await certificatePdf({ snapshot: snapshot({ name: 'Joël Ouédraogo' }), code, verifyUrl }),
    );
    const name = certificateFileName(snapshot());
    const zip = zipFiles([
      { name, data: pdf },
      { name: 'attestation-joel-ouedraogo.pdf', data: other },
      { name, data: pdf },
    ]);
    const files = unzipSync(zip);
    expect(Object.keys(files)).toEqual([
      name,
      'attestation-joel-ouedraogo.pdf',
      name.replace(/\.pdf$/, '-2.pdf'),
    ]);
    expect(files[name]).toEqual(pdf);
    expect(files[name.replace(/\.pdf$/, '-2.pdf')]).toEqual(pdf);
    expect(files['attestation-joel-ouedraogo.pdf']).toEqual(other);
    // PDFs are stored, not deflated again: the zip is as big as its files plus the headers.
    expect(zip.length).toBeGreaterThan(2 * pdf.length + other.length);
  });

  it('keeps names flat and unique whatever the case, and counts past a taken suffix', () => {
    const data = new TextEncoder().encode('x');
    const files = unzipSync(
      zipFiles([
        { name: 'a.pdf', data },
        { name: 'A.pdf', data },
        { name: 'a-2.pdf', data },
        { name: '../../etc/passwd', data },
        { name: 'notes', data },
        { name: 'notes', data },
        { name: 'attestation-été.pdf', data },
      ]),
    );
    expect(Object.keys(files)).toEqual([
      'a.pdf',
      'A-2.pdf',
      'a-2-2.pdf',
      '-..-etc-passwd',
      'notes',
      'notes-2',
      'attestation-été.pdf',
    ]);
  });
});

describe('certificateRegisterCsv', () => {
  const rows: RegisterRow[] = [
    {
      code,
      name: 'Aïssatou Ndiaye-Lefèvre',
      cycleName: 'Cycle 2026 — COSIM Bretagne',
      collectiveName: 'COSIM Bretagne',
      issuedOn: '2026-12-03',
      issuedHow: 'automatic',
      hours: 24,
      skills: 'POL-1 Expliquer ce qu’est un quartier prioritaire, PRJ-3 Construire un budget prévisionnel',
      status: 'valide',
      revokedOn: '',
      revokedCause: '',
      revokedNote: '',
    },
    {
      code: 'ZZ9P-4HQX-7MNB-2C3D',
      name: '=HYPERLINK("http://x","clic")',
      cycleName: '+Cycle',
      collectiveName: '@SUM(A1)',
      issuedOn: '2026-12-04',
      issuedHow: 'manual',
      hours: 12.5,
      skills: '-PRJ-3',
      status: 'révoquée',
      revokedOn: '2027-01-15',
      revokedCause: 'Délivrée par erreur',
      revokedNote: '\tErreur de saisie;\r\nà refaire',
    },
  ];
  const csv = certificateRegisterCsv(rows);

  it('is UTF-8 with a BOM, semicolons, CRLF lines and French headers', () => {
    expect(csv.startsWith('\ufeff')).toBe(true);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'Code;Nom;Cycle;Collectif;Délivrée le;Mode de délivrance;Heures de formation;Compétences;Statut;' +
        'Révoquée le;Motif de révocation;Précision sur la révocation',
    );
    expect(lines[1]).toBe(
      `${code};Aïssatou Ndiaye-Lefèvre;Cycle 2026 — COSIM Bretagne;COSIM Bretagne;03/12/2026;automatique;24;` +
        'POL-1 Expliquer ce qu’est un quartier prioritaire, PRJ-3 Construire un budget prévisionnel;valide;;;',
    );
  });

  it('neutralises cells a spreadsheet would run as formulas', () => {
    const last = csv.slice(1).split('\r\n').slice(2).join('\r\n');
    expect(last).toBe(
      `ZZ9P-4HQX-7MNB-2C3D;"'=HYPERLINK(""http://x"",""clic"")";'+Cycle;'@SUM(A1);04/12/2026;manuelle;` +
        `12,5;'-PRJ-3;révoquée;15/01/2027;Délivrée par erreur;"'\tErreur de saisie;\r\nà refaire"\r\n`,
    );
  });
});
