// The national network's people: the collectives' coordinators and trainers and the national
// team, the members (which OSIM, who they are), their accounts and memberships in the order they
// were created, and the invitations most of them came in by.
import type { Role } from '../db/schema.ts';
import { seededRandom } from './generate-network.ts';
import { Dice, slug } from './national-dice.ts';
import type { Network } from './national-network.ts';
import { DAY, HOUR, type Member, MINUTE, type Run } from './national-run.ts';
import { cosimSeeds, mailDomains, type NameGroup, origins } from './national-words.ts';

/** Writes the staff; returns the national team (the admins who may revoke a certificate). */
export function writeStaff(run: Run, network: Network): number[] {
  const { dice, now, counts, platformStart, person, randomGroup, writeUser } = run;
  const { insertMembership } = run.statements;
  const { forimId, collectives } = network;
  // ——— Staff: the collectives' coordinators and trainers, the national team ———
  const staffRole = (collective: number, role: Role, group: NameGroup) => {
    const c = collectives[collective]!;
    const { name, email } = person(group, `${slug(c.name)}.test`);
    const createdAt = platformStart + dice.between(1, 30) * DAY;
    const userId = writeUser(name, email, 'fr', c.zone, now - dice.between(0, 20) * DAY, createdAt);
    insertMembership.run(userId, c.id, role, createdAt);
    (role === 'coordinator' ? c.coordinators : c.trainers).push(userId);
    counts.staff++;
    counts.memberships++;
  };
  collectives.forEach((c, i) => {
    const group = c.kind === 'fosim' ? origins[i - cosimSeeds.length]!.group : randomGroup(null);
    staffRole(i, 'coordinator', group);
    const trainers = c.kind === 'fosim' ? 1 : c.name === 'COSIM Île-de-France' ? 5 : dice.int(2, 4);
    for (let k = 0; k < trainers; k++)
      staffRole(i, 'trainer', c.kind === 'fosim' ? group : randomGroup(null));
  });
  const nationalTeam: number[] = [];
  for (let k = 0; k < 2; k++) {
    const { name, email } = person(randomGroup(null), 'forim.test');
    const createdAt = platformStart;
    const userId = writeUser(name, email, 'fr', 'Europe/Paris', now - dice.between(0, 3) * DAY, createdAt);
    insertMembership.run(userId, forimId, 'admin', createdAt);
    nationalTeam.push(userId);
    counts.staff++;
    counts.memberships++;
  }
  return nationalTeam;
}

/** Decides who the members are (written later, once their dates are known). */
export function planMembers(run: Run, network: Network): Member[] {
  const { dice, sizes, person, randomGroup } = run;
  const { collectives, osims, osimWeights } = network;
  // ——— Members: which OSIM (uneven), who they are ———
  const pickOsim = dice.weighted(osimWeights);
  const members: Member[] = [];
  for (let i = 0; i < sizes.members; i++) {
    const o = pickOsim();
    const osim = osims[o]!;
    const { name, email } = person(randomGroup(osim.origin), null);
    members.push({
      osim: o,
      name,
      email,
      zone: collectives[osim.cosim]!.zone,
      locale: dice.chance(0.02) ? 'en' : 'fr',
      createdAt: 0,
      cycle: -1,
      enrolledAt: 0,
      selfEnrolled: false,
      withdrawnAt: 0,
      userId: 0,
      engagement: 0,
      lastActivity: 0,
      present: [],
    });
  }
  return members;
}

/** Writes the members' accounts and memberships; returns the members in the order they were created. */
export function writeAccounts(run: Run, network: Network, members: Member[]): number[] {
  const { dice, now, counts, writeUser } = run;
  const { insertMembership } = run.statements;
  const { osims } = network;
  // ——— Accounts and memberships, in the order they were created ———
  const order = members
    .map((_, i) => i)
    .sort((a, b) => members[a]!.createdAt - members[b]!.createdAt || a - b);
  for (const i of order) {
    const m = members[i]!;
    const lastSeen = m.lastActivity
      ? Math.min(now, m.lastActivity + dice.between(0, 3) * DAY)
      : m.createdAt + dice.between(1, 20) * MINUTE;
    m.userId = writeUser(m.name, m.email, m.locale, m.zone, Math.round(lastSeen), m.createdAt);
    insertMembership.run(m.userId, osims[m.osim]!.id, 'member', m.createdAt);
    counts.memberships++;
  }
  counts.members = members.length;
  return order;
}

export function writeInvitations(run: Run, network: Network, members: Member[], order: number[]): void {
  const { options, now, counts } = run;
  const { insertInvitation } = run.statements;
  const { collectives, osims } = network;
  // ——— Invitations: most members came in by one; others are pending, expired or withdrawn.
  // Their own random stream, so that adding them left the rest of the network unchanged.
  const invite = new Dice(seededRandom(options.seed + 1));
  let invitationSeq = 0;
  const inviter = (osim: number) => {
    const staff = collectives[osims[osim]!.cosim]!.coordinators;
    return staff.length > 0 ? invite.pick(staff) : null;
  };
  for (const i of order) {
    const m = members[i]!;
    if (!invite.chance(0.85)) continue;
    const sent = m.createdAt - Math.round(invite.between(0.1, 6) * DAY);
    insertInvitation.run(
      m.email,
      m.name,
      osims[m.osim]!.id,
      `national-${options.seed}-${++invitationSeq}`,
      inviter(m.osim),
      sent + 14 * DAY,
      m.createdAt,
      m.userId,
      null,
      sent,
      sent,
    );
  }
  for (let k = Math.round(members.length * 0.12); k > 0; k--) {
    const a = members[invite.int(0, members.length - 1)]!;
    const b = members[invite.int(0, members.length - 1)]!;
    const name = `${a.name.split(' ')[0]} ${b.name.split(' ').slice(1).join(' ')}`;
    const sent = Math.round(invite.between(now - 120 * DAY, now - HOUR));
    insertInvitation.run(
      `${slug(name).replace(/-/g, '.')}.i${k}@${invite.pick(mailDomains)}`,
      name,
      osims[a.osim]!.id,
      `national-${options.seed}-${++invitationSeq}`,
      inviter(a.osim),
      sent + 14 * DAY,
      null,
      null,
      invite.chance(0.1) ? sent + DAY : null,
      sent,
      sent,
    );
  }
  counts.invitations = invitationSeq;
}
