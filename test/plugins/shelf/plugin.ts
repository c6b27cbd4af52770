/** A plugin with a client part, for the tests of UI plugins: a page, a record action, a panel and a widget. */
import { definePlugin } from '../../../core/plugins/define-plugin.js';

export default definePlugin({
  name: 'shelf',
  version: '1.0.0',
  metadata: new URL('./metadata/', import.meta.url),
  fieldTypes: { isbn: { schema: { type: 'string', maxLength: 17 } } },
  ui: {
    entry: new URL('./ui/index.ts', import.meta.url),
    pages: [
      { path: '/shelf', component: 'ShelfPage', title: { en: 'Shelf', zh: '书架' }, menu: true, requires: [{ module: 'shelf_book', action: 'read' }] },
      { path: '/shelf/open/:code', component: 'OpenPage', title: { en: 'Open shelf' }, public: true },
    ],
    recordActions: [
      { name: 'lend', module: 'shelf_book', component: 'LendButton', title: { en: 'Lend' }, allowed: (book) => book.lent !== true },
      { name: 'note', module: 'shelf_book', component: 'NoteButton', title: { en: 'Note' } },
    ],
    panels: [{ module: 'shelf_book', component: 'BookPanel', title: { en: 'On the shelf' } }],
    widgets: { isbn: 'IsbnInput' },
  },
});
