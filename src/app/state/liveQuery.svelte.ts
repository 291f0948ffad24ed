import { liveQuery } from 'dexie';

/**
 * A Dexie live query as Svelte 5 state: re-runs when the tables it read change, in this tab or
 * another. Call during component initialisation (it uses $effect for the subscription).
 */
export function useLiveQuery<T>(query: () => Promise<T>, initial: T): { readonly current: T; readonly error: unknown } {
  let value = $state<T>(initial);
  let error = $state<unknown>(null);
  $effect(() => {
    const subscription = liveQuery(query).subscribe({
      next: (next) => {
        value = next;
        error = null;
      },
      error: (e: unknown) => (error = e),
    });
    return () => subscription.unsubscribe();
  });
  return {
    get current() {
      return value;
    },
    get error() {
      return error;
    },
  };
}
