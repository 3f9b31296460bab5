/** The names a job's source may use without defining them: the author's check and the worker agree on them here. */
/** Names a job's source may use without defining them: the worker supplies each one. */
export const WORKER_SCOPE_NAMES = [
  "require",
  "module",
  "exports",
  "__filename",
  "__dirname",
  // esbuild (and so tsx and vitest) wraps named functions in `__name(fn, "name")` for keepNames.
  "__name",
] as const;

/** Helpers TypeScript emits for older targets; the worker takes them from `tslib` if it can. */
export const TSLIB_HELPER_NAMES = [
  "__extends",
  "__assign",
  "__rest",
  "__decorate",
  "__param",
  "__metadata",
  "__awaiter",
  "__generator",
  "__exportStar",
  "__createBinding",
  "__values",
  "__read",
  "__spread",
  "__spreadArrays",
  "__spreadArray",
  "__await",
  "__asyncGenerator",
  "__asyncDelegator",
  "__asyncValues",
  "__makeTemplateObject",
  "__importStar",
  "__importDefault",
  "__classPrivateFieldGet",
  "__classPrivateFieldSet",
  "__classPrivateFieldIn",
  "__esDecorate",
  "__runInitializers",
  "__propKey",
  "__setFunctionName",
  "__addDisposableResource",
  "__disposeResources",
] as const;
