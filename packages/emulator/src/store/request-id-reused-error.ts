/** The error of a creation whose `MS-RequestId` an earlier request used for another operation. */

/** What an idempotency key was first used for. */
export interface KeyOperation {
  /** The route that created the resource. */
  readonly route: 'createCustomer' | 'createOrder';
  /** Its `attributes.objectType`. */
  readonly objectType: 'Customer' | 'Order';
  /** The path the creation was posted to. */
  readonly path: string;
}

/**
 * Thrown by the stores' `create` when the key was recorded for another operation: the store
 * neither replays (it is not a retry of that request) nor creates (the caller's retries
 * would each create one more).
 */
export class RequestIdReusedError extends Error {
  override name = 'RequestIdReusedError' as const;
  /** The reused `MS-RequestId`. */
  readonly requestId: string;
  /** The operation the key belongs to. */
  readonly operation: KeyOperation;
  /** The id of what that operation created. */
  readonly resourceId: string;

  constructor(requestId: string, operation: KeyOperation, resourceId: string) {
    super(`MS-RequestId ${requestId} already created ${operation.objectType} ${resourceId}.`);
    this.requestId = requestId;
    this.operation = operation;
    this.resourceId = resourceId;
  }
}
