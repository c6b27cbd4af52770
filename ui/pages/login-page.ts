import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { api, messageOf, StratumError } from '../api.js';
import { Alert } from '../components/feedback.js';
import { t } from '../i18n.js';

export function LoginPage({ onLoggedIn }: { onLoggedIn: () => Promise<void> }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      await api.auth.login(String(form.get('username')), String(form.get('password')));
      await onLoggedIn();
    } catch (e) {
      setError(e instanceof StratumError && e.status === 401 ? t('login.failed') : messageOf(e));
      setBusy(false);
    }
  };
  return html`<div class="center">
    <form class="panel login" onSubmit=${submit} data-testid="login">
      <h1>${t('login.title')}</h1>
      ${error && html`<${Alert}>${error}</${Alert}>`}
      <label class="field"><span class="label">${t('login.username')}</span>
        <input name="username" autocomplete="username" required autofocus /></label>
      <label class="field"><span class="label">${t('login.password')}</span>
        <input name="password" type="password" autocomplete="current-password" required /></label>
      <button type="submit" class="button button-primary" disabled=${busy}>${t('login.submit')}</button>
    </form>
  </div>`;
}
