/**
 * What the page script uses of the browser, as narrow types: the package is compiled without
 * the DOM library (it is a Node package), and the script gets these handed in.
 */
import type { changeset, View } from "vega";
import type { TopLevelSpec } from "vega-lite";

/** An element, as far as the page uses one. */
export interface PageElement {
  textContent: string | null;
  className: string;
  title: string;
  readonly clientWidth: number;
  append(...children: (PageElement | string)[]): void;
  replaceChildren(...children: (PageElement | string)[]): void;
  addEventListener(type: "click", listener: () => void): void;
  setAttribute(name: string, value: string): void;
}

/** The document. */
export interface PageDocument {
  getElementById(id: string): PageElement | null;
  createElement(tag: string): PageElement;
}

/** A browser WebSocket. */
export interface PageSocket {
  onopen: (() => void) | null;
  onclose: (() => void) | null;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  send(text: string): void;
}

/** What vega-embed gives back. */
export interface Embedded {
  readonly view: View;
  finalize(): void;
}

/** Everything the page script is handed. */
export interface PageEnv {
  readonly document: PageDocument;
  readonly location: { readonly search: string; readonly host: string; readonly protocol: string };
  readonly WebSocket: new (url: string) => PageSocket;
  readonly vega: { readonly changeset: typeof changeset };
  readonly vegaEmbed: (
    element: string,
    spec: TopLevelSpec,
    options: { readonly renderer: "svg"; readonly actions: boolean },
  ) => Promise<Embedded>;
  /** Where the page leaves its views and counters, for tests and the browser console. */
  readonly hooks: Record<string, unknown>;
}
