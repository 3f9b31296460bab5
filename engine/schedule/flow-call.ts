/** Calling a flow function inside its run's scope, whether it returns at once or later. */
import type { FlowScope } from "../author/flow-context.js";
import { flowStorage } from "../author/flow-storage.js";

/** What {@link callFlow} tells its run. */
export interface FlowCallHandlers {
  /** Just before the flow is called (the run moves to RUNNING; a throw here is `raised`). */
  readonly starting: () => void;
  /** The flow returned, or its promise resolved, with `value`. */
  readonly returned: (value: unknown) => void;
  /** The flow threw, its promise rejected, or `starting` threw. */
  readonly raised: (error: unknown) => void;
}

/** Calls `flow` with `args` in `scope`, so the tasks it calls are scheduled on that run. */
export function callFlow(
  scope: FlowScope,
  flow: (...args: never[]) => unknown,
  args: readonly unknown[],
  handlers: FlowCallHandlers,
): void {
  let returned: unknown;
  try {
    handlers.starting();
    returned = flowStorage.run({ scope }, flow, ...(args as never[]));
  } catch (error) {
    handlers.raised(error);
    return;
  }
  Promise.resolve(returned).then(handlers.returned, handlers.raised);
}
