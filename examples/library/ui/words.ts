/** The library's words in the UI's two languages; keys it does not define fall back to the admin UI's. */
import { defineWords } from '../../../ui/plugin-sdk.js';

export const t = defineWords(
  {
    overdueTitle: 'Overdue loans',
    noneOverdue: 'No loan is overdue.',
    book: 'Book',
    borrower: 'Borrower',
    dueOn: 'Due on',
    markReturned: 'Mark returned',
    isbnValid: 'Check digit OK',
    isbnInvalid: 'Not an ISBN yet: 10 or 13 digits with a valid check digit',
  },
  {
    overdueTitle: '逾期借阅',
    noneOverdue: '没有逾期的借阅。',
    book: '图书',
    borrower: '借阅人',
    dueOn: '应还日期',
    markReturned: '标记为已还',
    isbnValid: '校验位正确',
    isbnInvalid: '还不是有效的 ISBN：10 或 13 位，校验位须正确',
  },
);
