/** The designers' pages (admins only; the API refuses the others anyway). */
import { html } from 'htm/preact';
import { ErrorPanel } from '../components/feedback.js';
import { t } from '../i18n.js';
import { match, type Location } from '../router.js';
import type { Session } from '../session.js';
import { ModuleDesigner } from './module-designer.js';
import { ModulesPage } from './modules-page.js';
import { ModuleTrash } from './module-trash.js';
import { RuleDesigner } from './rule-designer.js';
import { RulesPage } from './rules-page.js';

export const DESIGNER_LINKS = [
  { href: '/admin/modules', label: () => t('designer.modules'), testid: 'menu-module-designer' },
  { href: '/admin/rules', label: () => t('designer.rules'), testid: 'menu-rule-designer' },
] as const;

export function designerPage(session: Session, { path }: Location) {
  if (!session.me.isAdmin) return html`<${ErrorPanel} message=${t('error.notFound')} />`;
  let p: Record<string, string> | undefined;
  if (match('/admin/modules', path)) return html`<${ModulesPage} />`;
  if (match('/admin/modules/new', path)) return html`<${ModuleDesigner} key="new" />`;
  if (match('/admin/modules/trash', path)) return html`<${ModuleTrash} />`;
  if ((p = match('/admin/modules/:name', path))) return html`<${ModuleDesigner} key=${p.name} name=${p.name} />`;
  if (match('/admin/rules', path)) return html`<${RulesPage} session=${session} />`;
  if (match('/admin/rules/new', path)) return html`<${RuleDesigner} key="new" session=${session} />`;
  if ((p = match('/admin/rules/:id', path))) return html`<${RuleDesigner} key=${p.id} session=${session} id=${Number(p.id)} />`;
  return html`<${ErrorPanel} message=${`No page at ${path}`} />`;
}
