// « Mon projet » through HTTP: a member starts a project, writes its sections (bad values answered
// next to the field, nothing typed lost), the budget in exact cents, two co-authors saving the
// same section at once (a conflict, never an overwrite), sharing with the cycle, comments and the
// rubric, « prêt à déposer » by the trainer only, and who else sees what, role by role.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cycle, memberships, projectSections, sessions } from '../../src/db/schema.ts';
import { NotFoundError } from '../../src/lib/errors.ts';
import { addMembership, loadCurrentUser } from '../../src/people/users.ts';
import { getProjectFor } from '../../src/projects/projects.ts';
import { createWorld, htmx, type Person, type World } from '../gatherings/world.ts';
import { createOrganization, TEST_PASSWORD, text } from '../helpers.ts';

let world: World;
let author: Person;
let coAuthor: Person;
let peer: Person;
let trainer: Person;
let coordinator: Person;
let otherCoordinator: Person;
let otherTrainer: Person;
let admin: Person;
let outsider: Person;
let cycle: Cycle;
let projectId: number;

beforeAll(async () => {
  world = await createWorld();
  const { db } = world.ctx;
  const neighbourOsim = createOrganization(db, {
    kind: 'osim',
    name: 'Teranga Rennes',
    parentId: world.bretagne.id,
  });
  author = await world.person('member', world.osim.id);
  coAuthor = await world.person('member', world.osim.id);
  peer = await world.person('member', neighbourOsim.id);
  trainer = await world.person('trainer', world.bretagne.id);
  coordinator = await world.person('coordinator', world.bretagne.id);
  otherCoordinator = await world.person('coordinator', world.occitanie.id);
  otherTrainer = await world.person('trainer', world.occitanie.id);
  admin = await world.person('admin', world.occitanie.id);
  outsider = await world.person('member', world.occitanie.id);
  cycle = world.openCycle(trainer);
  world.enrol(cycle, author, peer);
});
afterAll(() => world.close());

function fieldError(html: string, name: string): string | null {
  const match = new RegExp(`<p class="field__error" id="f-${name}-error">([\\s\\S]*?)</p>`).exec(html);
  return match ? text(match[1]!).replace(/^Erreur : /, '') : null;
}

function versionIn(html: string): string {
  return /name="version" value="(\d+)"/.exec(html)![1]!;
}

async function sectionForm(who: Person, section: string) {
  const page = await who.client.get(`/projects/${projectId}/sections/${section}`);
  expect(page.statusCode).toBe(200);
  return versionIn(page.body);
}

const blosneBudget = {
  e0_choice: '62',
  e0_label: 'Formatrice (vacations)',
  e0_amount: '4 800',
  e1_choice: '60',
  e1_label: 'Matériel pédagogique, photocopies',
  e1_amount: '600,10',
  r0_choice: 'state',
  r0_label: 'État : crédits politique de la ville',
  r0_amount: '3000',
  r0_status: 'asked',
  r1_choice: 'town',
  r1_label: 'Ville de Rennes',
  r1_amount: '1 500',
  r1_status: 'asked',
  r2_choice: 'own',
  r2_label: 'Cotisations et fête annuelle',
  r2_amount: '900',
  r2_status: 'obtained',
  k0_choice: '86',
  k0_label: 'Bénévolat',
  k0_amount: '5 400',
  k1_choice: '87',
  k1_label: 'Bénévolat',
  k1_amount: '5400',
};

