/**
 * /library/overdue: the open loans past their due date that the caller may see. The list is an
 * ordinary API read, so the rule that shows members their own loans applies here too, and it asks
 * for borrowers' names only from those who may read users (a member may not: the API would refuse
 * the whole list).
 */
import { api, ErrorPanel, html, Loading, messageOf, useEffect, useState, type PageProps, type Rec } from '../../../ui/plugin-sdk.js';
import { t } from './words.js';

export function OverduePage({ session }: PageProps) {
  const seesUsers = session?.meta.has('user') === true;
  const [loans, setLoans] = useState<Rec[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.data('loan')
      .list({
        // `$today` is resolved by the server, in the same filter language as the list page's.
        filter: { returnedOn: null, dueOn: { lt: '$today' } },
        fields: seesUsers ? ['dueOn', 'book.title', 'borrower.name'] : ['dueOn', 'book.title'],
        sort: 'dueOn',
        pageSize: 500,
      })
      .then((page) => setLoans(page.data), (e) => setError(messageOf(e)));
  }, [seesUsers]);

  if (error) return html`<${ErrorPanel} message=${error} />`;
  if (!loans) return html`<${Loading} />`;
  return html`<h1>${t('overdueTitle')}</h1>
    ${loans.length === 0
      ? html`<p data-testid="overdue-none">${t('noneOverdue')}</p>`
      : html`<table class="records" data-testid="overdue">
          <thead><tr><th>${t('book')}</th>${seesUsers && html`<th>${t('borrower')}</th>`}<th>${t('dueOn')}</th></tr></thead>
          <tbody>
            ${loans.map((loan) => html`<tr key=${loan.id} data-id=${loan.id}>
              <td><a href=${`/m/loan/${loan.id}`}>${loan.book?.title}</a></td>
              ${seesUsers && html`<td>${loan.borrower?.name}</td>`}
              <td>${loan.dueOn}</td>
            </tr>`)}
          </tbody>
        </table>`}`;
}
