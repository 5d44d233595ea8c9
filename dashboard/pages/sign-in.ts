import { type Html, html } from './html';
import { layout, type PageContext } from './layout';

export function signInPage(context: PageContext, next: string): Html {
  const { words } = context;
  return layout(context, words.t('signIn'), html`<form class="sign-in" data-api="/api/session" data-next="${next}">
<label for="name">${words.t('name')}</label> <input id="name" name="name" autocomplete="username" required maxlength="200" autofocus>
<label for="password">${words.t('password')}</label> <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024">
<button type="submit">${words.t('signIn')}</button>
<p class="refusal" role="alert"></p>
</form>`);
}

export function messagePage(context: PageContext, title: string, message: string): Html {
  return layout(context, title, html`<p class="refusal" role="alert">${message}</p>`);
}