describe('starting a project', () => {
  it('is offered to a member of an OSIM, in the menu and on « Mon projet »', async () => {
    const list = await author.client.get('/projects');
    expect(list.statusCode).toBe(200);
    expect(text(list.body)).toContain('Commencer un projet');
    expect(list.body).toContain('href="/projects"');
  });

  it('asks for a title, keeping the form', async () => {
    const res = await author.client.post('/projects', {
      title: '   ',
      organizationId: String(world.osim.id),
    });
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'title')).toBe('Donnez un titre au projet.');
  });

  it('refuses an OSIM that is not the member’s', async () => {
    const res = await author.client.post('/projects', {
      title: 'Atelier',
      organizationId: String(world.bretagne.id),
    });
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'organizationId')).toBe('Ce choix n’existe pas dans la liste.');
  });

  it('is not for a trainer or a coordinator (403)', async () => {
    for (const who of [trainer, coordinator, admin]) {
      expect((await who.client.get('/projects/new')).statusCode).toBe(403);
      expect(
        (await who.client.post('/projects', { title: 'X', organizationId: String(world.osim.id) }))
          .statusCode,
      ).toBe(403);
    }
  });

  it('creates the project with its nine sections to write', async () => {
    const res = await author.client.post('/projects', {
      title: 'Atelier d’alphabétisation au Blosne',
      organizationId: String(world.osim.id),
    });
    expect(res.statusCode).toBe(303);
    projectId = Number(/^\/projects\/(\d+)$/.exec(res.headers.location as string)![1]);
    const page = text((await author.client.get(`/projects/${projectId}`)).body);
    expect(page).toContain('Atelier d’alphabétisation au Blosne');
    expect(page).toContain('Budget prévisionnel et cofinancements');
    expect(page.match(/À écrire/g)?.length).toBe(8);
  });
});

describe('writing a section', () => {
  it('saves with htmx in place, the new version shown at once', async () => {
    const version = await sectionForm(author, 'objectives');
    const res = await author.client.post(
      `/projects/${projectId}/sections/objectives`,
      { version, objectives: 'Que 12 adultes sachent lire un courrier de la Caf.' },
      { headers: htmx('#section-form') },
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('<html');
    expect(text(res.body)).toContain(`Partie enregistrée (version ${Number(version) + 1}).`);
    expect(res.body).toContain('Que 12 adultes sachent lire un courrier de la Caf.');
  });

  it('saves without JavaScript: the form posts, the page comes back', async () => {
    const version = await sectionForm(author, 'place');
    const res = await author.client.post(`/projects/${projectId}/sections/place`, {
      version,
      town: 'Rennes',
      qpv: 'Le Blosne',
      why: 'Nos familles y vivent.',
    });
    expect(res.statusCode).toBe(303);
    const page = await author.client.get(res.headers.location as string);
    expect(text(page.body)).toContain('Partie enregistrée.');
    expect(page.body).toContain('value="Le Blosne"');
    expect(page.body).toContain('sig.ville.gouv.fr');
    expect(text(page.body)).toContain('La leçon qui l’explique');
  });

  it('answers a very long text next to its field and keeps every character typed', async () => {
    const version = await sectionForm(author, 'summary');
    const long = 'Un besoin réel. '.repeat(300); // 4 800 characters
    const res = await author.client.post(`/projects/${projectId}/sections/summary`, {
      version,
      title: 'Atelier d’alphabétisation au Blosne',
      summary: 'Deux séances par semaine.',
      needs: long,
    });
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'needs')).toBe('Ce champ ne peut pas dépasser 4 000 caractères.');
    expect(res.body).toContain(long.trim());
    expect(res.body).toContain('Deux séances par semaine.');
  });

  it('asks for a whole number of people', async () => {
    const version = await sectionForm(author, 'public');
    const res = await author.client.post(`/projects/${projectId}/sections/public`, {
      version,
      who: 'Des mères de famille',
      howMany: '12,5',
      reach: '',
    });
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'howMany')).toBe('Écrivez un nombre entier de personnes, par exemple 12.');
    expect(res.body).toContain('Des mères de famille');
  });

  it('a section name that does not exist is not a page (404)', async () => {
    expect((await author.client.get(`/projects/${projectId}/sections/secret`)).statusCode).toBe(404);
    expect(
      (await author.client.post(`/projects/${projectId}/sections/secret`, { version: '0' })).statusCode,
    ).toBe(404);
  });
});

describe('a session that ends while writing', () => {
  it('sends the author to sign in and gives back what was typed, saved only when sent again', async () => {
    const version = await sectionForm(author, 'evaluation');
    world.ctx.db.delete(sessions).where(eq(sessions.userId, author.id)).run();
    const url = `/projects/${projectId}/sections/evaluation`;
    const sent = await author.client.post(url, { version, indicators: 'Nombre de courriers lus seul·e.' });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers.location).toBe(`/login?next=${encodeURIComponent(url)}`);
    const back = await author.client.post(sent.headers.location as string, {
      email: author.email,
      password: TEST_PASSWORD,
    });
    expect(back.headers.location).toBe(url);
    const page = await author.client.get(url);
    expect(text(page.body)).toContain('Voici ce que vous aviez écrit quand votre session a expiré');
    expect(page.body).toContain('>Nombre de courriers lus seul·e.</textarea>');
    expect(versionIn(page.body)).toBe(version);
    const saved = await author.client.post(url, { version, indicators: 'Nombre de courriers lus seul·e.' });
    expect(saved.statusCode).toBe(303);
  });
});

