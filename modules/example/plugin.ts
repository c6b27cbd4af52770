/**
 * The example plugin: small enough to copy (docs/PLUGINS.md walks through it). It ships the `note`
 * module (metadata/note.json), a `phone` field type, a check and a clean-up before each write,
 * a notice after each new note is committed, a summary route, and the `$user.teammates` rule
 * variable.
 */
import { definePlugin, refuse } from '../../core/plugins/define-plugin.js';
import { notifier } from './notifier.js';

const PHONE = /^\+?[0-9][0-9 ()-]{5,30}$/;

export default definePlugin({
  name: 'example',
  version: '1.0.0',
  description: 'Notes with a call-back phone number, a summary route and a notice for each new note',

  // `"x-type": "phone"` on a property: stored as this schema, checked by `validate`, shown with `ui`.
  fieldTypes: {
    phone: {
      schema: { type: 'string', maxLength: 32 },
      validate: (value) => (PHONE.test(String(value)) ? undefined : 'must be a phone number, e.g. +44 20 7946 0958'),
      ui: { widget: 'tel', placeholder: '+44 20 7946 0958' },
    },
  },

  hooks: {
    note: {
      // In the write's transaction: refuse (400, nothing written) or return the payload to store.
      beforeCreate(note) {
        const title = note.title.trim();
        if (title === '') refuse('/title', 'must not be blank');
        return { ...note, title };
      },
      beforeUpdate({ patch }) {
        if (patch.title === undefined) return;
        const title = patch.title.trim();
        if (title === '') refuse('/title', 'must not be blank');
        return { ...patch, title };
      },
      // After the commit only: a failure here is logged, the note stays created.
      async afterCreateCommit(note, { actor }) {
        await notifier.send({ to: actor.username, text: `New note #${note.id}: ${note.title}` });
      },
    },
  },

  // GET /api/plugins/example/summary, behind login: counts only the notes the caller may see.
  routes: {
    'GET /summary': {
      requires: 'note:read',
      async handler({ records }) {
        const { data } = await records('note').aggregate({ groupBy: 'status', metrics: 'count()' });
        const count = (status: string) => Number(data.find((row) => row.status === status)?.['count()'] ?? 0);
        return { open: count('open'), done: count('done') };
      },
    },
  },

  // `$user.teammates` in a rule: the ids of the users of the caller's department.
  variables: {
    async teammates(user, { records }) {
      const me = await records('user').get(user.id);
      if (me.department === null) return [];
      const { data } = await records('user').list({ filter: { department: me.department }, fields: 'id', pageSize: 500 });
      return data.map((u) => u.id);
    },
  },
});
