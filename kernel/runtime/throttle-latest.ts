/** An RxJS operator for live displays: at most one value per period, never losing the last. */
import { asyncScheduler, Observable, type OperatorFunction, type SchedulerLike } from "rxjs";
import type { Subscription } from "rxjs";

/**
 * Emits the first value at once, then at most one value per `periodMs`: the latest one seen in
 * the period. When the source completes, a value still held back is emitted at once (RxJS's
 * `throttleTime` would wait for the period to end), so a display always ends on the final state
 * before the cell's reply.
 */
export function throttleLatest<T>(
  periodMs: number,
  scheduler: SchedulerLike = asyncScheduler,
): OperatorFunction<T, T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      let held: { value: T } | undefined;
      let period: Subscription | undefined;
      const startPeriod = () => {
        period = scheduler.schedule(() => {
          period = undefined;
          if (held === undefined) return;
          const { value } = held;
          held = undefined;
          subscriber.next(value);
          startPeriod();
        }, periodMs);
      };
      const subscription = source.subscribe({
        next(value) {
          if (period !== undefined) {
            held = { value };
            return;
          }
          subscriber.next(value);
          startPeriod();
        },
        error(error: unknown) {
          period?.unsubscribe();
          subscriber.error(error);
        },
        complete() {
          period?.unsubscribe();
          if (held !== undefined) subscriber.next(held.value);
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        period?.unsubscribe();
      };
    });
}
