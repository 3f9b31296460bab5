/** One render at a time, always ending on the latest request. */
import { from, Observable, type ObservableInput, type OperatorFunction } from "rxjs";

/**
 * Maps each value through `project`, one call at a time. A value that arrives while a call
 * runs waits; a newer one replaces it (skipped renders are never stale ones). When the
 * source completes, the waiting value still runs, then the output completes. Like
 * `exhaustMap`, but it never drops the last value.
 */
export function exhaustLatest<T, R>(
  project: (value: T) => ObservableInput<R>,
): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      let busy = false;
      let waiting: { readonly value: T } | undefined;
      let sourceDone = false;
      let inner: { unsubscribe(): void } | undefined;

      const start = (value: T): void => {
        busy = true;
        let input: ObservableInput<R>;
        try {
          input = project(value);
        } catch (error) {
          subscriber.error(error);
          return;
        }
        inner = from(input).subscribe({
          next: (result) => subscriber.next(result),
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            busy = false;
            inner = undefined;
            const next = waiting;
            waiting = undefined;
            if (next !== undefined) start(next.value);
            else if (sourceDone) subscriber.complete();
          },
        });
      };

      const outer = source.subscribe({
        next: (value) => {
          if (busy) waiting = { value };
          else start(value);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          sourceDone = true;
          if (!busy) subscriber.complete();
        },
      });
      return () => {
        inner?.unsubscribe();
        outer.unsubscribe();
      };
    });
}
