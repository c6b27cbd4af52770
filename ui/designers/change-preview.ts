/**
 * The dry run of a definition change (or of deleting a module), before anything changes: one
 * line per step in words, the records whose value would not fit (each linked), per field what to
 * do with them, what else changes with it, and whether data is lost. Applying it is the
 * caller's: the plan's token confirms exactly what was shown.
 */
import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import type { OnMisfit, Plan, PlanStep } from '../../core/schema/change-plan.js';
import { StratumError } from '../api.js';
import { Alert } from '../components/feedback.js';
import { currentLang, t } from '../i18n.js';
import { EN } from '../strings/en.js';
import { affectWords, stepWords, valueWords } from './change-words.js';

export type { Plan, PlanStep, OnMisfit };

interface Props {
  plan: Plan;
  heading: string;
  applyLabel: string;
  /** What the other button says: back to editing (a change), or keep the module (a delete). */
  cancelLabel?: string;
  testid: string;
  /** Per field (new name): the admin's answer to values that do not fit. */
  onMisfit?: Readonly<Record<string, OnMisfit>>;
  onMisfitChange?: (field: string, what: OnMisfit) => void;
  /** The fields' defaults in the new definition: "use the default" is offered where there is one. */
  defaults?: Readonly<Record<string, unknown>>;
  /** A new dry run is under way (after an answer changed). */
  checking: boolean;
  busy: boolean;
  onApply: () => void;
  onCancel: () => void;
}

/** The plan a refusal carries (409 `confirmation_required`, `misfits`, `stale_definition`), if any. */
export const refusedPlan = (err: unknown): Plan | undefined =>
  err instanceof StratumError && typeof err.info.plan === 'object' && err.info.plan !== null ? (err.info.plan as Plan) : undefined;

const ANSWERS: readonly OnMisfit[] = ['refuse', 'null', 'default'];

/** A step whose values that do not fit can be emptied or defaulted (`onMisfit`); a new required field or a new unique key cannot. */
const answerableStep = (s: PlanStep): boolean => !!s.field && (s.misfits > 0 || (s.onMisfit !== undefined && s.onMisfit !== 'refuse')) && ['convert', 'narrow', 'tighten'].includes(s.kind);

export function ChangePreview({ plan, heading, applyLabel, cancelLabel = t('change.back'), testid, onMisfit = {}, onMisfitChange, defaults = {}, checking, busy, onApply, onCancel }: Props) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.scrollIntoView?.({ block: 'nearest' }), []);
  const loses = plan.steps.some((s) => !s.keepsData);
  // Values refused that a step's answer can take care of are said once, in words; other blockers as the server says them.
  const answerable = new Set(plan.steps.filter((s) => answerableStep(s) && onMisfitChange).map((s) => `/properties/${s.field}`));
  const refused = plan.blockers.some((b) => b.code === 'misfits' && answerable.has(b.path));
  const blockers = plan.blockers.filter((b) => !(b.code === 'misfits' && answerable.has(b.path)));
  return html`<section class="panel change-preview" data-testid=${testid} ref=${ref} aria-labelledby=${`${testid}-heading`} aria-busy=${checking}>
    <h2 class="designer-heading" id=${`${testid}-heading`}>${heading}</h2>
    ${plan.steps.length === 0
      ? html`<p data-testid="change-none">${t('change.none')}</p>`
      : html`<ol class="change-steps">${plan.steps.map((s) => html`<${Step} step=${s} module=${plan.module} answer=${onMisfit[s.field ?? '']} onAnswer=${onMisfitChange} defaults=${defaults} disabled=${checking || busy} />`)}</ol>`}
    ${blockers.length > 0 && html`<${Alert} testid="change-blockers"><p>${t('change.blocked')}</p>
      <ul>${blockers.map((b) => html`<li>${b.message}${b.hint ? html` <span class="muted">(${b.hint})</span>` : ''}</li>`)}</ul></${Alert}>`}
    ${refused && html`<${Alert} kind="warning" testid="change-refused">${t('change.refused')}</${Alert}>`}
    ${plan.steps.length > 0 && (loses
      ? html`<${Alert} kind="warning" testid="change-loses">${t('change.losesSummary')}</${Alert}>`
      : html`<p class="muted" data-testid="change-keeps">${t('change.keepsSummary')}</p>`)}
    ${checking && html`<p class="loading" role="status">${t('change.checking')}</p>`}
    <div class="actions">
      <button type="button" class=${`button ${testid === 'delete-preview' ? 'button-danger' : 'button-primary'}`} onClick=${onApply}
        disabled=${busy || checking || !plan.applicable || plan.steps.length === 0}>${busy ? t('change.applying') : applyLabel}</button>
      <button type="button" class="button button-quiet" onClick=${onCancel} disabled=${busy}>${cancelLabel}</button>
    </div>
  </section>`;
}

