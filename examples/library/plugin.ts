// #region start
/**
 * A lending library: books with a checked ISBN, loans that members see only of their own, a page
 * of overdue loans, "Mark returned" on a loan, and an ISBN input. docs/PLUGINS.md builds it step
 * by step; start it with `MODULES_DIR=examples npm start`.
 */
import { conflict, definePlugin, notFound } from '../../core/plugins/define-plugin.js';
import { isbn } from './isbn.js';
import type { LibraryModules } from './types.js';

export default definePlugin<LibraryModules>({
  name: 'library', // the folder's name
  version: '1.0.0',
  description: 'Books and loans: ISBN checks, members who see only their own loans, overdue loans and returns',
  // book.json and loan.json. Loaded from a folder of plugins, metadata/ is found without this line;
  // given here, the plugin also ships its modules when passed as code (tests, an embedding app).
  metadata: new URL('./metadata/', import.meta.url),
  // #endregion start

  // #region field-type
  // `"x-type": "isbn"` on a property: stored as the type's schema, checked by its `validate`.
  fieldTypes: { isbn },
  // #endregion field-type

  // #region install
  // Once per database, as the built-in admin, in one transaction: the roles a library needs, and
  // the rule that shows a member their own loans only. They are data: an admin may change them.
  async install({ records, log }) {
    const librarian = await records('role').create({ name: 'librarian', description: 'Keeps the catalogue; lends books and takes them back' });
    await records('permission').create({ role: librarian.id, module: 'book', actions: ['read', 'create', 'update', 'delete'] });
    await records('permission').create({ role: librarian.id, module: 'loan', actions: ['read', 'create', 'update'] });
    // A loan's borrower must be a user the librarian may read; their names are enough for that.
    await records('permission').create({ role: librarian.id, module: 'user', actions: ['read'], readFields: ['username', 'name'] });

    const member = await records('role').create({ name: 'library member', description: 'Borrows books: reads the catalogue and their own loans' });
    await records('permission').create({ role: member.id, module: 'book', actions: ['read'] });
    await records('permission').create({ role: member.id, module: 'loan', actions: ['read'] });
    await records('rule').create({
      name: 'members see their own loans',
      module: 'loan',
      filter: { borrower: '$user.id' },
      actions: ['read'],
      roles: [member.id],
    });
    log('created the roles "librarian" and "library member"');
  },
  // #endregion install

  // #region route
  routes: {
    // POST /api/plugins/library/loans/<id>/return, for those who may update loans.
    'POST /loans/:id/return': {
      requires: 'loan:update',
      async handler({ params, records }) {
        const id = Number(params.id);
        if (!Number.isSafeInteger(id) || id < 1) throw notFound(`loan ${params.id}`);
        // As the caller: a loan they may not see is a 404, one they may not update a 403.
        const loan = await records('loan').get(id);
        if (loan.returnedOn !== null) throw conflict('already_returned', `This loan was returned on ${loan.returnedOn}`);
        const today = new Date().toISOString().slice(0, 10);
        // With the version read above: a return recorded meanwhile by someone else is a 409, not a second return.
        return records('loan').update(id, { returnedOn: today }, { version: loan.version });
      },
    },
  },
  // #endregion route

  // #region page
  ui: {
    // The client part: the components named below (ui/index.ts).
    entry: new URL('./ui/index.ts', import.meta.url),
    pages: [
      {
        path: '/library/overdue',
        component: 'OverduePage',
        title: { en: 'Overdue loans', zh: '逾期借阅' },
        menu: { section: { en: 'Library', zh: '图书馆' } },
        requires: [{ module: 'loan', action: 'read' }],
      },
    ],
    // #endregion page
    // #region action
    recordActions: [
      {
        name: 'return',
        module: 'loan',
        component: 'ReturnButton',
        title: { en: 'Mark returned', zh: '标记为已还' },
        // Asked for every loan shown, as the caller; `can` is what the engine lets them do with it.
        allowed: (loan, _ctx, can) => loan.returnedOn === null && can.update,
      },
    ],
    // #endregion action
    // #region widget
    widgets: { isbn: 'IsbnInput' },
  },
});
// #endregion widget
