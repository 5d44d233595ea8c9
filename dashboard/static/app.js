// The dashboard's one script: forms marked data-api are sent to the JSON API, with the session's
// CSRF token; a refusal is shown in the form's alert, its type and message as the API gave them.
'use strict';

function formBody(form) {
  const body = {};
  for (const element of form.elements) {
    if (!element.name || element.disabled) continue;
    if ((element.type === 'radio' || element.type === 'checkbox') && !element.checked) continue;
    if (element.value === '') continue;
    body[element.name] = element.dataset.type === 'boolean' ? element.value === 'true' : element.value;
  }
  return body;
}

async function submit(form) {
  const alert = form.querySelector('[role=alert]');
  const button = form.querySelector('button[type=submit]');
  const token = document.querySelector('meta[name=csrf-token]');
  const method = form.dataset.method || 'POST';
  if (alert) alert.textContent = '';
  if (button) button.disabled = true;
  try {
    const response = await fetch(form.dataset.api, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { 'x-csrf-token': token.content } : {}) },
      body: method === 'DELETE' ? undefined : JSON.stringify(formBody(form)),
      credentials: 'same-origin',
    });
    if (response.ok) {
      if (form.dataset.next) window.location.assign(form.dataset.next);
      else window.location.reload();
      return;
    }
    const answer = await response.json().catch(() => ({}));
    const error = answer.error || { type: String(response.status), message: response.statusText };
    if (alert) alert.textContent = `${error.type}: ${error.message}`;
  } catch (err) {
    if (alert) alert.textContent = String(err);
  } finally {
    if (button) button.disabled = false;
  }
}

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || !form.dataset.api) return;
  event.preventDefault();
  void submit(form);
});
