import { FREE_FAILURES, SignInThrottle } from '../../dashboard/sign-in-throttle';

describe('failed sign-ins slow the next ones down', () => {
  let now = 0;
  const throttle = () => new SignInThrottle(() => now);
  beforeEach(() => { now = 1_000_000; });

  test('a few failures cost nothing; after them each wait doubles, for the name and for the address', () => {
    const t = throttle();
    for (let i = 0; i < FREE_FAILURES; i++) t.failed('Amina', '10.0.0.1');
    expect(t.waitFor('Amina', '10.0.0.1')).toBe(0);
    t.failed('amina ', '10.0.0.1');
    expect(t.waitFor('AMINA', '10.0.0.2')).toBe(1000);
    // Another name from the same address waits as long.
    expect(t.waitFor('Victor', '10.0.0.1')).toBe(1000);
    expect(t.waitFor('Victor', '10.0.0.2')).toBe(0);
    now += 1000;
    expect(t.waitFor('Amina', '10.0.0.1')).toBe(0);
    t.failed('Amina', '10.0.0.3');
    // The name's seventh failure, from a new address: the name waits twice as long, the address not at all.
    expect(t.waitFor('Amina', '10.0.0.4')).toBe(2000);
    expect(t.waitFor('Victor', '10.0.0.3')).toBe(0);
  });

  test('the wait never exceeds a quarter of an hour, and a success clears both counts', () => {
    const t = throttle();
    for (let i = 0; i < 40; i++) t.failed('Amina', '10.0.0.1');
    expect(t.waitFor('Amina', '10.0.0.1')).toBe(15 * 60 * 1000);
    t.succeeded('Amina', '10.0.0.1');
    expect(t.waitFor('Amina', '10.0.0.1')).toBe(0);
    t.failed('Amina', '10.0.0.1');
    expect(t.waitFor('Amina', '10.0.0.1')).toBe(0);
  });
});
