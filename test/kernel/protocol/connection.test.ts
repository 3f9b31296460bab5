import { describe, expect, it } from "vitest";
import { endpoint, parseConnectionInfo } from "../../../kernel/protocol/connection.js";

const file = {
  shell_port: 5001,
  iopub_port: 5002,
  stdin_port: 5003,
  control_port: 5004,
  hb_port: 5005,
  ip: "127.0.0.1",
  key: "abc",
  transport: "tcp",
  signature_scheme: "hmac-sha256",
  kernel_name: "workgraph",
};

describe("connection files", () => {
  it("parses what Jupyter writes and builds endpoints", () => {
    const info = parseConnectionInfo(JSON.stringify(file));
    expect(endpoint(info, "shell")).toBe("tcp://127.0.0.1:5001");
    expect(endpoint(info, "hb")).toBe("tcp://127.0.0.1:5005");
    expect(endpoint({ ...info, transport: "ipc", ip: "/tmp/k" }, "iopub")).toBe(
      "ipc:///tmp/k-5002",
    );
  });

  it("names what is wrong", () => {
    expect(() => parseConnectionInfo("{")).toThrow(/not JSON/);
    expect(() => parseConnectionInfo(JSON.stringify({ ...file, shell_port: "x" }))).toThrow(
      /shell_port/,
    );
    expect(() =>
      parseConnectionInfo(JSON.stringify({ ...file, signature_scheme: "rot13" })),
    ).toThrow(/signature_scheme/);
  });
});
