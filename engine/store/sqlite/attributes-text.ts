/**
 * The `attributes` column of a task or run. The cache key is an attribute to the engine but
 * has its own indexed column, so it is not written twice: readers put it back.
 */
import { canonicalJson } from "../canonical-json.js";

/** The cache key among the attributes, if it is a string. */
export function cacheKeyOf(attributes: Readonly<Record<string, unknown>>): string | undefined {
  const key = attributes.cacheKey;
  return typeof key === "string" ? key : undefined;
}

// The engine hands every call of a task the same frozen attributes: their text is made once.
const frozenTexts = new WeakMap<object, string>();

/** The JSON text of the attributes, without the cache key (stored in its own column). */
export function attributesText(attributes: Readonly<Record<string, unknown>>): string {
  const frozen = Object.isFrozen(attributes);
  let text = frozen ? frozenTexts.get(attributes) : undefined;
  if (text === undefined) {
    const { cacheKey: _cacheKey, ...rest } = attributes;
    text = canonicalJson("cacheKey" in attributes ? rest : attributes);
    if (frozen) frozenTexts.set(attributes, text);
  }
  return text;
}
