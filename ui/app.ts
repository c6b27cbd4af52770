/** The app: who is logged in, which page the path names, and the language. */
import { html } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { api, loadMeta, messageOf, StratumError } from './api.js';
import { ErrorPanel, Loading } from './components/feedback.js';
import { Layout } from './components/layout.js';
import { currentLang, setLang, type Lang } from './i18n.js';
import { DetailPage } from './pages/detail-page.js';
import { FormPage } from './pages/form-page.js';
import { HomePage } from './pages/home-page.js';
import { ImportPage } from './pages/import-page.js';
import { ListPage } from './pages/list-page.js';
import { LoginPage } from './pages/login-page.js';
import { match, navigate, useLocation, type Location } from './router.js';
import { onUnauthenticated, SESSION_ENDED, type Session } from './session.js';
import { designerPage } from './designers/routes.js';
import { ChartPage } from './reports/chart-page.js';
import { META_CHANGED } from './designers/module-designer.js';
import { holds, pageAt, type FoundPage } from './plugins/manifest.js';
import { PluginPiece } from './plugins/load-piece.js';

export function App() {
  const location = useLocation();
  const [, setLangState] = useState<Lang>(currentLang());
  // undefined: not known yet; null: not logged in.
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [failure, setFailure] = useState<string>();

  const load = async () => {
    try {
      const [me, meta] = await Promise.all([api.auth.me(), loadMeta()]);
      setSession({ me, meta });
      setFailure(undefined);
    } catch (e) {
      if (e instanceof StratumError && e.status === 401) setSession(null);
      else setFailure(messageOf(e));
    }
  };
  useEffect(() => {
    void load();
    const ended = () => setSession(null);
    window.addEventListener(SESSION_ENDED, ended);
    return () => window.removeEventListener(SESSION_ENDED, ended);
  }, []);
  // Grants and modules change while the app is open: the menu follows on the next page.
  // A module applied in the designer: into the menu at once, without a reload.
  useEffect(() => {
    const reread = () => void loadMeta().then((meta) => setSession((s) => (s ? { ...s, meta } : s)), onUnauthenticated);
    window.addEventListener(META_CHANGED, reread);
    return () => window.removeEventListener(META_CHANGED, reread);
  }, []);
  useEffect(() => {
    if (session) void loadMeta().then((meta) => setSession((s) => (s ? { ...s, meta } : s)), onUnauthenticated);
  }, [location.path]);

  // A public page (a plugin's sign-up form) needs no session: no login redirect, no menu.
  const plugin = pageAt(location.path);
  const open = plugin?.page.public ? pluginPage(plugin, null, location) : undefined;
  const next = location.query.get('next');
  const safeNext = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  // Logged in on the login page: on to where they wanted to go. Logged out elsewhere: to the login, and back after it.
  const redirect = open ? undefined
    : session && location.path === '/login' ? safeNext
    : session === null && location.path !== '/login' ? `/login${location.path === '/' ? '' : `?next=${encodeURIComponent(location.path + window.location.search)}`}`
    : undefined;
  useEffect(() => {
    if (redirect) navigate(redirect, { replace: true });
  }, [redirect]);

  if (open) return open;
  if (failure) return html`<div class="center"><${ErrorPanel} message=${failure} onRetry=${load} /></div>`;
  if (session === undefined || redirect) return html`<div class="center"><${Loading} /></div>`;
  if (session === null) {
    // Once the session is known, the redirect above leads on to `next`.
    return html`<${LoginPage} onLoggedIn=${load} />`;
  }

  const onLang = (lang: Lang) => {
    setLang(lang);
    setLangState(lang);
  };
  const onLogout = async () => {
    await api.auth.logout().catch(() => undefined);
    setSession(null);
    navigate('/login', { replace: true });
  };
  return html`<${Layout} session=${session} path=${location.path} onLang=${onLang} onLogout=${onLogout}>
    ${plugin && !plugin.page.public ? pluginPage(plugin, session, location) : page(session, location)}
  </${Layout}>`;
}

/** A plugin's page, for those its definition lets in (the API refuses the others anyway). */
function pluginPage(found: FoundPage, session: Session | null, location: Location) {
  if (session && !holds(found.page.requires, session.me, session.meta)) return html`<${ErrorPanel} message=${`No page at ${location.path}`} />`;
  const key = `${found.plugin.plugin}:${location.path}`;
  return html`<${PluginPiece} key=${key} plugin=${found.plugin} component=${found.page.component} props=${{ session, params: found.params, location }} />`;
}

function page(session: Session, location: Location) {
  const { path } = location;
  if (path === '/' || path === '') return html`<${HomePage} session=${session} />`;
  if (path.startsWith('/admin/')) return designerPage(session, location);
  let p: Record<string, string> | undefined;
  if ((p = match('/m/:module', path))) return html`<${ListPage} key=${p.module} session=${session} module=${p.module} location=${location} />`;
  if ((p = match('/m/:module/chart', path))) return html`<${ChartPage} key=${`${p.module}/chart`} session=${session} module=${p.module} location=${location} />`;
  if ((p = match('/m/:module/import', path))) return html`<${ImportPage} key=${`${p.module}/import`} session=${session} module=${p.module} />`;
  if ((p = match('/m/:module/new', path))) return html`<${FormPage} key=${`${p.module}/new`} session=${session} module=${p.module} location=${location} />`;
  if ((p = match('/m/:module/:id/edit', path))) return html`<${FormPage} key=${`${p.module}/${p.id}/edit`} session=${session} module=${p.module} id=${Number(p.id)} location=${location} />`;
  if ((p = match('/m/:module/:id', path))) return html`<${DetailPage} key=${`${p.module}/${p.id}`} session=${session} module=${p.module} id=${Number(p.id)} />`;
  return html`<${ErrorPanel} message=${`No page at ${path}`} />`;
}
