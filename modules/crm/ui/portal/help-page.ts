/**
 * The student searches the knowledge base (articles, by the module's own search fields);
 * when nothing fits they ask a question, which the teachers answer. Their questions and the
 * answers are listed below.
 */
import { html, useState, api, messageOf, StratumError, Alert, Loading, formatDateTime, navigate, withQuery, onUnauthenticated, type Rec, type Location, type Session } from '../../../../ui/plugin-sdk.js';
import { t } from '../words/index.js';
import { TextField } from '../public/text-field.js';
import { fieldErrors } from '../public/upload.js';
import type { CrmKey } from '../words/index.js';
import { CourseSelect } from './course-select.js';
import type { StudentSelf } from './student.js';
import { useLoad } from './use-load.js';

const STATUS: Readonly<Record<string, CrmKey>> = { open: 'portal.help.status.open', answered: 'portal.help.status.answered', closed: 'portal.help.status.closed' };

export function HelpPage({ session, location }: { self: StudentSelf; session: Session; location: Location }) {
  const q = location.query.get('q')?.trim() ?? '';
  const [typed, setTyped] = useState(q);
  const articles = useLoad(async () => (q === '' ? undefined : ((await api.data('article').list({ q, fields: ['title', 'category', 'content', 'course.name'] as never, pageSize: 20 })).data as Rec[])), [q]);
  const questions = useLoad(async () => (await api.data('question').list({ filter: { createdBy: session.me.id }, fields: ['title', 'content', 'status', 'answer', 'createdAt'] as never, sort: '-createdAt' as never, pageSize: 100 })).data as Rec[], [session.me.id]);
  document.title = `${t('portal.tab.help')} · ${t('app.name')}`;
  const search = (event: Event) => {
    event.preventDefault();
    navigate(withQuery(location, { q: typed.trim() }));
  };
  const nothing = q !== '' && articles.data?.length === 0;
  return html`<h1>${t('portal.help.title')}</h1>
    <form class="toolbar search" role="search" onSubmit=${search}>
      <label class="sr-only" for="kb-q">${t('portal.help.search')}</label>
      <input id="kb-q" type="search" value=${typed} placeholder=${t('portal.help.placeholder')} onInput=${(e: Event) => setTyped((e.target as HTMLInputElement).value)} />
      <button type="submit" class="button button-primary">${t('portal.help.search')}</button>
    </form>
    ${articles.error && html`<${Alert}>${articles.error}</${Alert}>`}
    ${q !== '' && !articles.data && !articles.error && html`<${Loading} />`}
    ${articles.data && articles.data.length > 0 && html`<p class="muted">${t('portal.help.found', { n: articles.data.length, q })}</p>
      <div class="portal-list" data-testid="articles">${articles.data.map((a) => html`<details class="panel article" data-testid="article">
        <summary><strong>${a.title}</strong>${a.category && html` <span class="muted">· ${a.category}</span>`}</summary>
        <p class="pre">${a.content}</p>
      </details>`)}</div>`}
    ${nothing && html`<${Alert} kind="info" testid="no-articles">${t('portal.help.nothing', { q })}</${Alert}>`}
    <${QuestionForm} key=${`${q}/${nothing}`} title=${nothing ? q : ''} prominent=${nothing} onAsked=${questions.reload} />
    <h2 class="section-heading">${t('portal.help.mine')}</h2>
    ${questions.error && html`<${Alert}>${questions.error}</${Alert}>`}
    ${!questions.data && !questions.error && html`<${Loading} />`}
    ${questions.data?.length === 0 && html`<p class="empty">${t('portal.help.noQuestions')}</p>`}
    <div class="portal-list" data-testid="my-questions">${questions.data?.map((x) => html`<article class="panel" data-testid="question">
      <h3>${x.title} <span class=${`badge badge-${x.status}`}>${STATUS[x.status] ? t(STATUS[x.status]!) : x.status}</span></h3>
      <p class="muted">${x.createdAt ? formatDateTime(x.createdAt) : ''}</p>
      ${x.content && html`<p class="pre">${x.content}</p>`}
      ${x.answer ? html`<div class="answer"><strong>${t('portal.help.answer')}</strong><p class="pre">${x.answer}</p></div>` : html`<p class="muted">${t('portal.help.waiting')}</p>`}
    </article>`)}</div>`;
}

function QuestionForm({ title: initialTitle, prominent, onAsked }: { title: string; prominent: boolean; onAsked: () => void }) {
  const [title, setTitle] = useState(initialTitle);
  const [content, setContent] = useState('');
  const [course, setCourse] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<{ kind: 'error' | 'success'; text: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBanner(undefined);
    if (title.trim() === '') {
      setErrors({ title: t('public.required') });
      document.getElementById('f-title')?.focus();
      return;
    }
    setBusy(true);
    try {
      await api.data('question').create({ title: title.trim(), ...(content.trim() ? { content: content.trim() } : {}), ...(course ? { course: Number(course) } : {}) } as never);
      setTitle('');
      setContent('');
      setCourse('');
      setErrors({});
      setBanner({ kind: 'success', text: t('portal.help.asked') });
      onAsked();
    } catch (e) {
      if (onUnauthenticated(e)) return;
      if (!(e instanceof StratumError)) return setBanner({ kind: 'error', text: messageOf(e) });
      const { fields, other } = fieldErrors(e, ['title', 'content', 'course']);
      setErrors(fields);
      setBanner({ kind: 'error', text: [e.message, ...other].join(' ') });
    } finally {
      setBusy(false);
    }
  };
  return html`<form class=${`panel portal-form${prominent ? ' prominent' : ''}`} onSubmit=${submit} noValidate data-testid="question-form">
    <h2>${t('portal.help.ask')}</h2>
    <p class="muted">${t('portal.help.askIntro')}</p>
    ${banner && html`<${Alert} kind=${banner.kind} testid=${`question-${banner.kind}`}>${banner.text}</${Alert}>`}
    <div class="form-grid">
      <${TextField} name="title" label=${t('portal.help.questionTitle')} value=${title} onInput=${setTitle} error=${errors.title} required />
      <${CourseSelect} name="course" value=${course} onChange=${setCourse} error=${errors.course} />
    </div>
    <${TextField} name="content" label=${t('portal.help.questionContent')} value=${content} onInput=${setContent} error=${errors.content} multiline />
    <div class="actions"><button type="submit" class="button button-primary" disabled=${busy}>${t('portal.help.submit')}</button></div>
  </form>`;
}