interface StepProps {
  step: PlanStep;
  module: string;
  answer?: OnMisfit;
  onAnswer?: (field: string, what: OnMisfit) => void;
  defaults: Readonly<Record<string, unknown>>;
  disabled: boolean;
}

function Step({ step: s, module, answer, onAnswer, defaults, disabled }: StepProps) {
  const field = s.field ?? '';
  const hasDefault = defaults[field] !== undefined;
  const id = `misfit-${s.kind}-${field}`;
  return html`<li class=${`change-step${s.keepsData ? '' : ' change-loses'}`} data-testid="change-step" data-kind=${s.kind} data-field=${field || undefined}>
    <p class="change-words"><span data-testid="change-words">${stepWords(s, module)}</span>
      ${!s.keepsData && html` <span class="badge badge-danger">${t('change.loses')}</span>`}</p>
    ${s.examples.length > 0 && html`<details class="change-examples" open>
      <summary>${t('change.examples', { shown: s.examples.length, n: s.misfits })}</summary>
      <ul data-testid="misfit-examples">${s.examples.map((m) => html`<li>
        <a href=${`/m/${module}/${m.id}`} data-testid="misfit-link">#${m.id}</a> <span class="mono">${t('change.misfitValue', { value: valueWords(m.value) })}</span>
        ${misfitWords(m) && html` <span class="muted" data-testid="misfit-reason">— ${misfitWords(m)}</span>`}
      </li>`)}</ul>
    </details>`}
    ${answerableStep(s) && onAnswer && html`<div class="field change-answer">
      <label class="label" for=${id}>${t('change.onMisfit')}</label>
      <select id=${id} data-testid="on-misfit" value=${answer ?? 'refuse'} disabled=${disabled}
        onChange=${(e: Event) => onAnswer(field, (e.target as HTMLSelectElement).value as OnMisfit)}>
        ${ANSWERS.map((a) => html`<option value=${a} disabled=${a === 'default' && !hasDefault}>${
          a === 'default' ? (hasDefault ? t('onMisfit.default', { value: valueWords(defaults[field]) }) : t('onMisfit.noDefault')) : t(`onMisfit.${a}`)}</option>`)}
      </select>
    </div>`}
    ${s.affects.length > 0 && html`<div class="change-affects"><span class="muted">${t('change.affects')}</span>
      <ul>${s.affects.map((a) => html`<li data-testid="change-affect">${affectWords(a)}${a.id !== undefined && a.module
        ? html` <a href=${`/m/${a.module}/${a.id}`}>#${a.id}</a>` : ''}${currentLang() === 'en' && a.message ? html` <span class="muted">— ${a.message}</span>` : ''}</li>`)}</ul>
    </div>`}
    ${s.locks === 'writes' && html`<p class="hint">${t('change.locks')}</p>`}
  </li>`;
}

/** Why a value does not fit, in the reader's language: by its code, else the server's words (English). */
function misfitWords(m: { reason?: string; code?: string; params?: Record<string, string | number> }): string | undefined {
  const key = `misfit.${m.code ?? ''}`;
  if (m.code && m.code !== 'invalid' && key in EN) return t(key as Parameters<typeof t>[0], m.params ?? {});
  return m.reason;
}
