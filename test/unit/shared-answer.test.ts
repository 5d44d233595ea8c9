import { sharedAnswer } from '../../dashboard/shared-answer';

test('requests within the reuse period share one answer; a later one, or one after a failure, asks again', async () => {
  let now = 0;
  let made = 0;
  let fail = false;
  const answer = sharedAnswer(() => {
    made++;
    return fail ? Promise.reject(new Error('server down')) : Promise.resolve(made);
  }, 2000, () => now);
  expect(await Promise.all([answer(), answer(), answer()])).toEqual([1, 1, 1]);
  now = 1999;
  expect(await answer()).toBe(1);
  now = 2000;
  expect(await answer()).toBe(2);
  fail = true;
  now = 5000;
  await expect(answer()).rejects.toThrow('server down');
  fail = false;
  expect(await answer()).toBe(4);
});