describe('two co-authors on the same section', () => {
  it('the second to save gets a conflict with both texts, never a silent overwrite', async () => {
    const add = await author.client.post(`/projects/${projectId}/authors`, { userId: String(coAuthor.id) });
    expect(add.statusCode).toBe(303);
    const mine = await sectionForm(author, 'partners');
    const theirs = await sectionForm(coAuthor, 'partners');
    expect(mine).toBe(theirs);

    const first = await author.client.post(`/projects/${projectId}/sections/partners`, {
      version: mine,
      partners: 'La mairie de quartier du Blosne.',
    });
    expect(first.statusCode).toBe(303);
    const second = await coAuthor.client.post(`/projects/${projectId}/sections/partners`, {
      version: theirs,
      partners: 'Le centre social.',
    });
    expect(second.statusCode).toBe(409);
    const said = text(second.body);
    expect(said).toContain(`${author.displayName} a enregistré cette partie pendant que vous écriviez`);
    expect(said).toContain('La mairie de quartier du Blosne.');
    expect(second.body).toContain('>Le centre social.</textarea>');
    const stored = world.ctx.db
      .select()
      .from(projectSections)
      .where(eq(projectSections.projectId, projectId))
      .all()
      .find((s) => s.section === 'partners')!;
    expect(stored.content).toEqual({ partners: 'La mairie de quartier du Blosne.' });

    // Saving again from the version now shown is a deliberate choice: it is kept.
    const again = await coAuthor.client.post(`/projects/${projectId}/sections/partners`, {
      version: versionIn(second.body),
      partners: 'La mairie de quartier du Blosne et le centre social.',
    });
    expect(again.statusCode).toBe(303);
    const history = text((await author.client.get(`/projects/${projectId}/sections/partners/history`)).body);
    expect(history).toContain('2 versions enregistrées');
    expect(history).toContain(`Version 2, par ${coAuthor.displayName}`);
  });
});

describe('the budget', () => {
  it('answers each bad amount next to its line, keeping what was typed', async () => {
    const version = await sectionForm(author, 'budget');
    const res = await author.client.post(`/projects/${projectId}/sections/budget`, {
      version,
      e0_choice: '62',
      e0_label: 'Formatrice',
      e0_amount: '-40',
      e1_choice: '60',
      e1_label: 'Photocopies',
      e1_amount: '12,345',
      e2_choice: '60',
      e2_label: 'Livres',
      e2_amount: '99 999 999 999',
      e3_choice: '60',
      e3_label: 'Goûter',
      e3_amount: 'douze',
      e4_choice: '60',
      e4_label: 'Affiches',
      e4_amount: '',
      e5_choice: '60',
      e5_label: '',
      e5_amount: '30',
      r0_choice: '',
      r0_label: 'Mairie',
      r0_amount: '100',
      r0_status: 'asked',
    });
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'e0_amount')).toBe('Un montant ne peut pas être négatif.');
    expect(fieldError(res.body, 'e1_amount')).toBe('Deux chiffres après la virgule au plus : les centimes.');
    expect(fieldError(res.body, 'e2_amount')).toBe(
      'Ce montant est trop grand : 10 millions d’euros au plus par ligne.',
    );
    expect(fieldError(res.body, 'e3_amount')).toBe('Écrivez un montant en chiffres, par exemple 1 234,50.');
    expect(fieldError(res.body, 'e4_amount')).toBe('Écrivez un montant, par exemple 1 200.');
    expect(fieldError(res.body, 'e5_label')).toBe('Donnez un intitulé à cette ligne.');
    expect(fieldError(res.body, 'r0_choice')).toBe('Choisissez le type de financeur.');
    expect(res.body).toContain('value="12,345"');
    expect(res.body).toContain('value="douze"');
    // Nothing was saved.
    expect(await sectionForm(author, 'budget')).toBe(version);
  });

  it('saves a budget that does not balance and says by how much, to the cent', async () => {
    const version = await sectionForm(author, 'budget');
    const res = await author.client.post(
      `/projects/${projectId}/sections/budget`,
      { version, ...blosneBudget },
      { headers: htmx('#section-form') },
    );
    expect(res.statusCode).toBe(200);
    const said = text(res.body);
    // 4 800 + 600,10 = 5 400,10 of charges; 3 000 + 1 500 + 900 = 5 400 of produits.
    expect(said).toContain('Total des charges 5 400,10 €');
    expect(said).toContain('Total des produits 5 400,00 €');
    expect(said).toContain('il manque 0,10 € de produits');
  });

  it('balances once the missing cents are found; a refused funder counts for nothing', async () => {
    const version = await sectionForm(author, 'budget');
    const res = await author.client.post(
      `/projects/${projectId}/sections/budget`,
      {
        version,
        ...blosneBudget,
        r2_amount: '900,10',
        r3_choice: 'caf',
        r3_label: 'Caf d’Ille-et-Vilaine',
        r3_amount: '800',
        r3_status: 'refused',
      },
      { headers: htmx('#section-form') },
    );
    expect(res.statusCode).toBe(200);
    const said = text(res.body);
    expect(said).toContain('Total des produits 5 400,10 €');
    expect(said).toContain('Le budget est équilibré');
    // The form comes back with the lines saved and two blank rows per list.
    expect(res.body).toContain('name="e3_label"');
    expect(res.body).not.toContain('name="e4_label"');
  });
});

