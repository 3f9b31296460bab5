/**
 * The queue of submitted runs. A daemon claims the oldest run nobody alive runs (a new
 * submission, or one whose daemon died), runs it, and the run's own state says when it is done.
 * A small interface so a queue on another service (BullMQ on Redis or PostgreSQL) is an addition.
 */
import type { DataNode } from "../model/data-node.js";
import type { FlowReference } from "./submission.js";

/** The states of a submitted run that has not ended: waiting for a daemon, or run by one. */
export const OPEN_RUN_STATES = ["CREATED", "RUNNING", "WAITING"] as const;

/** Who runs a claimed run: a daemon process on a host. */
export interface Claimant {
  readonly pid: number;
  readonly host: string;
}

/** A run to submit. */
export interface Submission {
  readonly name: string;
  readonly flow: FlowReference;
  readonly inputs: ReadonlyMap<string, DataNode>;
  readonly maxConcurrency?: number;
}

/** A claimed run: its pk, and whether an earlier daemon had started it already. */
export interface Claim {
  readonly pk: number;
  readonly recovered: boolean;
}

/** Where submitted runs wait for a daemon. */
export interface RunQueue {
  /** Stores the run (CREATED, with its flow reference and inputs) and queues it; returns its pk. */
  enqueue(submission: Submission): { pk: number; uuid: string };
  /** Takes the oldest run that no living daemon runs, for `claimant`. */
  claim(claimant: Claimant): Claim | undefined;
  /** The unfinished submitted runs: waiting for a daemon, or run by one. */
  unfinished(): { readonly queued: readonly number[]; readonly running: readonly number[] };
  /** Told when a claimed run has ended (a broker's queue then completes its job). */
  ended?(pk: number, state: string): void;
}
