/**
 * A result stream on the PostgreSQL broker, read while entries commit out of order: an entry
 * whose id was taken first but which committed after a later one is still heard. No read-back
 * here: only the stream's reader can hear a result.
 */
import pg from "pg";
import { expect, it } from "vitest";
import { openBroker } from "../../engine/durable/broker/broker-connection.js";
import { ResultInbox, ResultOutbox, resultsIn } from "../../engine/durable/broker/job-results.js";
import { encodeValue } from "../../engine/durable/broker/job-wire.js";
import { BrokerBackendShapeError } from "../../engine/durable/broker/broker-errors.js";
import {
  notifyEachEntry,
  entryChannel,
} from "../../engine/durable/broker/postgres-entry-notify.js";
import { readEveryEvent } from "../../engine/durable/broker/postgres-event-reads.js";
import { waitOnNotifiesOnly } from "../../engine/durable/broker/postgres-job-waits.js";
import { testBroker } from "../support/broker.js";
import { useCleanups } from "../support/cleanups.js";
import { waitFor } from "../support/wait-for.js";

const cleanup = useCleanups();

const result = (value: number) => ({ ok: true as const, value: encodeValue(value), output: [] });

it("an entry committed after a later one is heard", async () => {
  const space = await testBroker("postgresql");
  cleanup(() => space.dispose());
  const broker = openBroker(space);
  const heard: string[] = [];
  const inbox = new ResultInbox(broker, "order", (results) => {
    for (const [jobId] of results) heard.push(jobId);
  });
  cleanup(() => inbox.close());
  await inbox.ready();
  const outbox = new ResultOutbox(broker);
  cleanup(() => outbox.close());
  // the stream exists (the broker's schema too) once a first result is heard
  await outbox.send(inbox.name, "job-0", result(0));
  await waitFor("the first result", () => heard.includes("job-0"));

  // a publisher whose entry takes its id now and commits last, as a worker held up would
  const late = new pg.Client({ connectionString: space.url });
  await late.connect();
  cleanup(() => late.end());
  await late.query(`SET search_path TO "${space.prefix}"`);
  await late.query("BEGIN");
  // as a producer publishes (postgres-entry-notify.ts): the entry, and its notification
  const fields = { batch: JSON.stringify([["job-1", result(1)]]) };
  const body = JSON.stringify(["results", fields]);
  await late.query(
    `SELECT pg_notify($3, id::text || ' ' || $4) FROM publish_event($1, 'results', $2::jsonb) AS id`,
    [inbox.name, JSON.stringify(fields), entryChannel(space.prefix, inbox.name), body],
  );
  await outbox.send(inbox.name, "job-2", result(2));
  await waitFor("the later entry", () => heard.includes("job-2"));
  await late.query("COMMIT");
  await waitFor("the entry committed last", () => heard.includes("job-1"));
  expect(heard).toEqual(["job-0", "job-2", "job-1"]);
}, 120_000);

it("a stream longer than a page, read from its start, gives every entry", async () => {
  const space = await testBroker("postgresql");
  cleanup(() => space.dispose());
  const broker = openBroker(space);
  const outbox = new ResultOutbox(broker);
  cleanup(() => outbox.close());
  const stream = "results-backlog";
  // one entry each: every send waits for the one before it to be out
  const ids = Array.from({ length: 450 }, (_, i) => `job-${i}`);
  for (const [i, id] of ids.entries()) await outbox.send(stream, id, result(i));
  const found = await resultsIn(broker, stream, new Set(ids));
  expect([...found.keys()].sort()).toEqual([...ids].sort());
}, 120_000);

it("a stream is trimmed to its length as BullMQ trims it, its newest entries kept", async () => {
  const space = await testBroker("postgresql");
  cleanup(() => space.dispose());
  const broker = openBroker(space);
  const outbox = new ResultOutbox(broker);
  cleanup(() => outbox.close());
  const stream = "results-trimmed";
  // the first entry makes the broker's schema; then the stream's length, as BullMQ stores it
  await outbox.send(stream, "job-0", result(0));
  const client = new pg.Client({ connectionString: space.url });
  await client.connect();
  cleanup(() => client.end());
  await client.query(
    `INSERT INTO "${space.prefix}".meta (queue, field, value) VALUES ($1, 'opts.maxLenEvents', '100')`,
    [stream],
  );
  for (let i = 1; i < 600; i++) await outbox.send(stream, `job-${i}`, result(i));
  const { rows } = await client.query<{ n: number; newest: string }>(
    `SELECT count(*)::int AS n, max(data->>'batch') FILTER (WHERE id = (SELECT max(id)
       FROM "${space.prefix}".event WHERE queue = $1)) AS newest
     FROM "${space.prefix}".event WHERE queue = $1`,
    [stream],
  );
  // trimmed when an id is a multiple of 256: at most 256 entries past the length
  expect(rows[0]!.n).toBeGreaterThanOrEqual(100);
  expect(rows[0]!.n).toBeLessThanOrEqual(100 + 256);
  expect(rows[0]!.newest).toContain('"job-599"');
}, 120_000);

it("a PostgreSQL backend of another shape than BullMQ 6's is refused, naming what it lacks", () => {
  const other = { query: () => Promise.resolve({ rows: [] }), connection: {} };
  expect(() => notifyEachEntry(other)).toThrow(BrokerBackendShapeError);
  expect(() => notifyEachEntry(other)).toThrow(/no publishEvent\(\).*BullMQ 6/);
  expect(() => readEveryEvent(other)).toThrow(/no ensureListeningEvents\(\)/);
  expect(() => waitOnNotifiesOnly(other)).toThrow(/no NOTIFY_CHANNEL/);
});