describe('who sees the project before it is shared', () => {
  it('its authors and its collective’s coordinator (reading only); nobody else', async () => {
    expect((await coAuthor.client.get(`/projects/${projectId}`)).statusCode).toBe(200);
    const read = await coordinator.client.get(`/projects/${projectId}/sections/objectives`);
    expect(read.statusCode).toBe(200);
    expect(text(read.body)).toContain('Que 12 adultes sachent lire un courrier de la Caf.');
    expect(read.body).not.toContain('name="objectives"');
    expect(
      (
        await coordinator.client.post(`/projects/${projectId}/sections/objectives`, {
          version: '1',
          objectives: 'X',
        })
      ).statusCode,
    ).toBe(403);
    for (const who of [peer, trainer, otherCoordinator, otherTrainer, admin, outsider]) {
      expect((await who.client.get(`/projects/${projectId}`)).statusCode, who.email).toBe(404);
      expect((await who.client.get(`/projects/${projectId}/projet.pdf`)).statusCode, who.email).toBe(404);
    }
  });

  it('a peer cannot comment yet', async () => {
    const res = await peer.client.post(`/projects/${projectId}/comments`, { section: '', body: 'Bravo' });
    expect(res.statusCode).toBe(404);
  });
});

describe('sharing and review by peers', () => {
  it('shares with a cycle the author follows only', async () => {
    const other = world.openCycle(trainer, { name: 'Autre cycle' });
    const refused = await author.client.post(`/projects/${projectId}/share`, { cycleId: String(other.id) });
    expect(refused.statusCode).toBe(422);
    expect(fieldError(refused.body, 'cycleId')).toBe('Ce choix n’existe pas dans la liste.');
    const res = await author.client.post(`/projects/${projectId}/share`, { cycleId: String(cycle.id) });
    expect(res.statusCode).toBe(303);
    expect(text((await peer.client.get('/projects')).body)).toContain('Atelier d’alphabétisation au Blosne');
  });

  it('a co-author who does not follow the cycle keeps it shared when changing the national choice', async () => {
    const page = await coAuthor.client.get(`/projects/${projectId}`);
    expect(page.body).toMatch(new RegExp(`<option value="${cycle.id}" selected>`));
    const res = await coAuthor.client.post(`/projects/${projectId}/share`, { cycleId: String(cycle.id) });
    expect(res.statusCode).toBe(303);
    expect(text((await peer.client.get('/projects')).body)).toContain('Atelier d’alphabétisation au Blosne');
  });

  it('the peer and the trainer comment a section; the author answers', async () => {
    const empty = await peer.client.post(`/projects/${projectId}/comments`, {
      section: 'objectives',
      body: '  ',
    });
    expect(empty.statusCode).toBe(422);
    expect(fieldError(empty.body, 'body')).toBe('Écrivez votre commentaire.');

    const c1 = await peer.client.post(`/projects/${projectId}/comments`, {
      section: 'objectives',
      body: 'Combien de séances pour y arriver ?',
    });
    expect(c1.statusCode).toBe(303);
    expect(c1.headers.location).toBe(`/projects/${projectId}/sections/objectives#comments`);
    await trainer.client.post(`/projects/${projectId}/comments`, {
      section: 'objectives',
      body: 'Ajoutez un objectif sur l’autonomie dans les démarches.',
    });
    const page = await author.client.get(`/projects/${projectId}/sections/objectives`);
    const firstId = /id="comment-(\d+)"/.exec(page.body)![1]!;
    const answer = await author.client.post(`/projects/${projectId}/comments`, {
      section: 'objectives',
      replyTo: firstId,
      body: 'Soixante séances, d’octobre à juin.',
    });
    expect(answer.statusCode).toBe(303);
    const said = text((await peer.client.get(`/projects/${projectId}/sections/objectives`)).body);
    expect(said).toContain('Combien de séances pour y arriver ?');
    expect(said).toContain('Soixante séances, d’octobre à juin.');
    expect(said).toContain('auteur·rice du projet');
    expect(text((await author.client.get(`/projects/${projectId}`)).body)).toContain('3 commentaires');
  });

  it('the rubric: every criterion answered, by a reviewer only', async () => {
    const partial = await peer.client.post(`/projects/${projectId}/review`, { objectives: 'yes' });
    expect(partial.statusCode).toBe(422);
    expect(fieldError(partial.body, 'qpv')).toBe(
      'Choisissez une réponse pour « Le lien avec le quartier et ses habitants ».',
    );
    expect(partial.body).toMatch(/value="yes" checked/);
    const answers = { objectives: 'yes', qpv: 'yes', calendar: 'partly', budget: 'yes', cofunding: 'no' };
    expect((await peer.client.post(`/projects/${projectId}/review`, answers)).statusCode).toBe(303);
    expect((await author.client.post(`/projects/${projectId}/review`, answers)).statusCode).toBe(403);
    expect((await coordinator.client.post(`/projects/${projectId}/review`, answers)).statusCode).toBe(403);
    const page = text((await author.client.get(`/projects/${projectId}`)).body);
    expect(page).toContain('Réponses de la grille (1 relecture)');
    expect(page).toContain(`Relu par : ${peer.displayName}`);
  });

  it('the homes say where the project stands: the author’s, and the trainer’s « Projets à relire »', async () => {
    const mine = text((await author.client.get('/')).body);
    expect(mine).toMatch(
      /Atelier d’alphabétisation au Blosne \d parties écrites sur 9 · 3 commentaires · en relecture/,
    );
    const theirs = text((await trainer.client.get('/')).body);
    expect(theirs).toContain('Projets à relire');
    expect(theirs).toContain('Atelier d’alphabétisation au Blosne Horizons Solidaires');
    expect(text((await otherTrainer.client.get('/')).body)).not.toContain('Projets à relire');
  });

  it('the national team still sees nothing until the authors share it with them', async () => {
    expect((await admin.client.get(`/projects/${projectId}`)).statusCode).toBe(404);
    await author.client.post(`/projects/${projectId}/share`, { cycleId: String(cycle.id), national: 'on' });
    const read = await admin.client.get(`/projects/${projectId}`);
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain(`action="/projects/${projectId}/ready"`);
  });
});

