/**
 * What clients and the daemon say to each other over the profile's local socket: one JSON
 * object per line. Requests carry an `id`; every answer and followed event carries it back.
 */
import { z } from "zod";
import type { EngineEvent } from "../model/events.js";

/** A run command a client may send. */
export const CONTROL_ACTIONS = ["pause", "play", "kill"] as const;

/** One of {@link CONTROL_ACTIONS}. */
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

/** A request from a client. */
export const requestSchema = z.discriminatedUnion("op", [
  z.object({ id: z.number(), op: z.literal("status") }),
  z.object({ id: z.number(), op: z.literal("wake") }),
  z.object({ id: z.number(), op: z.literal("stop") }),
  z.object({
    id: z.number(),
    op: z.literal("control"),
    pk: z.number().int().positive(),
    action: z.enum(CONTROL_ACTIONS),
  }),
  z.object({ id: z.number(), op: z.literal("follow"), pk: z.number().int().positive() }),
]);

/** A request from a client. */
export type Request = z.infer<typeof requestSchema>;

/** What a running daemon says about itself. */
export interface DaemonStatus {
  readonly pid: number;
  readonly profile: string;
  readonly workers: number;
  readonly startedAt: number;
  readonly queued: readonly number[];
  readonly running: readonly number[];
}

/** A message from the daemon: an answer, a followed run's event, or the end of a follow. */
export type Reply =
  | { readonly id: number; readonly ok: true; readonly status?: DaemonStatus }
  | { readonly id: number; readonly ok: false; readonly error: string }
  | { readonly id: number; readonly event: EngineEvent }
  | { readonly id: number; readonly end: true; readonly state: string };
