/**
 * The AsyncLocalStorage that carries each running flow's and in-process task's context, kept
 * apart from the public types so they do not depend on Node's type declarations.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { FlowContext } from "./flow-context.js";

/** The context of each running flow and in-process task. */
export const flowStorage = new AsyncLocalStorage<FlowContext>();
