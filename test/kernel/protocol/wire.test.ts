import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSigner } from "../../../kernel/protocol/signer.js";
import { DELIMITER, decodeMessage, encodeMessage } from "../../../kernel/protocol/wire.js";
import { request } from "../support/messages.js";

const golden = JSON.parse(
  readFileSync(join(import.meta.dirname, "../fixtures/signed-by-jupyter-client.json"), "utf8"),
) as { key: string; frames: string[] };
const frames = golden.frames.map((f) => Buffer.from(f));
const signer = createSigner(golden.key);

describe("the wire format", () => {
  it("reads a message signed by jupyter_client", () => {
    const decoded = decodeMessage(frames, signer);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.message.identities.map(String)).toEqual(["client-identity"]);
    expect(decoded.message.header.msg_type).toBe("execute_request");
    expect(decoded.message.content).toEqual({ code: "1 + 1", silent: false });
  });

  it("signs the way jupyter_client does", () => {
    expect(signer.sign(frames.slice(3, 7))).toBe(golden.frames[2]);
  });

  it("round-trips a message with identities and buffers", () => {
    const message = {
      ...request("comm_msg", { data: { x: "é" } }),
      buffers: [Buffer.from([1, 2])],
    };
    const decoded = decodeMessage(encodeMessage(message, signer), signer);
    expect(decoded).toMatchObject({ ok: true, message: { content: { data: { x: "é" } } } });
    if (decoded.ok) expect(decoded.message.buffers).toEqual([Buffer.from([1, 2])]);
  });

  it("drops a message signed with another key, or not signed", () => {
    expect(decodeMessage(frames, createSigner("another key"))).toEqual({
      ok: false,
      reason: "bad signature",
    });
    const unsigned = frames.map((f, i) => (i === 2 ? Buffer.alloc(0) : f));
    expect(decodeMessage(unsigned, signer)).toEqual({ ok: false, reason: "missing signature" });
  });

  it("drops a message whose content was changed after signing", () => {
    const tampered = [...frames];
    tampered[6] = Buffer.from('{"code": "process.exit(1)", "silent": false}');
    expect(decodeMessage(tampered, signer)).toMatchObject({ ok: false, reason: "bad signature" });
  });

  it("checks the signature before it parses anything", () => {
    const garbage = [
      Buffer.from(DELIMITER),
      Buffer.from("00"),
      ...["{", "x", "y", "z"].map((s) => Buffer.from(s)),
    ];
    expect(decodeMessage(garbage, signer)).toMatchObject({ ok: false, reason: "bad signature" });
  });

  it("drops frames without a delimiter or with too few parts", () => {
    expect(decodeMessage([Buffer.from("hello")], signer)).toMatchObject({ ok: false });
    expect(decodeMessage([Buffer.from(DELIMITER), Buffer.from("x")], signer)).toMatchObject({
      ok: false,
    });
  });

  it("drops a correctly signed message whose header is malformed", () => {
    const parts = ['{"msg_type": 3}', "{}", "{}", "{}"].map((s) => Buffer.from(s));
    const signed = [Buffer.from(DELIMITER), Buffer.from(signer.sign(parts)), ...parts];
    expect(decodeMessage(signed, signer)).toMatchObject({ ok: false });
  });

  it("accepts only unsigned messages when the connection has no key", () => {
    const open = createSigner("");
    const message = encodeMessage(request("kernel_info_request"), open);
    expect(decodeMessage(message, open).ok).toBe(true);
    expect(decodeMessage(frames, open)).toMatchObject({ ok: false, reason: "bad signature" });
  });
});
