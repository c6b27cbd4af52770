/**
 * /library/overdue: the open loans past their due date that the caller may see. The list is an
 * ordinary API read, so the rule that shows members their own loans applies here too.
 */
import { api, ErrorPanel, html, Loading, messageOf, useEffect, useState, type PageProps, type Rec } from '../../../ui/plugin-sdk.js';
import { t } from './words.js';

export function OverduePage(_: PageProps) {
  const [loans, setLoans] = useState<Rec[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api.data('loan')
      .list({
        // `$today` is resolved by the server, in the same filter language as the list page's.
        filter: { returnedOn: null, dueOn: { lt: '$today' } },
        fields: ['dueOn', 'book.title', 'borrower.name'],
        sort: 'dueOn',
        pageSize: 500,
      })
      .then((page) => setLoans(page.data), (e) => setError(messageOf(e)));
  }, []);

  if (error) return html`<${ErrorPanel} message=${error} />`;
  if (!loans) return html`<${Loading} />`;
  return html`<h1>${t('overdueTitle')}</h1>
    ${loans.length === 0
      ? html`<p data-testid="overdue-none">${t('noneOverdue')}</p>`
      : html`<table class="records" data-testid="overdue">
          <thead><tr><th>${t('book')}</th><th>${t('borrower')}</th><th>${t('dueOn')}</th></tr></thead>
          <tbody>
            ${loans.map((loan) => html`<tr key=${loan.id} data-id=${loan.id}>
              <td><a href=${`/m/loan/${loan.id}`}>${loan.book?.title}</a></td>
              <td>${loan.borrower?.name}</td>
              <td>${loan.dueOn}</td>
            </tr>`)}
          </tbody>
        </table>`}`;
}
