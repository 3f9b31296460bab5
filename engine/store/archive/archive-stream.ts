/**
 * Reads an archive file piece by piece: the root object's small fields whole, and each element
 * of its `nodes`, `links` and `reports` arrays one at a time, so an archive of any size is read
 * in bounded memory (one element, one chunk of the file). Any JSON layout is accepted, not only
 * the one-element-per-line layout exports write.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";

/** The arrays whose elements are read one at a time. */
export type ArchiveSection = "nodes" | "links" | "reports";

const SECTIONS: ReadonlySet<string> = new Set(["nodes", "links", "reports"]);

/** The largest element or field read, in characters: anything larger is refused. */
export const MAX_ELEMENT_CHARS = 64 * 1024 * 1024;

const CHUNK_BYTES = 1 << 20;

/** What the reader calls, in file order. */
export interface ArchiveVisitor {
  /** A field of the root object other than the three arrays (or one of them, not an array). */
  field(name: string, value: unknown): void;
  /** A section's array starts. */
  section(section: ArchiveSection): void;
  /** A section's array ended. */
  sectionEnd(section: ArchiveSection): void;
  /** The `index`-th element of a section, parsed. */
  element(section: ArchiveSection, index: number, value: unknown): void;
}

/** The file is not JSON, or not a JSON object; `detail` says where. */
export class ArchiveSyntaxError extends Error {
  override name = "ArchiveSyntaxError";
}

/** Reads `file` once, calling the visitor for each field and each element of the sections. */
export function readArchiveStream(file: string, visitor: ArchiveVisitor): void {
  const fd = openSync(file, "r");
  try {
    const scanner = new Scanner(visitor);
    const decoder = new StringDecoder("utf8");
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK_BYTES, null);
      if (read === 0) break;
      scanner.feed(decoder.write(buffer.subarray(0, read)));
    }
    scanner.feed(decoder.end());
    scanner.end();
  } finally {
    closeSync(fd);
  }
}

type Where = "start" | "key" | "colon" | "value" | "comma" | "element" | "afterElement" | "done";

/** A resumable scanner of the root object: finds where each value starts and ends. */
class Scanner {
  #text = "";
  #pos = 0;
  /** Characters of the file before `#text`, for messages. */
  #offset = 0;
  #where: Where = "start";
  #key = "";
  #section: ArchiveSection | undefined;
  #index = 0;
  /** The value being read: where it starts in `#text`, and the scan state inside it. */
  #start = -1;
  #depth = 0;
  #inString = false;

  constructor(private readonly visitor: ArchiveVisitor) {}

