/**
 * A test plugin that exercises every part of the plugin API on its own modules (metadata/):
 * `ticket`, whose hooks refuse, change payloads and roll back on cue (the subject says which),
 * and `probe_log`, where hooks and lifecycle steps leave rows — inside the write's transaction,
 * so that a rollback takes them away too. What runs after a commit goes to an in-memory sink.
 */
import { fileURLToPath } from 'node:url';
import type { Modules } from '../../../core/generated/modules.js';
import { conflict, definePlugin, refuse, type Plugin } from '../../../core/plugins/define-plugin.js';

export interface Ticket {
  id: number;
  subject: string;
  status: ('open' | 'closed') | null;
  priority: ('low' | 'high') | null;
  createdAt: string;
  updatedAt: string;
  createdBy: number | null;
  updatedBy: number | null;
  version: number;
}

export interface ProbeLog {
  id: number;
  event: string;
  detail: string | null;
  ticket: number | null;
  createdAt: string;
  updatedAt: string;
  createdBy: number | null;
  updatedBy: number | null;
  version: number;
}

export type ProbeModules = Modules & { ticket: Ticket; probe_log: ProbeLog };

/** What after-commit hooks saw: the hook, the ticket, and whether the ticket was readable outside the transaction. */
export interface Committed {
  readonly hook: string;
  readonly id: number;
  readonly visibleOutside: boolean;
  readonly actor: string;
  readonly detail?: unknown;
}

export function probePlugin(opts: { version?: string; sink?: Committed[] } = {}): Plugin {
  const sink = opts.sink ?? [];
  return definePlugin<ProbeModules>({
    name: 'probe',
    version: opts.version ?? '1.0.0',
    metadata: fileURLToPath(new URL('./metadata/', import.meta.url)),

    install: ({ records, version }) => records('probe_log').create({ event: 'install', detail: version }).then(() => undefined),
    upgrade: ({ records, from, version }) => records('probe_log').create({ event: 'upgrade', detail: `${from} -> ${version}` }).then(() => undefined),
    enable: ({ records, actor }) => records('probe_log').create({ event: 'enable', detail: actor.username }).then(() => undefined),
    disable: ({ records, actor }) => records('probe_log').create({ event: 'disable', detail: actor.username }).then(() => undefined),

    hooks: {
      ticket: {
        beforeCreate(ticket) {
          if (ticket.subject.includes('forbidden')) refuse('/subject', 'must not say forbidden');
          // "!subject" means urgent: the hook rewrites the payload.
          if (ticket.subject.startsWith('!')) return { ...ticket, subject: ticket.subject.slice(1).trim(), priority: 'high' };
        },
        async afterCreate(ticket, { records }) {
          await records('probe_log').create({ event: 'afterCreate', ticket: ticket.id, detail: ticket.subject });
          if (ticket.subject === 'rollback after') refuse('/subject', 'refused after the write');
        },
        async afterCreateCommit(ticket, { records, actor }) {
          if (ticket.subject === 'explode after commit') throw new Error('the mail server is down');
          const visibleOutside = await records('ticket').get(ticket.id).then(() => true, () => false);
          sink.push({ hook: 'afterCreateCommit', id: ticket.id, visibleOutside, actor: actor.username });
        },
        beforeUpdate({ patch, before }) {
          if (before.status === 'closed' && patch.status !== 'open') refuse('/status', 'a closed ticket is reopened first');
          if (patch.subject?.startsWith('!')) patch.subject = patch.subject.slice(1).trim();
        },
        async afterUpdate({ id, changes }, { records }) {
          await records('probe_log').create({ event: 'afterUpdate', ticket: id, detail: JSON.stringify(changes) });
          if (changes.subject?.after === 'rollback after') refuse('/subject', 'refused after the write');
        },
        afterUpdateCommit({ id, before, after }, { actor }) {
          sink.push({ hook: 'afterUpdateCommit', id, visibleOutside: true, actor: actor.username, detail: { before: before.subject, after: after.subject } });
        },
        beforeDelete(ticket) {
          if (ticket.status !== 'closed') throw conflict('ticket_open', `Close ticket ${ticket.id} before deleting it`);
        },
        async afterDelete(ticket, { records }) {
          await records('probe_log').create({ event: 'afterDelete', ticket: ticket.id, detail: ticket.subject });
        },
        async afterDeleteCommit(ticket, { records }) {
          const visibleOutside = await records('ticket').get(ticket.id).then(() => true, () => false);
          sink.push({ hook: 'afterDeleteCommit', id: ticket.id, visibleOutside, actor: '' });
        },
      },
    },

    routes: {
      'GET /mine': async ({ records }) => (await records('ticket').list({ sort: 'id', pageSize: 500 })).data.map((t) => t.id),
      'GET /tickets/:id': async ({ records, params }) => records('ticket').get(Number(params.id)),
      'GET /tickets/new': () => ({ template: { subject: '', priority: 'low' } }),
      // Two tickets in one transaction: the second one's refusal takes the first away too.
      'POST /pair': {
        requires: 'ticket:create',
        handler: async ({ transaction, body, json }) => {
          const { first, second } = await body<{ first: string; second: string }>();
          const ids = await transaction(async ({ records }) => [
            (await records('ticket').create({ subject: first })).id,
            (await records('ticket').create({ subject: second })).id,
          ]);
          return json({ ids }, 201);
        },
      },
      'GET /admin-only': { requires: 'admin', handler: () => ({ ok: true }) },
      'GET /broken': () => {
        throw new Error('a bug in the plugin');
      },
    },

    publicRoutes: {
      // A sign-up link: no login; the ticket is created as the `signup_bot` account, with its permissions.
      'POST /signup': async ({ body, actAs, json }) => {
        const { subject } = await body<{ subject: string }>();
        const bot = await actAs('signup_bot');
        const ticket = await bot.records('ticket').create({ subject });
        return json({ id: ticket.id, by: bot.actor.username }, 201);
      },
    },
  });
}
