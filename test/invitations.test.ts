// Inviting people one by one, and coming back to any pending invitation to copy its link: its own
// page (reloadable), the list (paged, searched), the CSV of links — each in the coordinator's
// collective only. The CSV import is in invitations/import.test.ts.
import { count, eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInvitation, invitationLinks } from '../src/auth/invitations.ts';
import { hashLinkToken } from '../src/auth/tokens.ts';
import { invitations, outbox } from '../src/db/schema.ts';
import { createTestApp, lastLinkTo, loginAs, TestClient, type TestContext, text } from './helpers.ts';
import { as, linkIn, linksIn, omCoordinator, org } from './invitations/world.ts';

let ctx: TestContext;
beforeEach(async () => {
  ctx = await createTestApp({ demo: true });
});
afterEach(() => ctx.close());

const invitationCount = () => ctx.db.select({ n: count() }).from(invitations).get()!.n;
const outboxCount = () => ctx.db.select({ n: count() }).from(outbox).get()!.n;
const invitationOf = (email: string) =>
  ctx.db.select().from(invitations).where(eq(invitations.email, email)).get()!;

async function inviteFatoumata(client: TestClient, email = 'fatoumata.sissoko@exemple.fr') {
  return client.post('/invitations', {
    displayName: 'Fatoumata Sissoko',
    email,
    organizationId: String(org(ctx, 'Villejean Ensemble').id),
    role: 'member',
  });
}

/** n invitations to Villejean Ensemble, written directly (as a large import would). */
function manyInvitations(n: number, invitedBy: number) {
  for (let i = 0; i < n; i++) {
    createInvitation(ctx.db, ctx.mailer, invitationLinks(ctx.config), {
      email: `personne${i}@exemple.fr`,
      displayName: `Personne ${String(i).padStart(2, '0')}`,
      organizationId: org(ctx, 'Villejean Ensemble').id,
      role: 'member',
      invitedBy,
    });
  }
}

describe('inviting one person', () => {
  it('emails the invitation, then shows its page with the link; the link creates the account', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const before = outboxCount();
    const res = await inviteFatoumata(coordinator, 'Fatoumata.Sissoko@Exemple.fr');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/invitations/${invitationOf('fatoumata.sissoko@exemple.fr').id}`);
    expect(outboxCount()).toBe(before + 1);
    const page = await coordinator.get(res.headers.location as string);
    expect(text(page.body)).toContain('L’invitation est envoyée par e-mail à fatoumata.sissoko@exemple.fr.');
    expect(text(page.body)).toContain('Invitation de Fatoumata Sissoko');
    const link = linkIn(page.body);
    expect(page.body).toContain(`<textarea id="link-`);
    // The emailed link is the one shown.
    expect(await lastLinkTo(ctx, 'fatoumata.sissoko@exemple.fr', 'invitation')).toBe(new URL(link).pathname);

    const newcomer = new TestClient(ctx.app);
    const path = new URL(link).pathname;
    expect(text((await newcomer.get(path)).body)).toContain(
      'Vous êtes invité·e à rejoindre Villejean Ensemble comme membre.',
    );
    const created = await newcomer.post(path, {
      displayName: 'Fatoumata Sissoko',
      password: 'une phrase longue',
      confirm: 'une phrase longue',
    });
    expect(created.statusCode).toBe(303);
    expect(text((await newcomer.get('/')).body)).toContain('Votre association : Villejean Ensemble');
    // Accepted: the page says so and shows no link any more; the row keeps no nonce.
    const after = await coordinator.get(res.headers.location as string);
    expect(text(after.body)).toContain('Acceptée');
    expect(linksIn(after.body)).toEqual([]);
    expect(invitationOf('fatoumata.sissoko@exemple.fr').linkNonce).toBeNull();
  });

  it('refuses a second invitation to the same place, and someone who is already a member', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const again = await coordinator.post('/invitations', {
      displayName: 'Salimata Koné',
      email: 'salimata.kone@cosim-bretagne.test',
      organizationId: String(org(ctx, 'Cleunay Passerelles').id),
      role: 'member',
    });
    expect(again.statusCode).toBe(422);
    expect(text(again.body)).toContain('déjà une invitation en attente');
    const member = await coordinator.post('/invitations', {
      displayName: 'Mamadou Sow',
      email: 'membre@cosim-bretagne.test',
      organizationId: String(org(ctx, 'Solidarité Blosne').id),
      role: 'member',
    });
    expect(member.statusCode).toBe(422);
    expect(text(member.body)).toContain('a déjà ce rôle');
    expect(member.body).toContain('value="Mamadou Sow"');
  });

  it('speaks of the invitee, not of « vous », in its error messages, and keeps what was typed', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const empty = await coordinator.post('/invitations', {
      displayName: ' ',
      email: '',
      organizationId: String(org(ctx, 'Villejean Ensemble').id),
      role: 'member',
    });
    expect(empty.statusCode).toBe(422);
    const page = text(empty.body);
    expect(page).toContain('Saisissez le nom de la personne.');
    expect(page).toContain('Saisissez l’adresse e-mail de la personne.');
    expect(page).not.toMatch(/votre nom|votre adresse/i);
    const wrong = await coordinator.post('/invitations', {
      displayName: 'Awa\u0007Diop',
      email: 'pas-une-adresse',
      organizationId: '',
      role: 'member',
    });
    expect(wrong.statusCode).toBe(422);
    expect(text(wrong.body)).toContain('caractères non autorisés');
    expect(text(wrong.body)).toContain('Saisissez une adresse e-mail valide');
    expect(text(wrong.body)).toContain('Choisissez une option dans la liste.');
    expect(wrong.body).toContain('value="pas-une-adresse"');
  });

  it('does not let a coordinator invite into another collective or name a coordinator', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const before = invitationCount();
    const elsewhere = await coordinator.post('/invitations', {
      displayName: 'X',
      email: 'x@exemple.fr',
      organizationId: String(org(ctx, 'AMF').id),
      role: 'member',
    });
    expect(elsewhere.statusCode).toBe(422);
    const boss = await coordinator.post('/invitations', {
      displayName: 'X',
      email: 'x@exemple.fr',
      organizationId: String(org(ctx, 'COSIM Bretagne').id),
      role: 'coordinator',
    });
    expect(boss.statusCode).toBe(403);
    expect(invitationCount()).toBe(before);
  });
});

