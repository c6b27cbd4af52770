/**
 * Compile-time proof (checked by `tsc --noEmit`, part of `npm test`): plugin hooks, records and
 * routes are typed from the generated module types, so a misspelled module or field name, or a
 * value of the wrong type, does not compile. Each `@ts-expect-error` fails the typecheck if the
 * line under it ever compiles.
 */
import type { Modules, Note } from '../../core/generated/modules.js';
import { definePlugin } from '../../core/plugins/define-plugin.js';

export const typed = definePlugin({
  name: 'typed',
  version: '1.0.0',
  hooks: {
    user: {
      beforeCreate(payload) {
        payload.username.toUpperCase();
        // @ts-expect-error misspelled field: User has username, not usrname
        payload.usrname;
        // @ts-expect-error a system field is no part of a payload
        payload.createdBy;
        return payload;
      },
      beforeUpdate({ patch, before }) {
        const name: string = before.username;
        // @ts-expect-error a patch carries User's value types: username is a string
        patch.username = 42;
        return { ...patch, name };
      },
      afterUpdate({ changes }) {
        const was: string | null | undefined = changes.email?.before;
        // @ts-expect-error misspelled field in the per-field changes
        changes.emial;
        void was;
      },
    },
    note: {
      beforeCreate(note) {
        // A required field is present and typed; an optional one may be missing or null.
        const title: string = note.title;
        // @ts-expect-error phone may be missing or null
        const phone: string = note.phone;
        void title, phone;
      },
      async afterCreate(_note, ctx) {
        // Data only through the engine: no engine context, transaction object or database handle.
        // @ts-expect-error a hook gets no engine context
        ctx.data;
        // @ts-expect-error nor the write's transaction object (ctx.inTransaction says that it runs in one)
        ctx.tx;
        // @ts-expect-error nor the database
        ctx.db;
        const inOne: true = ctx.inTransaction;
        void inOne;
      },
      async afterCreateCommit(note, { records }) {
        const owner = note.owner === null ? undefined : await records('user').get(note.owner);
        owner?.username.toLowerCase();
        // @ts-expect-error misspelled field of a record read through records()
        owner?.usrname;
      },
    },
    // @ts-expect-error not a module: hooks are keyed by the names in Modules
    usr: {},
  },
  routes: {
    'GET /latest': async ({ records }) => {
      const { data } = await records('note').list({ filter: { status: 'open', 'owner.username': 'sam' }, sort: '-id' });
      // @ts-expect-error misspelled field in a filter
      await records('note').list({ filter: { titel: 'x' } });
      // @ts-expect-error not a module
      records('nte');
      return data.map((n: Note) => n.title);
    },
    'POST /notes': {
      requires: 'note:create',
      handler: async ({ records, body }) => {
        const input = await body<{ title: string }>();
        // @ts-expect-error a create needs the required fields (title)
        await records('note').create({ body: 'no title' });
        return records('note').create({ title: input.title, status: 'open' });
      },
    },
    'GET /raw': async (ctx) => {
      // @ts-expect-error a route gets no engine context
      ctx.data;
      // @ts-expect-error nor a database
      ctx.db;
      const service = await ctx.actAs('service');
      // @ts-expect-error nor does a service account's scope
      service.data;
      return ctx.transaction(async (t) => {
        // @ts-expect-error a transaction's scope holds no transaction object
        t.tx;
        // The escape is the engine too, as an admin: records, not SQL.
        return t.system('why no role grants it', async (admin) => {
          // @ts-expect-error no engine context under system access either
          admin.data;
          return (await admin.records('note').list()).data.length;
        });
      });
    },
    'GET /other': {
      // @ts-expect-error requires names a module and an action
      requires: 'note:write',
      handler: () => undefined,
    },
  },
  install(ctx) {
    // @ts-expect-error a lifecycle step gets no transaction object
    ctx.tx;
    // @ts-expect-error nor an engine context
    ctx.data;
  },
});

/** Modules created at runtime: widen the map, and they are typed too. */
interface Ticket { id: number; subject: string; createdAt: string; updatedAt: string; createdBy: number | null; updatedBy: number | null; version: number }
export const widened = definePlugin<Modules & { ticket: Ticket }>({
  name: 'widened',
  version: '1.0.0',
  hooks: {
    ticket: {
      beforeCreate(t) {
        // @ts-expect-error misspelled field of a widened module
        t.subjet;
        return { ...t, subject: t.subject.trim() };
      },
    },
  },
});
