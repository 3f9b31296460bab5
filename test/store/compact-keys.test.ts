import { describe, expect, it } from "vitest";
import {
  packUuidInto,
  storedCacheKey,
  storedUuid,
} from "../../engine/store/sqlite/compact-keys.js";

const uuid = "01a236e7-885d-7004-92b9-3f23783ccf16";
const key = `${"0123456789abcdef".repeat(2)}:${"fedcba9876543210".repeat(2)}`;

describe("uuids and cache keys as stored", () => {
  it("packs the engine's forms into the bytes their hex spells", () => {
    expect(storedUuid(uuid)).toEqual(Buffer.from(uuid.replaceAll("-", ""), "hex"));
    expect(storedCacheKey(key)).toEqual(Buffer.from(key.replace(":", ""), "hex"));
  });

  it("packs a batch's uuids one after another into one array", () => {
    const other = "01a236e7-885d-7004-92b9-3f23783ccf17";
    const packed = new Uint8Array(32);
    expect(packUuidInto(uuid, packed, 0)).toBe(true);
    expect(packUuidInto(other, packed, 16)).toBe(true);
    expect(Buffer.from(packed.subarray(0, 16))).toEqual(storedUuid(uuid));
    expect(Buffer.from(packed.subarray(16))).toEqual(storedUuid(other));
  });

  it("keeps any other text as it is", () => {
    const others = [
      uuid.toUpperCase(),
      uuid.slice(0, -1),
      `${uuid}0`,
      `${uuid.slice(0, 8)}x${uuid.slice(9)}`,
      `-${uuid.slice(1)}`,
      `${uuid.slice(0, -1)}g`,
      `${uuid.slice(0, -1)}\u0100`,
      `${uuid.slice(0, -1)}\uff10`,
      uuid.replaceAll("-", ""),
    ];
    for (const text of others) {
      expect(storedUuid(text)).toBe(text);
      expect(packUuidInto(text, new Uint8Array(32), 16)).toBe(false);
    }
    for (const text of [key.toUpperCase(), key.replace(":", "-"), `${key}0`, "code:input"]) {
      expect(storedCacheKey(text)).toBe(text);
    }
  });
});
