// The demo's network: the COSIMs named in FORIM's note, the OSIMs of its annex and a few local
// associations, each with its parent collective (and federation) named, parents first.
import type { OrganizationKind } from '../db/schema.ts';

export interface OrgSeed {
  kind: OrganizationKind;
  name: string;
  region?: string;
  town?: string;
  parent?: string;
  federation?: string;
  actsInQpv?: boolean;
  qpvNote?: string;
}

// The COSIMs named in the note; the OSIMs of its annex (AMF, CAPCOS, PAFHA, RAME) and a few
// local associations for the demo, in towns and QPV the note lists.
export const network: OrgSeed[] = [
  { kind: 'forim', name: 'FORIM', region: 'National', town: 'Paris' },
  { kind: 'cosim', name: 'COSIM Bretagne', region: 'Bretagne', town: 'Rennes', parent: 'FORIM' },
  { kind: 'fosim', name: 'FOSIM Afrique de l’Ouest', region: 'National', town: 'Paris', parent: 'FORIM' },
  {
    kind: 'cosim',
    name: 'COSIM Auvergne-Rhône-Alpes',
    region: 'Auvergne-Rhône-Alpes',
    town: 'Lyon',
    parent: 'FORIM',
  },
  {
    kind: 'cosim',
    name: 'COSIM Occitanie Méditerranée',
    region: 'Occitanie',
    town: 'Montpellier',
    parent: 'FORIM',
  },
  { kind: 'cosim', name: 'COSIM Occitanie Pyrénées', region: 'Occitanie', town: 'Toulouse', parent: 'FORIM' },
  {
    kind: 'cosim',
    name: 'COSIM Nouvelle-Aquitaine',
    region: 'Nouvelle-Aquitaine',
    town: 'Bordeaux',
    parent: 'FORIM',
  },
  {
    kind: 'cosim',
    name: 'COSIM PACA',
    region: 'Provence-Alpes-Côte d’Azur',
    town: 'Marseille',
    parent: 'FORIM',
  },
  { kind: 'cosim', name: 'COSIM Hauts-de-France', region: 'Hauts-de-France', town: 'Lille', parent: 'FORIM' },
  { kind: 'cosim', name: 'COSIM Île-de-France', region: 'Île-de-France', town: 'Paris', parent: 'FORIM' },
  {
    kind: 'cosim',
    name: 'COSIM Pays de la Loire',
    region: 'Pays de la Loire',
    town: 'Nantes',
    parent: 'FORIM',
  },
  {
    kind: 'osim',
    name: 'Solidarité Blosne',
    town: 'Rennes',
    parent: 'COSIM Bretagne',
    federation: 'FOSIM Afrique de l’Ouest',
    actsInQpv: true,
    qpvNote: 'Le Blosne',
  },
  {
    kind: 'osim',
    name: 'Villejean Ensemble',
    town: 'Rennes',
    parent: 'COSIM Bretagne',
    actsInQpv: true,
    qpvNote: 'Villejean-Beauregard',
  },
  {
    kind: 'osim',
    name: 'Cleunay Passerelles',
    town: 'Rennes',
    parent: 'COSIM Bretagne',
    actsInQpv: true,
    qpvNote: 'Cleunay',
  },
  {
    kind: 'osim',
    name: 'AMF',
    town: 'Montpellier',
    parent: 'COSIM Occitanie Méditerranée',
    actsInQpv: true,
    qpvNote: 'La Mosson',
  },
  {
    kind: 'osim',
    name: 'Petit Bard Solidarités',
    federation: 'FOSIM Afrique de l’Ouest',
    town: 'Montpellier',
    parent: 'COSIM Occitanie Méditerranée',
    actsInQpv: true,
    qpvNote: 'Petit Bard',
  },
  {
    kind: 'osim',
    name: 'Valdegour Cultures',
    town: 'Nîmes',
    parent: 'COSIM Occitanie Méditerranée',
    actsInQpv: true,
    qpvNote: 'Valdegour',
  },
  { kind: 'osim', name: 'CAPCOS', town: 'Épinay-sur-Seine', parent: 'COSIM Île-de-France' },
  { kind: 'osim', name: 'PAFHA', town: 'Saint-Denis', parent: 'COSIM Île-de-France', actsInQpv: true },
  // RAME speaks of « nos OSIM » in the annex, but the note names it only there, among its members'
  // associations, with no region nor federation: an OSIM of the demo, in a town of the note's table.
  {
    kind: 'osim',
    name: 'RAME',
    town: 'Vaulx-en-Velin',
    parent: 'COSIM Auvergne-Rhône-Alpes',
    actsInQpv: true,
  },
  {
    kind: 'osim',
    name: 'Mosaïque Lilloise',
    town: 'Lille',
    parent: 'COSIM Hauts-de-France',
    actsInQpv: true,
  },
  {
    kind: 'osim',
    name: 'Horizons Nantais',
    town: 'Nantes',
    parent: 'COSIM Pays de la Loire',
    actsInQpv: false,
  },
];