  feed(chunk: string): void {
    const keep = this.#start >= 0 ? this.#start : this.#pos;
    this.#offset += keep;
    this.#text = this.#text.slice(keep) + chunk;
    this.#pos -= keep;
    if (this.#start >= 0) this.#start = 0;
    this.#scan();
    if (this.#start >= 0 && this.#text.length - this.#start > MAX_ELEMENT_CHARS) {
      this.#fail(`an element larger than ${MAX_ELEMENT_CHARS} characters`);
    }
  }

  end(): void {
    if (this.#where !== "done") this.#fail("unexpected end of the file");
  }

  #scan(): void {
    const text = this.#text;
    while (this.#pos < text.length) {
      if (this.#start >= 0) {
        if (!this.#scanValue()) return;
        continue;
      }
      const c = text.charCodeAt(this.#pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        this.#pos++;
        continue;
      }
      this.#structural(c);
    }
  }

  /** A character between values: brackets, colons, commas, or the start of a value. */
  #structural(c: number): void {
    const ch = String.fromCharCode(c);
    switch (this.#where) {
      case "start":
        if (ch !== "{") this.#fail("the file is not a JSON object");
        this.#pos++;
        this.#where = "key";
        return;
      case "key":
        if (ch === "}") return this.#close();
        if (ch !== '"') this.#fail(`expected a field name, found ${JSON.stringify(ch)}`);
        return this.#begin();
      case "colon":
        if (ch !== ":") this.#fail(`expected ":" after "${this.#key}"`);
        this.#pos++;
        this.#where = "value";
        return;
      case "value":
        if (ch === "[" && SECTIONS.has(this.#key)) {
          this.#pos++;
          this.#section = this.#key as ArchiveSection;
          this.#index = 0;
          this.visitor.section(this.#section);
          this.#where = "element";
          return;
        }
        return this.#begin();
      case "comma":
        if (ch === "}") return this.#close();
        if (ch !== ",") this.#fail(`expected "," or "}" after the field "${this.#key}"`);
        this.#pos++;
        this.#where = "key";
        return;
      case "element":
        if (ch === "]" && this.#index === 0) return this.#endSection();
        return this.#begin();
      case "afterElement":
        if (ch === "]") return this.#endSection();
        if (ch !== ",") this.#fail(`expected "," or "]" in "${this.#section ?? ""}"`);
        this.#pos++;
        this.#where = "element";
        return;
      case "done":
        this.#fail("text after the end of the archive");
    }
  }

  #begin(): void {
    this.#start = this.#pos;
    this.#depth = 0;
    this.#inString = false;
  }

  /** Scans on inside the current value; true when it ended (and was handed on). */
  #scanValue(): boolean {
    const text = this.#text;
    const start = this.#start;
    const first = text.charCodeAt(start);
    const compound = first === 0x7b || first === 0x5b || first === 0x22;
    let pos = this.#pos;
    let depth = this.#depth;
    let inString = this.#inString;
    for (;;) {
      if (inString) {
        // Strings are most of an archive: jump to the next quote that is not escaped.
        let quote = text.indexOf('"', pos);
        while (quote >= 0 && backslashesBefore(text, quote, start) % 2 === 1) {
          quote = text.indexOf('"', quote + 1);
        }
        if (quote < 0) {
          pos = text.length;
          break;
        }
        inString = false;
        pos = quote + 1;
        if (depth === 0) return this.#ended(pos);
        continue;
      }
      if (pos >= text.length) break;
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        inString = true;
        pos++;
      } else if (c === 0x7b || c === 0x5b) {
        depth++;
        pos++;
      } else if (c === 0x7d || c === 0x5d) {
        // At depth 0: the end of a number, true, false or null, at its parent's bracket.
        if (depth === 0) return this.#ended(pos);
        pos++;
        if (--depth === 0 && compound) return this.#ended(pos);
      } else if (
        !compound &&
        (c === 0x2c || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09)
      ) {
        return this.#ended(pos);
      } else {
        pos++;
      }
    }
    this.#pos = pos;
    this.#depth = depth;
    this.#inString = inString;
    return false;
  }

  #ended(pos: number): true {
    this.#pos = pos;
    return this.#valueEnded();
  }

  #valueEnded(): true {
    const source = this.#text.slice(this.#start, this.#pos);
    const at = this.#offset + this.#start;
    this.#start = -1;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      this.#fail(error instanceof Error ? error.message : String(error), at);
    }
    if (this.#where === "key") {
      if (typeof value !== "string") this.#fail("a field name must be a string", at);
      this.#key = value;
      this.#where = "colon";
    } else if (this.#where === "element") {
      this.visitor.element(this.#section as ArchiveSection, this.#index++, value);
      this.#where = "afterElement";
    } else {
      this.visitor.field(this.#key, value);
      this.#where = "comma";
    }
    return true;
  }

  #endSection(): void {
    this.#pos++;
    const section = this.#section as ArchiveSection;
    this.#section = undefined;
    this.visitor.sectionEnd(section);
    this.#where = "comma";
  }

  #close(): void {
    this.#pos++;
    this.#where = "done";
  }

  #fail(detail: string, at = this.#offset + this.#pos): never {
    throw new ArchiveSyntaxError(`${detail} at character ${at}`);
  }
}

/** How many backslashes stand right before `at` (not looking before `from`). */
function backslashesBefore(text: string, at: number, from: number): number {
  let count = 0;
  for (let i = at - 1; i >= from && text.charCodeAt(i) === 0x5c; i--) count++;
  return count;
}
