/**
 * The console in the browser: reads `config.json` beside the page, signs the user in where the
 * config asks for it (Cognito), then renders the page the location hash names, with every API
 * call signed with SigV4. A page is rendered whole from its reads; `body[data-state]` says
 * `loading`, `ready` or `error`.
 */
import { signingFetch } from '../../client/signing-fetch';
import { CONSOLE_CONFIG_FILE, type ConsoleConfig, parseConsoleConfig } from '../../contracts/console-config';
import { ApiError, type ConsoleClient, consoleClient } from './api';
import { CognitoSession, NewPasswordRequired } from './auth/cognito';
import { escapeHtml } from './html';
import { matchHash, SECTIONS } from './routes';

const main = () => document.querySelector('main')!;

async function start(): Promise<void> {
  let config: ConsoleConfig;
  try {
    const res = await fetch(CONSOLE_CONFIG_FILE, { cache: 'no-store' });
    if (!res.ok) throw new Error(`${CONSOLE_CONFIG_FILE}: HTTP ${res.status}`);
    config = parseConsoleConfig(await res.json());
  } catch (err) {
    return fail(err);
  }
  let credentials = async () =>
    (config.auth as Extract<ConsoleConfig['auth'], { kind: 'local' }>).credentials;
  if (config.auth.kind === 'cognito') {
    const session = new CognitoSession(config.auth, (url, init) => fetch(url, init), sessionStorage);
    const ready = await signIn(session, config.auth.domain !== undefined);
    if (!ready) return;
    credentials = session.credentials;
    renderSignOut(session);
  }
  const client = consoleClient(config.apiUrl, signingFetch({ region: config.region, credentials }));
  renderNav();
  document.addEventListener('submit', onSubmit);
  window.addEventListener('hashchange', () => void show(client));
  await show(client);
}

function renderNav(): void {
  document.querySelector('nav.sections')!.innerHTML = SECTIONS.map(
    ([id, label]) => `<a href="#/${id}" data-section="${id}">${escapeHtml(label)}</a>`,
  ).join('');
}

let shown = 0;

async function show(client: ConsoleClient): Promise<void> {
  const call = ++shown;
  const route = matchHash(location.hash);
  document.body.dataset.state = 'loading';
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav.sections a'))
    a.classList.toggle('active', a.dataset.section === route?.section);
  if (!route) return fail(new Error(`no page at ${location.hash}`));
  document.body.dataset.page = route.section;
  try {
    const page = await route.render({ client, params: route.params, query: route.query });
    // A later navigation won: its page is the one to show.
    if (call !== shown) return;
    main().innerHTML = page.text;
    document.body.dataset.state = 'ready';
    window.scrollTo(0, 0);
  } catch (err) {
    if (call === shown) fail(err);
  }
}

/** `<form data-go="#/deployments/{model}">`: opens the hash with each `{field}` filled in. */
function onSubmit(event: SubmitEvent): void {
  const form = event.target as HTMLFormElement;
  const target = form.dataset.go;
  if (!target) return;
  event.preventDefault();
  const data = new FormData(form);
  location.hash = target.replace(/\{(\w+)\}/g, (_, field: string) =>
    encodeURIComponent(String(data.get(field) ?? '').trim()),
  );
}

function fail(err: unknown): void {
  const text =
    err instanceof ApiError
      ? `${err.code} (${err.status}): ${err.message}`
      : err instanceof Error
        ? err.message
        : String(err);
  main().innerHTML = `<p class="error">${escapeHtml(text)}</p>`;
  document.body.dataset.state = 'error';
}

/** True once signed in; otherwise shows the sign-in (or leaves for the hosted UI) and returns false. */
async function signIn(session: CognitoSession, hostedUi: boolean): Promise<boolean> {
  const redirectUri = `${location.origin}${location.pathname}`;
  const code = new URLSearchParams(location.search).get('code');
  if (code) {
    try {
      await session.completeHostedUi(code, redirectUri);
    } catch (err) {
      fail(err);
      return false;
    }
    history.replaceState(null, '', `${location.pathname}${location.hash}`);
  }
  if (session.signedIn) return true;
  if (hostedUi) {
    location.assign(await session.hostedUiUrl(redirectUri));
    return false;
  }
  renderPasswordForm(session);
  return false;
}

function renderPasswordForm(
  session: CognitoSession,
  challenge?: { username: string; session: string },
): void {
  main().innerHTML = `<form class="sign-in"><h1>Sign in</h1>
    ${challenge ? '<p>Choose a new password.</p>' : '<label>User name <input name="username" autocomplete="username" required></label>'}
    <label>${challenge ? 'New password' : 'Password'} <input name="password" type="password" autocomplete="${challenge ? 'new-password' : 'current-password'}" required></label>
    <button type="submit">Sign in</button><p class="error" hidden></p></form>`;
  document.body.dataset.state = 'sign-in';
  const form = main().querySelector('form')!;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const password = String(data.get('password'));
    try {
      if (challenge) await session.completeNewPassword(challenge.username, password, challenge.session);
      else await session.signInWithPassword(String(data.get('username')), password);
      location.reload();
    } catch (err) {
      if (err instanceof NewPasswordRequired) {
        return renderPasswordForm(session, { username: String(data.get('username')), session: err.session });
      }
      const line = form.querySelector<HTMLElement>('.error')!;
      line.hidden = false;
      line.textContent = err instanceof Error ? err.message : String(err);
    }
  });
}

function renderSignOut(session: CognitoSession): void {
  const button = document.querySelector<HTMLButtonElement>('button.sign-out')!;
  button.hidden = false;
  button.addEventListener('click', () => {
    session.signOut();
    location.reload();
  });
}

void start();