describe('« prêt à déposer »', () => {
  it('is said by the cycle’s trainer only, once every section is written', async () => {
    for (const who of [peer, author, coordinator])
      expect(
        (await who.client.post(`/projects/${projectId}/ready`, { ready: '1' })).statusCode,
        who.email,
      ).toBe(403);
    const early = await trainer.client.post(`/projects/${projectId}/ready`, { ready: '1' });
    expect(early.statusCode).toBe(422);
    expect(text(early.body)).toContain('parties du projet sont encore vides');

    const fill: Record<string, Record<string, string>> = {
      summary: {
        title: 'Atelier d’alphabétisation au Blosne',
        summary: 'Deux séances par semaine.',
        needs: 'Lire.',
      },
      public: { who: '12 adultes', howMany: '12', reach: 'Bouche-à-oreille' },
      actions: { actions: 'Ateliers', calendar: 'Octobre à juin' },
      means: { volunteers: '3 bénévoles', premises: 'Salle prêtée', equipment: 'Cahiers' },
      evaluation: { indicators: 'Présence, courriers lus' },
    };
    for (const [section, values] of Object.entries(fill)) {
      const version = await sectionForm(author, section);
      const res = await author.client.post(`/projects/${projectId}/sections/${section}`, {
        version,
        ...values,
      });
      expect(res.statusCode, section).toBe(303);
    }
    const res = await trainer.client.post(`/projects/${projectId}/ready`, { ready: '1' });
    expect(res.statusCode).toBe(303);
    expect(text((await author.client.get(`/projects/${projectId}`)).body)).toContain('Marqué prêt à déposer');
  });
});