describe('coming back to a pending invitation', () => {
  it('shows the same link on every reload of its page and on the list', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const res = await inviteFatoumata(coordinator);
    const first = await coordinator.get(res.headers.location as string);
    const reload = await coordinator.get(res.headers.location as string);
    expect(reload.statusCode).toBe(200);
    expect(linkIn(reload.body)).toBe(linkIn(first.body));
    // The flash was said once; the page itself stays.
    expect(text(reload.body)).not.toContain('L’invitation est envoyée');
    const list = await coordinator.get('/invitations');
    expect(text(list.body)).toContain('3 invitations');
    expect(linksIn(list.body)).toHaveLength(3); // Fatoumata's and the two of the demo's import
    expect(list.body).toContain(linkIn(first.body));
    // The demo's links work too.
    for (const link of linksIn(list.body)) {
      expect((await new TestClient(ctx.app).get(new URL(link).pathname)).statusCode).toBe(200);
    }
  });

  it('lists pending invitations by default, pages them and finds them without accents or case', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    manyInvitations(60, invitationOf('salimata.kone@cosim-bretagne.test').invitedBy!);
    const first = await coordinator.get('/invitations');
    expect(text(first.body)).toContain('62 invitations · page 1 sur 2');
    expect(linksIn(first.body)).toHaveLength(50);
    const second = await coordinator.get('/invitations?page=2');
    expect(linksIn(second.body)).toHaveLength(12);
    expect(text(second.body)).toContain('Salimata Koné');
    const found = await coordinator.get('/invitations?q=KONE');
    expect(text(found.body)).toContain('1 invitation');
    expect(text(found.body)).toContain('Salimata Koné');
    expect(linksIn(found.body)).toHaveLength(1);
    const none = await coordinator.get('/invitations?q=zzz');
    expect(text(none.body)).toContain('Aucune invitation ne correspond à « zzz ».');
    const byEmail = await coordinator.get('/invitations?q=personne4');
    expect(text(byEmail.body)).toContain('11 invitations'); // personne4 and personne40…49
    // The search box updates the results in place: htmx gets the results only.
    const partial = await coordinator.get('/invitations?q=kone', {
      'hx-request': 'true',
      'hx-target': 'div#invitation-results',
    });
    expect(partial.body.trim().startsWith('<div id="invitation-results"')).toBe(true);
    // Nonsense parameters are ignored rather than refused.
    expect((await coordinator.get('/invitations?status=nope&page=x')).statusCode).toBe(200);
  });

  it('resend gives a new link and kills the old one; revoke kills it too', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const first = await inviteFatoumata(coordinator);
    const page = first.headers.location as string;
    const oldLink = new URL(linkIn((await coordinator.get(page)).body)).pathname;
    const id = invitationOf('fatoumata.sissoko@exemple.fr').id;
    const resent = await coordinator.post(`/invitations/${id}/resend`);
    expect(resent.statusCode).toBe(303);
    expect(resent.headers.location).toBe(page);
    const after = await coordinator.get(page);
    expect(text(after.body)).toContain(
      'Une nouvelle invitation a été envoyée à fatoumata.sissoko@exemple.fr',
    );
    const newLink = new URL(linkIn(after.body)).pathname;
    expect(newLink).not.toBe(oldLink);
    expect((await new TestClient(ctx.app).get(oldLink)).statusCode).toBe(404);
    expect((await new TestClient(ctx.app).get(newLink)).statusCode).toBe(200);
    const revoked = await coordinator.post(`/invitations/${id}/revoke`);
    expect(revoked.statusCode).toBe(303);
    expect(revoked.headers.location).toBe('/invitations');
    expect((await new TestClient(ctx.app).get(newLink)).statusCode).toBe(410);
    const list = await coordinator.get('/invitations?status=revoked');
    expect(text(list.body)).toContain('fatoumata.sissoko@exemple.fr');
    expect(linksIn(list.body)).toEqual([]);
    expect(linksIn((await coordinator.get('/invitations')).body)).not.toContain(
      `http://passerelle.test${newLink}`,
    );
  });

  it('downloads name ; email ; link of every pending invitation as a spreadsheet CSV', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    await coordinator.post('/invitations', {
      displayName: '=HYPERLINK("http://evil.example")',
      email: 'formule@exemple.fr',
      organizationId: String(org(ctx, 'Villejean Ensemble').id),
      role: 'member',
    });
    const list = await coordinator.get('/invitations');
    expect(list.body).toContain('href="/invitations/pending.csv"');
    const res = await coordinator.get('/invitations/pending.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="invitations-en-attente.csv"');
    expect(res.headers['cache-control']).toBe('private, no-store');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe('\uFEFFnom;email;lien');
    const links = linksIn(list.body); // most recent first: the formula, Moussa, Salimata
    expect(lines).toContain(`Moussa Camara;moussa.camara@cosim-bretagne.test;${links[1]}`);
    expect(lines).toContain(`Salimata Koné;salimata.kone@cosim-bretagne.test;${links[2]}`);
    // A name a spreadsheet would run as a formula is written as text.
    expect(lines).toContain(`"'=HYPERLINK(""http://evil.example"")";formule@exemple.fr;${links[0]}`);
    expect(lines.filter((l) => l !== '')).toHaveLength(4);
  });
});

