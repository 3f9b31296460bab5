/** The layer zones of `eslint.config.js`, typed for the test that checks them. */
interface Zone {
  readonly target: string | readonly string[];
  readonly from: string | readonly string[];
  readonly except?: readonly string[];
  readonly message: string;
}
/** The engine's layers: a folder imports only from the folders below it. */
export declare const layerZones: readonly Zone[];
/** The top folders: the engine imports none of the rest, which reach it through its entries. */
export declare const topZones: readonly Zone[];
declare const config: readonly unknown[];
export default config;
