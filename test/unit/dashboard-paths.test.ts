import { localPath } from '../../dashboard/pages/routes';

test('after sign-in the dashboard goes only to a path of its own', () => {
  expect(localPath('/cases?overdue=true')).toBe('/cases?overdue=true');
  expect(localPath('/cases/LA%2FCOD%2F2026%2F017')).toBe('/cases/LA%2FCOD%2F2026%2F017');
  for (const elsewhere of ['//evil.example/', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', 'https://evil.example/', 'javascript:alert(1)', '', undefined, ['/cases']]) {
    expect([elsewhere, localPath(elsewhere)]).toEqual([elsewhere, '/']);
  }
  // Still encoded, a tab stays in the path: the browser goes to /%09/evil.example on this site.
  const encoded = localPath('/%09/evil.example');
  expect(new URL(encoded, 'http://dashboard.test').origin).toBe('http://dashboard.test');
});