describe('another collective’s invitations, as an attacker would try', () => {
  it('answers 404 for every invitation of COSIM Bretagne to a coordinator of COSIM OM', async () => {
    const om = await omCoordinator(ctx);
    const id = invitationOf('salimata.kone@cosim-bretagne.test').id;
    expect((await om.get(`/invitations/${id}`)).statusCode).toBe(404);
    expect((await om.post(`/invitations/${id}/resend`)).statusCode).toBe(404);
    expect((await om.post(`/invitations/${id}/revoke`)).statusCode).toBe(404);
    expect((await om.get('/invitations/999999')).statusCode).toBe(404);
    const list = await om.get('/invitations?status=all&q=kone');
    expect(text(list.body)).not.toContain('salimata.kone');
    const csv = await om.get('/invitations/pending.csv');
    expect(csv.body).not.toContain('cosim-bretagne');
    expect(invitationOf('salimata.kone@cosim-bretagne.test').revokedAt).toBeNull();
  });

  it('refuses every invitation page to a member and a trainer (403), and sends a visitor to sign in', async () => {
    const id = invitationOf('salimata.kone@cosim-bretagne.test').id;
    for (const email of ['membre@cosim-bretagne.test', 'formation@cosim-bretagne.test']) {
      const client = await as(ctx, email);
      for (const url of ['/invitations', `/invitations/${id}`, '/invitations/pending.csv']) {
        expect((await client.get(url)).statusCode).toBe(403);
      }
      expect((await client.post(`/invitations/${id}/resend`)).statusCode).toBe(403);
    }
    const visitor = await new TestClient(ctx.app).get('/invitations/pending.csv');
    expect(visitor.statusCode).toBe(303);
    expect(visitor.headers.location).toBe('/login?next=%2Finvitations%2Fpending.csv');
  });

  it('gives the national team every collective’s pending links', async () => {
    const { client } = await loginAs(ctx, 'admin');
    const om = await omCoordinator(ctx);
    await om.post('/invitations', {
      displayName: 'Karim Benali',
      email: 'karim.benali@exemple.fr',
      organizationId: String(org(ctx, 'AMF').id),
      role: 'member',
    });
    const csv = (await client.get('/invitations/pending.csv')).body;
    expect(csv).toContain('salimata.kone@cosim-bretagne.test');
    expect(csv).toContain('karim.benali@exemple.fr');
    const page = await client.get(`/invitations/${invitationOf('karim.benali@exemple.fr').id}`);
    expect(page.statusCode).toBe(200);
    expect(linksIn(page.body)).toHaveLength(1);
  });
});

describe('what the database holds', () => {
  it('keeps no usable token: only a nonce and the hash of the link’s token', async () => {
    const coordinator = await as(ctx, 'coordination@cosim-bretagne.test');
    const res = await inviteFatoumata(coordinator);
    const token = new URL(
      linkIn((await coordinator.get(res.headers.location as string)).body),
    ).pathname.split('/')[2]!;
    const row = invitationOf('fatoumata.sissoko@exemple.fr');
    expect(row.tokenHash).toBe(hashLinkToken(token));
    expect(row.linkNonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const everything = JSON.stringify(ctx.db.$client.prepare('SELECT * FROM invitations').all());
    expect(everything).not.toContain(token);
  });
});
