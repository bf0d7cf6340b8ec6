// The network pages: the national team manages COSIMs, FOSIMs and OSIMs; a coordinator the OSIMs
// of their collective. Every id is checked against the viewer's scope (404 outside it).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Organization, OrganizationKind } from '../db/schema.ts';
import { ForbiddenError } from '../lib/errors.ts';
import { fieldErrors, fields, keptValues, params, ruleErrors, type ZodTypeProvider } from '../lib/forms.ts';
import { listPeopleOfOrganization } from '../people/directory.ts';
import type { CurrentUser } from '../people/users.ts';
import { mayAttachTo, mayManageKind } from '../policy/policy.ts';
import { rules } from '../policy/route-rules.ts';
import {
  archiveOrganization,
  createOrganization,
  getManagedOrganization,
  listActiveCollectives,
  type OrganizationInput,
  restoreOrganization,
  updateOrganization,
} from './manage.ts';
import { listArchivedOrganizations, listCollectiveOsims, listCollectives } from './network.ts';
import { managementScope } from './scope.ts';

const organizationBody = z.object({
  _csrf: fields.csrf(),
  name: fields.requiredText(120, 'org.form.nameRequired'),
  region: fields.optionalText(80),
  town: fields.optionalText(80),
  parentId: fields.optionalId(),
  federationId: fields.optionalId(),
  actsInQpv: fields.checkbox(),
  qpvNote: fields.optionalText(300),
});
const createBody = organizationBody.extend({
  kind: z.enum(['cosim', 'fosim', 'osim'], { error: 'form.invalidChoice' }),
});
const newQuery = z.object({
  kind: z.enum(['cosim', 'fosim', 'osim']).optional().catch(undefined),
  parent: z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .optional()
    .catch(undefined),
});
const formFields = [
  'name',
  'region',
  'town',
  'parentId',
  'federationId',
  'actsInQpv',
  'qpvNote',
  'kind',
] as const;

