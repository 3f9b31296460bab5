/**
 * The ZeroMQ side of the kernel: shell, control and stdin are ROUTER sockets, iopub is PUB and
 * the heartbeat is a REP socket that echoes. It moves frames only; what they mean is decided
 * elsewhere, which keeps the protocol handler testable without sockets.
 */
import * as zmq from "zeromq";
import { endpoint, type ConnectionInfo } from "./connection.js";
import type { FrameSender, SendChannel } from "./session.js";

/** The channels requests arrive on. */
export type ReceiveChannel = "shell" | "control" | "stdin";

/** Called with the frames of every incoming message. */
export type FrameReceiver = (channel: ReceiveChannel, frames: Buffer[]) => void;

/** As a {@link FrameReceiver}, but a socket's next message waits for the promise it returns. */
export type FrameHandler = (channel: ReceiveChannel, frames: Buffer[]) => void | Promise<void>;

/** Bound sockets. */
export interface Transport {
  readonly send: FrameSender;
  /** Waits for queued sends, then closes every socket, giving messages `lingerMs` to leave. */
  close(lingerMs?: number): Promise<void>;
}

/** Binds the five sockets of `info` and starts receiving. */
export async function createZmqTransport(
  info: ConnectionInfo,
  receive: FrameHandler,
  onError: (channel: string, error: unknown) => void,
): Promise<Transport> {
  const routers: Record<ReceiveChannel, zmq.Router> = {
    shell: new zmq.Router(),
    control: new zmq.Router(),
    stdin: new zmq.Router(),
  };
  const iopub = new zmq.Publisher();
  const heartbeat = new zmq.Reply();
  const sockets: Record<SendChannel, zmq.Router | zmq.Publisher> = { ...routers, iopub };
  await Promise.all([
    ...Object.entries(routers).map(([name, s]) => s.bind(endpoint(info, name as ReceiveChannel))),
    iopub.bind(endpoint(info, "iopub")),
    heartbeat.bind(endpoint(info, "hb")),
  ]);
  for (const [name, socket] of Object.entries(routers) as [ReceiveChannel, zmq.Router][]) {
    void receiveLoop(
      socket,
      (frames) => receive(name, frames),
      (e) => onError(name, e),
    );
  }
  void receiveLoop(
    heartbeat,
    (frames) => heartbeat.send(frames),
    (e) => onError("hb", e),
  );
  const queues = new Map<SendChannel, Promise<void>>();
  return {
    send(channel, frames) {
      // zeromq allows one pending send per socket: chain them, in order.
      const previous = queues.get(channel) ?? Promise.resolve();
      const next = previous
        .then(() => sockets[channel].send(frames))
        .catch((error: unknown) => onError(channel, error));
      queues.set(channel, next);
    },
    async close(lingerMs = 100) {
      await Promise.all(queues.values());
      for (const socket of [...Object.values(sockets), heartbeat]) {
        socket.linger = lingerMs;
        socket.close();
      }
    },
  };
}

async function receiveLoop(
  socket: zmq.Router | zmq.Reply,
  handle: (frames: Buffer[]) => unknown,
  onError: (error: unknown) => void,
): Promise<void> {
  try {
    for await (const frames of socket) await handle(frames);
  } catch (error) {
    // Closing a socket ends its loop with an error; anything else is worth a log line.
    if (!socket.closed) onError(error);
  }
}
