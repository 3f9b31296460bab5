import { describe, expect, it } from "vitest";
import type { JupyterMessage } from "../../../kernel/protocol/message.js";
import { createReceiver } from "../../../kernel/protocol/receiver.js";
import { createSession } from "../../../kernel/protocol/session.js";
import { createSignatureHistory } from "../../../kernel/protocol/signature-history.js";
import { createSigner } from "../../../kernel/protocol/signer.js";
import { encodeMessage } from "../../../kernel/protocol/wire.js";
import { request } from "../support/messages.js";

describe("the receiver", () => {
  const signer = createSigner("the key");
  const setup = () => {
    const delivered: JupyterMessage[] = [];
    const log: string[] = [];
    const receive = createReceiver(
      signer,
      (_, m) => delivered.push(m),
      (l) => log.push(l),
    );
    return { delivered, log, receive };
  };

  it("delivers a correctly signed message", () => {
    const { delivered, receive } = setup();
    receive("shell", encodeMessage(request("execute_request", { code: "1" }), signer));
    expect(delivered.map((m) => m.content)).toEqual([{ code: "1" }]);
  });

  it("never delivers a wrongly signed message, and logs it", () => {
    const { delivered, log, receive } = setup();
    receive("shell", encodeMessage(request("execute_request"), createSigner("guess")));
    receive("control", encodeMessage(request("shutdown_request"), createSigner("")));
    expect(delivered).toEqual([]);
    expect(log).toEqual([
      "dropped a message on shell: bad signature",
      "dropped a message on control: missing signature",
    ]);
  });
});

describe("the session", () => {
  it("replies to the sender's identities with the request as parent", () => {
    const sent: { channel: string; frames: Buffer[] }[] = [];
    const session = createSession(
      createSigner("k"),
      (channel, frames) => sent.push({ channel, frames }),
      "s1",
    );
    const req = request("kernel_info_request");
    session.reply("shell", req, "kernel_info_reply", { status: "ok" });
    session.publish(req.header, "status", { execution_state: "idle" });
    const [reply, status] = sent;
    expect(reply?.channel).toBe("shell");
    expect(String(reply?.frames[0])).toBe("client");
    expect(JSON.parse(String(reply?.frames[4]))).toEqual(req.header);
    expect(JSON.parse(String(reply?.frames[3]))).toMatchObject({
      msg_type: "kernel_info_reply",
      session: "s1",
      version: "5.3",
    });
    expect(status?.channel).toBe("iopub");
    expect(String(status?.frames[0])).toBe("kernel.s1.status");
  });
});

describe("replayed messages", () => {
  const signer = createSigner("the key");

  it("runs a signed message once however often the same frames arrive", () => {
    const delivered: JupyterMessage[] = [];
    const log: string[] = [];
    const receive = createReceiver(
      signer,
      (_, m) => delivered.push(m),
      (l) => log.push(l),
    );
    const frames = encodeMessage(request("execute_request", { code: "n++" }), signer);
    for (let i = 0; i < 3; i++) receive("shell", frames);
    expect(delivered.map((m) => m.content)).toEqual([{ code: "n++" }]);
    expect(log).toEqual([
      "dropped a message on shell: duplicate signature (a message sent again is not run twice)",
      "dropped a message on shell: duplicate signature (a message sent again is not run twice)",
    ]);
    // A new message (new msg_id, so a new signature) still goes through.
    receive("shell", encodeMessage(request("execute_request", { code: "n++" }), signer));
    expect(delivered).toHaveLength(2);
  });

  it("remembers a bounded number of signatures, forgetting the oldest first", () => {
    const history = createSignatureHistory(3);
    expect(["a", "b", "c"].map((s) => history.remember(s))).toEqual([true, true, true]);
    expect(history.remember("b")).toBe(false);
    expect(history.remember("d")).toBe(true); // "a" is forgotten
    expect(history.remember("a")).toBe(true);
    expect(history.remember("c")).toBe(false);
  });
});
