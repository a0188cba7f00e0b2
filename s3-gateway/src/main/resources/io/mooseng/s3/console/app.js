// Sign-in, navigation and page switching. The key pair lives in this tab's sessionStorage only.
import {S3Api} from './s3api.js';
import {PAGES} from './pages.js';

const STORE = 'mooseng-console-keys';
const $ = id => document.getElementById(id);
let session = null;
let stopPage = null;

async function signIn(creds) {
  const api = new S3Api(creds);
  await api.listBuckets(); // the key pair works
  let admin = true;
  try {
    await api.admin('GET', '/', 'status');
  } catch (e) {
    if (e.code !== 'AccessDenied') throw e;
    admin = false;
  }
  session = {api, admin};
  sessionStorage.setItem(STORE, JSON.stringify(creds));
  $('signin').hidden = true;
  $('nav').hidden = false;
  $('signout').hidden = false;
  $('who').textContent = `${creds.accessKey}${admin ? ' (administrator)' : ''}`;
  for (const a of document.querySelectorAll('nav a[data-admin]')) a.hidden = !admin;
  show();
}

function show() {
  if (!session) return;
  if (stopPage) stopPage();
  stopPage = null;
  let name = location.hash.slice(1).split('/')[0] || (session.admin ? 'overview' : 'browser');
  if (!PAGES[name] || (name !== 'browser' && !session.admin)) name = 'browser';
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.getAttribute('href') === '#' + name);
  const page = $('page');
  page.replaceChildren();
  page.dataset.page = name;
  stopPage = PAGES[name](page, session.api, decodeURIComponent(location.hash.slice(1 + name.length + 1)));
}

$('signin').addEventListener('submit', async event => {
  event.preventDefault();
  const form = new FormData(event.target);
  $('signin-error').textContent = '';
  try {
    await signIn({accessKey: form.get('accessKey').trim(), secretKey: form.get('secretKey').trim(), region: form.get('region').trim()});
  } catch (e) {
    $('signin-error').textContent = `Sign-in failed: ${e.message}`;
  }
});

$('signout').addEventListener('click', () => {
  sessionStorage.removeItem(STORE);
  location.hash = '';
  location.reload();
});

window.addEventListener('hashchange', show);

const saved = sessionStorage.getItem(STORE);
if (saved) {
  signIn(JSON.parse(saved)).catch(() => { $('signin').hidden = false; });
} else {
  $('signin').hidden = false;
}