export default async function organizationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;

  function renderForm(
    reply: FastifyReply,
    state: {
      organization?: Organization;
      kind: Exclude<OrganizationKind, 'forim'>;
      values: Record<string, string>;
      errors?: Record<string, string>;
      status?: number;
    },
  ) {
    const user = reply.request.user!;
    return reply.render(
      'organizations/form',
      {
        organization: state.organization ?? null,
        kind: state.kind,
        values: state.values,
        errors: state.errors ?? {},
        // Only the collectives the person may attach to, and the organization's present ties.
        cosims: attachable(user, 'cosim', state.organization?.parentId),
        fosims: attachable(user, 'fosim', state.organization?.federationId),
      },
      { status: state.status },
    );
  }

  function attachable(user: CurrentUser, kind: 'cosim' | 'fosim', present: number | null | undefined) {
    return listActiveCollectives(db, kind).filter((c) => c.id === present || mayAttachTo(user, c.id));
  }

  function defaultsFor(user: CurrentUser, kind: OrganizationInput['kind'], parent?: number) {
    const scope = managementScope(user);
    const mine = scope.all ? undefined : scope.collectiveIds[0];
    return {
      name: '',
      region: '',
      town: '',
      parentId: String(parent ?? mine ?? ''),
      federationId: '',
      qpvNote: '',
      actsInQpv: '',
      kind,
    };
  }

  app.get('/organizations', { config: { access: rules.managers } }, async (request, reply) => {
    const user = request.user!;
    const scope = managementScope(user);
    if (!scope.all) {
      if (scope.collectiveIds.length === 1)
        return reply.redirect(`/organizations/${scope.collectiveIds[0]}`, 303);
      const mine = listCollectives(db).filter((c) => scope.collectiveIds.includes(c.id));
      return reply.render('organizations/index', { collectives: mine, archived: [], national: false });
    }
    return reply.render('organizations/index', {
      collectives: listCollectives(db),
      archived: listArchivedOrganizations(db),
      national: true,
    });
  });

  app.get(
    '/organizations/new',
    { schema: { querystring: newQuery }, config: { access: rules.managers } },
    async (request, reply) => {
      const user = request.user!;
      const wanted = request.query.kind ?? 'osim';
      const kind = mayManageKind(user, wanted) ? wanted : 'osim';
      return renderForm(reply, { kind, values: defaultsFor(user, kind, request.query.parent) });
    },
  );

  app.post(
    '/organizations',
    { schema: { body: createBody }, attachValidation: true, config: { access: rules.managers } },
    async (request, reply) => {
      const user = request.user!;
      const raw = keptValues(request.body, formFields);
      const kind = (['cosim', 'fosim', 'osim'] as const).find((k) => k === raw.kind) ?? 'osim';
      if (request.validationError) {
        return renderForm(reply, {
          kind,
          values: raw,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      }
      try {
        const id = createOrganization(db, user, request.body);
        reply.flash('org.flash.created', { name: request.body.name });
        return reply.redirect(`/organizations/${id}`, 303);
      } catch (error) {
        const errors = ruleErrors(error, request.t);
        if (!errors) throw error;
        return renderForm(reply, { kind, values: raw, errors, status: 422 });
      }
    },
  );

  app.get(
    '/organizations/:id',
    { schema: { params: params.id() }, config: { access: rules.managers } },
    async (request, reply) => {
      const user = request.user!;
      const organization = getManagedOrganization(db, user, request.params.id);
      const isCollective = organization.kind === 'cosim' || organization.kind === 'fosim';
      return reply.render('organizations/show', {
        organization,
        mayEdit: mayManageKind(user, organization.kind),
        mayAddOsim: mayAttachTo(user, organization.id) && mayManageKind(user, 'osim'),
        osims: isCollective ? listCollectiveOsims(db, organization.id) : [],
        people: organization.kind === 'osim' ? listPeopleOfOrganization(db, organization.id) : [],
        links: {
          parent: organization.parentId ? getManagedOrNull(user, organization.parentId) : null,
          federation: organization.federationId ? getManagedOrNull(user, organization.federationId) : null,
        },
      });
    },
  );

  /** The COSIM/FOSIM an OSIM belongs to, named only if the viewer may see it. */
  function getManagedOrNull(user: CurrentUser, id: number) {
    try {
      return getManagedOrganization(db, user, id);
    } catch {
      return null;
    }
  }

  app.get(
    '/organizations/:id/edit',
    { schema: { params: params.id() }, config: { access: rules.managers } },
    async (request, reply) => {
      const organization = getManagedOrganization(db, request.user!, request.params.id);
      if (organization.kind === 'forim') throw new ForbiddenError('org.error.onlyNational');
      return renderForm(reply, {
        organization,
        kind: organization.kind,
        values: {
          name: organization.name,
          region: organization.region ?? '',
          town: organization.town ?? '',
          parentId: String(organization.parentId ?? ''),
          federationId: String(organization.federationId ?? ''),
          actsInQpv: organization.actsInQpv ? 'on' : '',
          qpvNote: organization.qpvNote ?? '',
        },
      });
    },
  );

  app.post(
    '/organizations/:id',
    {
      schema: { params: params.id(), body: organizationBody },
      attachValidation: true,
      config: { access: rules.managers },
    },
    async (request, reply) => {
      const user = request.user!;
      const id = (request.params as { id: number }).id;
      const organization = getManagedOrganization(db, user, id);
      if (organization.kind === 'forim') throw new ForbiddenError('org.error.onlyNational');
      const raw = keptValues(request.body, formFields);
      if (request.validationError) {
        return renderForm(reply, {
          organization,
          kind: organization.kind,
          values: raw,
          errors: fieldErrors(request.validationError, request.t),
          status: 422,
        });
      }
      try {
        updateOrganization(db, user, id, request.body);
        reply.flash('org.flash.updated', { name: request.body.name });
        return reply.redirect(`/organizations/${id}`, 303);
      } catch (error) {
        const errors = ruleErrors(error, request.t);
        if (!errors) throw error;
        return renderForm(reply, { organization, kind: organization.kind, values: raw, errors, status: 422 });
      }
    },
  );

  app.post(
    '/organizations/:id/archive',
    { schema: { params: params.id() }, config: { access: rules.managers } },
    async (request, reply) => {
      const { id } = request.params;
      archiveOrganization(db, request.user!, id);
      reply.flash('org.flash.archived');
      return reply.redirect(`/organizations/${id}`, 303);
    },
  );

  app.post(
    '/organizations/:id/restore',
    { schema: { params: params.id() }, config: { access: rules.managers } },
    async (request, reply) => {
      const { id } = request.params;
      restoreOrganization(db, request.user!, id);
      reply.flash('org.flash.restored');
      return reply.redirect(`/organizations/${id}`, 303);
    },
  );
}
