import { FREE_FAILURES, SignInThrottle } from '../../dashboard/sign-in-throttle';

describe('failed sign-ins slow the next ones down', () => {
  let now = 0;
  const throttle = () => new SignInThrottle(() => now);
  beforeEach(() => { now = 1_000_000; });

  test('a few failures cost nothing; after them each wait doubles, for the name and for the address', () => {
    const t = throttle();
    for (let i = 0; i < FREE_FAILURES; i++) t.attempted('Amina', '10.0.0.1');
    expect(t.waitFor('Amina', '10.0.0.1')).toBe(0);
    t.attempted('amina ', '10.0.0.1');
    expect(t.waitFor('AMINA', '10.0.0.2')).toBe(1000);
    // Another name from the same address waits as long.
    expect(t.waitFor('Victor', '10.0.0.1')).toBe(1000);
    expect(t.waitFor('Victor', '10.0.0.2')).toBe(0);
    now += 1000;
    expect(t.waitFor('Amina', '10.0.0.1')).toBe(0);
    t.attempted('Amina', '10.0.0.3');
    // The name's seventh failure, from a new address: the name waits twice as long, the address not at all.
    expect(t.waitFor('Amina', '10.0.0.4')).toBe(2000);
    expect(t.waitFor('Victor', '10.0.0.3')).toBe(0);
  });

  test('attempts made at once are counted as they arrive, before any is judged', () => {
    const t = throttle();
    const judged = Array.from({ length: 40 }, () => {
      if (t.waitFor('admin', '10.0.0.1') > 0) return false;
      t.attempted('admin', '10.0.0.1');
      return true;
    });
    expect(judged.filter(Boolean)).toHaveLength(FREE_FAILURES + 1);
  });

  test('the wait never exceeds a quarter of an hour; a success clears the name and takes back only its own attempt from the address', () => {
    const t = throttle();
    for (let i = 0; i < 40; i++) t.attempted('Amina', '10.0.0.1');
    expect(t.waitFor('Amina', '10.0.0.9')).toBe(15 * 60 * 1000);
    t.succeeded('Amina', '10.0.0.1');
    expect(t.waitFor('Amina', '10.0.0.9')).toBe(0);
    // The address still holds 39 failures: another name from it still waits.
    expect(t.waitFor('Victor', '10.0.0.1')).toBe(15 * 60 * 1000);

    const fresh = throttle();
    fresh.attempted('Amina', '10.0.0.1');
    fresh.succeeded('Amina', '10.0.0.1');
    for (let i = 0; i < FREE_FAILURES; i++) fresh.attempted('Victor', '10.0.0.1');
    expect(fresh.waitFor('Victor', '10.0.0.1')).toBe(0);
  });
});
