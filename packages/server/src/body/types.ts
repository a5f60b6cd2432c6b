/** Options of the JSON body readers. */

/** Options of the body readers (`readJsonBody`, `readJsonRequest`). */
export interface ReadBodyOptions {
  /** The largest body accepted, in bytes. @default 1048576 */
  limit?: number;
  /** How long the body may take to arrive, in milliseconds. @default 10000 */
  timeoutMs?: number;
}
