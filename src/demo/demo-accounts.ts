// The demo's people: one account per role (printed at start-up, listed in the README) and a few
// other members so that collectives have more than one member to count. Every demo account's
// password is DEMO_PASSWORD.
import type { Role } from '../db/schema.ts';

export const DEMO_PASSWORD = 'passerelle-demo';

export interface DemoAccount {
  email: string;
  displayName: string;
  role: Role;
  organization: string;
}

/** The accounts printed at start-up and listed in the README. */
export const demoAccounts: DemoAccount[] = [
  { email: 'admin@forim.test', displayName: 'Aminata Traoré', role: 'admin', organization: 'FORIM' },
  {
    email: 'coordination@cosim-bretagne.test',
    displayName: 'Yannick Mensah',
    role: 'coordinator',
    organization: 'COSIM Bretagne',
  },
  {
    email: 'formation@cosim-bretagne.test',
    displayName: 'Fatou Ndiaye',
    role: 'trainer',
    organization: 'COSIM Bretagne',
  },
  {
    email: 'membre@cosim-bretagne.test',
    displayName: 'Mamadou Sow',
    role: 'member',
    organization: 'Solidarité Blosne',
  },
  { email: 'membre@cosim-om.test', displayName: 'Karima Benali', role: 'member', organization: 'AMF' },
];

/** Other people, so that collectives have more than one member to count. */
export const otherMembers: Array<{ email: string; displayName: string; organization: string }> = [
  { email: 'awa.diop@cosim-bretagne.test', displayName: 'Awa Diop', organization: 'Solidarité Blosne' },
  {
    email: 'jean-baptiste.kouame@cosim-bretagne.test',
    displayName: 'Jean-Baptiste Kouamé',
    organization: 'Villejean Ensemble',
  },
  {
    email: 'nadia.haddad@cosim-om.test',
    displayName: 'Nadia Haddad',
    organization: 'Petit Bard Solidarités',
  },
  { email: 'ibrahim.coulibaly@capcos.test', displayName: 'Ibrahim Coulibaly', organization: 'CAPCOS' },
  { email: 'mariama.bah@pafha.test', displayName: 'Mariama Bah', organization: 'PAFHA' },
  // Authors of fiches of the note's annex (demo-fiches.ts): RAME's, and a member of COSIM OM and of
  // COSIM ARA themselves, not of one of their OSIMs, so the showcase names the COSIM (COSIM
  // Bretagne's are its trainer's).
  { email: 'aliou.sy@rame.test', displayName: 'Aliou Sy', organization: 'RAME' },
  {
    email: 'youssef.elamrani@cosim-om.test',
    displayName: 'Youssef El Amrani',
    organization: 'COSIM Occitanie Méditerranée',
  },
  {
    email: 'clarisse.mbarga@cosim-ara.test',
    displayName: 'Clarisse Mbarga',
    organization: 'COSIM Auvergne-Rhône-Alpes',
  },
];