describe('after « prêt à déposer »', () => {
  it('a save that unbalances the budget takes the mark away, and says so', async () => {
    const version = await sectionForm(author, 'budget');
    const res = await author.client.post(
      `/projects/${projectId}/sections/budget`,
      { version, ...blosneBudget, e2_choice: '60', e2_label: 'Goûter', e2_amount: '10' },
      { headers: htmx('#section-form') },
    );
    expect(res.statusCode).toBe(200);
    expect(text(res.body)).toContain('Le projet n’est plus marqué prêt à déposer');
    expect(text((await author.client.get(`/projects/${projectId}`)).body)).toContain('Brouillon');
    // Balanced again, the trainer says it once more.
    const again = await author.client.post(`/projects/${projectId}/sections/budget`, {
      version: await sectionForm(author, 'budget'),
      ...blosneBudget,
      r2_amount: '900,10',
    });
    expect(again.statusCode).toBe(303);
    expect((await trainer.client.post(`/projects/${projectId}/ready`, { ready: '1' })).statusCode).toBe(303);
  });

  it('a request the form never sends is answered, not taken as « ready »', async () => {
    const res = await trainer.client.post(`/projects/${projectId}/ready`, { ready: 'oui' });
    expect(res.statusCode).toBe(422);
    expect(text(res.body)).toContain('Cette demande n’est pas valable');
  });

  it('a budget post with rows the form never has saves nothing', async () => {
    const version = await sectionForm(author, 'budget');
    const res = await author.client.post(`/projects/${projectId}/sections/budget`, {
      version,
      e0_label: ['Repas', 'Salle'],
      e40_label: 'Loin',
    });
    expect(res.statusCode).toBe(422);
    expect(await sectionForm(author, 'budget')).toBe(version);
  });

  it('an answer to a comment that cannot have one is said next to the comment box', async () => {
    const res = await peer.client.post(`/projects/${projectId}/comments`, {
      section: 'objectives',
      replyTo: '999999',
      body: 'Je réponds',
    });
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'body')).toBe(
      'Ce commentaire n’existe plus ou ne peut pas recevoir de réponse : écrivez un nouveau commentaire.',
    );
    expect(res.body).toContain('>Je réponds</textarea>');
  });
});

describe('an author who leaves the OSIM', () => {
  it('writes the project no more', async () => {
    const { db } = world.ctx;
    db.delete(memberships).where(eq(memberships.userId, coAuthor.id)).run();
    // Now a member of another association only.
    const elsewhere = createOrganization(db, { kind: 'osim', name: 'Ailleurs', parentId: world.bretagne.id });
    addMembership(db, coAuthor.id, elsewhere.id, 'member');
    const former = loadCurrentUser(db, coAuthor.id)!;
    expect(() => getProjectFor(db, former, projectId)).toThrow(NotFoundError);
    await coAuthor.client.login(coAuthor.email);
    const list = await coAuthor.client.get('/projects');
    expect(list.statusCode).toBe(200);
    expect(text(list.body)).not.toContain('Atelier d’alphabétisation au Blosne');
    expect((await coAuthor.client.get(`/projects/${projectId}`)).statusCode).toBe(404);
  });
});

describe('exports', () => {
  it('the PDF and the CSV for those who read the project', async () => {
    const pdf = await coordinator.client.get(`/projects/${projectId}/projet.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const csv = await author.client.get(`/projects/${projectId}/budget.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.charCodeAt(0)).toBe(0xfeff);
    expect(csv.body).toContain('4800,00');
    expect((await outsider.client.get(`/projects/${projectId}/budget.csv`)).statusCode).toBe(404);
  });
});
