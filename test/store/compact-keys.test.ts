import { describe, expect, it } from "vitest";
import { storedCacheKey, storedUuid } from "../../engine/store/sqlite/compact-keys.js";

const uuid = "01a236e7-885d-7004-92b9-3f23783ccf16";
const key = `${"0123456789abcdef".repeat(2)}:${"fedcba9876543210".repeat(2)}`;

describe("uuids and cache keys as stored", () => {
  it("packs the engine's forms into the bytes their hex spells", () => {
    expect(storedUuid(uuid)).toEqual(Buffer.from(uuid.replaceAll("-", ""), "hex"));
    expect(storedCacheKey(key)).toEqual(Buffer.from(key.replace(":", ""), "hex"));
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
    for (const text of others) expect(storedUuid(text)).toBe(text);
    for (const text of [key.toUpperCase(), key.replace(":", "-"), `${key}0`, "code:input"]) {
      expect(storedCacheKey(text)).toBe(text);
    }
  });
});
