/** The content of kernel_info_reply. */
import * as messages from "../messages.js";
import { PROTOCOL_VERSION } from "../protocol/message.js";

/** kernel_info_reply content for this kernel's version and its TypeScript's. */
export function kernelInfo(version: string, typescriptVersion: string): Record<string, unknown> {
  return {
    status: "ok",
    protocol_version: PROTOCOL_VERSION,
    implementation: "workgraph",
    implementation_version: version,
    language_info: {
      name: "typescript",
      version: typescriptVersion,
      mimetype: "text/typescript",
      file_extension: ".ts",
      pygments_lexer: "typescript",
      codemirror_mode: "typescript",
    },
    banner: messages.banner(version, typescriptVersion),
    help_links: [
      { text: "workgraph", url: "https://github.com/workgraph/workgraph#readme" },
      { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/" },
      { text: "Node.js API", url: "https://nodejs.org/docs/latest-v20.x/api/" },
    ],
    debugger: false,
  };
}
