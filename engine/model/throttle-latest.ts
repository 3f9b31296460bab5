/**
 * Throttling for live displays: a few updates a second, never a stale last frame. RxJS's
 * `throttleTime` with `trailing` holds the final value back until the window closes, and emits
 * on the caller's stack; a display fed from the engine's events wants neither.
 */
import {
  asyncScheduler,
  Observable,
  type MonoTypeOperatorFunction,
  type SchedulerLike,
  type Subscription,
} from "rxjs";

/**
 * Emits the latest value at most once per `interval` ms: the first value at once (leading),
 * later ones when each window closes (trailing), and the last one as soon as the source
 * completes. Every emission is scheduled on `scheduler`, never on the source's call stack, so
 * a slow subscriber cannot hold up whatever emits the values.
 */
export function throttleLatest<T>(
  interval: number,
  scheduler: SchedulerLike = asyncScheduler,
): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      let latest: T | undefined;
      let pending = false;
      let timer: Subscription | undefined;

      const emit = (): void => {
        if (!pending) return;
        pending = false;
        subscriber.next(latest as T);
      };
      // A window opens with each emission; what arrives meanwhile goes out when it closes.
      const endWindow = (): void => {
        if (!pending) {
          timer = undefined;
          return;
        }
        emit();
        timer = scheduler.schedule(endWindow, interval);
      };

      const subscription = source.subscribe({
        next: (value) => {
          latest = value;
          pending = true;
          if (timer !== undefined) return;
          timer = scheduler.schedule(() => {
            emit();
            timer = scheduler.schedule(endWindow, interval);
          });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          timer?.unsubscribe();
          timer = scheduler.schedule(() => {
            emit();
            subscriber.complete();
          });
        },
      });
      return () => {
        timer?.unsubscribe();
        subscription.unsubscribe();
      };
    });
}
