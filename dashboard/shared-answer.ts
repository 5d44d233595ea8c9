/**
 * One answer shared by every request that asks within `reuseMs` of it (and by those that ask while
 * it is being made): many people looking at the overview at once cost the server one set of
 * visibility queries, which the server limits per second.
 */
export function sharedAnswer<T>(make: () => Promise<T>, reuseMs: number, clock: () => number = Date.now): () => Promise<T> {
  let current: { promise: Promise<T>; at: number } | undefined;
  return () => {
    const now = clock();
    if (current && now - current.at < reuseMs) return current.promise;
    const promise = make();
    current = { promise, at: now };
    // A failure is not kept: the next request asks again.
    promise.catch(() => {
      if (current?.promise === promise) current = undefined;
    });
    return promise;
  };
}
